import { matchesFilter } from './match-filter';
import { parseFilter } from './parse-filter';

const matches = (filter: unknown, metadata: Record<string, unknown>) =>
  matchesFilter(parseFilter(filter), metadata);

describe('matchesFilter', () => {
  const song = { genre: 'jazz', year: 1959, rating: 4.5, live: false, tags: ['modal'] };

  it('$eq: the same type and value', () => {
    expect(matches({ genre: 'jazz' }, song)).toBe(true);
    expect(matches({ genre: { $eq: 'Jazz' } }, song)).toBe(false);
    expect(matches({ year: 1959.0 }, song)).toBe(true);
    expect(matches({ year: '1959' }, song)).toBe(false);
    expect(matches({ live: false }, song)).toBe(true);
    expect(matches({ live: 0 }, song)).toBe(false);
    expect(matches({ missing: 'x' }, song)).toBe(false);
    expect(matches({ tags: 'modal' }, song)).toBe(false);
  });

  it('$ne: anything else, an absent key included', () => {
    expect(matches({ genre: { $ne: 'rock' } }, song)).toBe(true);
    expect(matches({ genre: { $ne: 'jazz' } }, song)).toBe(false);
    expect(matches({ year: { $ne: '1959' } }, song)).toBe(true);
    expect(matches({ missing: { $ne: 'x' } }, song)).toBe(true);
  });

  it('$gt, $gte, $lt, $lte on numbers', () => {
    expect(matches({ year: { $gt: 1958 } }, song)).toBe(true);
    expect(matches({ year: { $gt: 1959 } }, song)).toBe(false);
    expect(matches({ year: { $gte: 1959 } }, song)).toBe(true);
    expect(matches({ rating: { $lt: 4.5 } }, song)).toBe(false);
    expect(matches({ rating: { $lte: 4.5 } }, song)).toBe(true);
    expect(matches({ rating: { $lt: 5 } }, song)).toBe(true);
  });

  it('$gt, $gte, $lt, $lte on strings, by code point', () => {
    expect(matches({ genre: { $gt: 'blues' } }, song)).toBe(true);
    expect(matches({ genre: { $lt: 'jazz' } }, song)).toBe(false);
    expect(matches({ genre: { $lte: 'jazz' } }, song)).toBe(true);
    expect(matches({ genre: { $gte: 'jazzy' } }, song)).toBe(false);
    // Upper case sorts before lower case; U+1F600 after U+FF01, unlike JavaScript's "<".
    expect(matches({ genre: { $gt: 'Zebra' } }, song)).toBe(true);
    expect(matches({ s: { $gt: '\uff01' } }, { s: '😀' })).toBe(true);
    expect(matches({ s: { $lt: '\uff01' } }, { s: '😀' })).toBe(false);
  });

  it('$gt and friends never hold across types, nor for an absent key', () => {
    expect(matches({ year: { $gt: 'a' } }, song)).toBe(false);
    expect(matches({ year: { $lt: 'a' } }, song)).toBe(false);
    expect(matches({ genre: { $gt: 0 } }, song)).toBe(false);
    expect(matches({ live: { $gte: 0 } }, song)).toBe(false);
    expect(matches({ missing: { $lte: 100 } }, song)).toBe(false);
    expect(matches({ n: { $gte: 0 } }, { n: null })).toBe(false);
  });

  it('$in and $nin', () => {
    expect(matches({ genre: { $in: ['rock', 'jazz'] } }, song)).toBe(true);
    expect(matches({ genre: { $in: ['rock', 1959] } }, song)).toBe(false);
    expect(matches({ year: { $in: ['1959', 1959] } }, song)).toBe(true);
    expect(matches({ genre: { $nin: ['rock', 'pop'] } }, song)).toBe(true);
    expect(matches({ genre: { $nin: ['jazz'] } }, song)).toBe(false);
    expect(matches({ missing: { $in: ['x'] } }, song)).toBe(false);
    expect(matches({ missing: { $nin: ['x'] } }, song)).toBe(true);
  });

  it('$and, $or and implicit conjunctions, nested', () => {
    expect(matches({ $and: [{ genre: 'jazz' }, { year: { $lt: 1960 } }] }, song)).toBe(true);
    expect(matches({ $and: [{ genre: 'jazz' }, { year: { $gt: 1960 } }] }, song)).toBe(false);
    expect(matches({ $or: [{ genre: 'rock' }, { year: { $lt: 1960 } }] }, song)).toBe(true);
    expect(matches({ $or: [{ genre: 'rock' }, { live: true }] }, song)).toBe(false);
    expect(matches({ genre: 'jazz', year: { $gte: 1950, $lt: 1959 } }, song)).toBe(false);
    expect(
      matches({ $or: [{ $and: [{ live: true }, { year: 1959 }] }, { rating: { $gt: 4 } }] }, song),
    ).toBe(true);
  });

  it("looks only at the document's own keys", () => {
    expect(matches({ constructor: { $ne: 'x' } }, {})).toBe(true);
    expect(matches({ toString: { $in: ['x'] } }, {})).toBe(false);
  });
});
