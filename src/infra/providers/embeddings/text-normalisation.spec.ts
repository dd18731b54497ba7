import { lightStem, normaliseWords } from './text-normalisation';

describe('normaliseWords', () => {
  it('folds case, diacritics and compatibility forms, and splits on everything else', () => {
    expect(normaliseWords("Crème Brûlée, ﬁnally! Don't — ＡＢＣ 42km")).toEqual([
      'creme',
      'brulee',
      'finally',
      'don',
      't',
      'abc',
      '42km',
    ]);
  });

  it('keeps letters of every script, recomposing what it decomposed', () => {
    expect(normaliseWords('東京 한국어 Ελληνικά')).toEqual(['東京', '한국어', 'ελληνικα']);
  });

  it('answers no words for a text without letters or digits', () => {
    expect(normaliseWords('')).toEqual([]);
    expect(normaliseWords(' …!? ')).toEqual([]);
  });
});

describe('lightStem', () => {
  it.each([
    ['batteries', 'battery'],
    ['studies', 'study'],
    ['cats', 'cat'],
    ['horses', 'hors'],
    ['horse', 'hors'],
    ['glass', 'glass'],
    ['status', 'status'],
    ['charging', 'charg'],
    ['charged', 'charg'],
    ['running', 'run'],
    ['sleeping', 'sleep'],
    ['sing', 'sing'],
    ['string', 'string'],
    ['agreed', 'agreed'],
    ['bus', 'bus'],
  ])('stems %s to %s', (word, stem) => {
    expect(lightStem(word)).toBe(stem);
  });
});
