import { dotProduct } from './dot-product';

describe('dotProduct', () => {
  it('multiplies each element by a parameter of its own, numbered after those already there', () => {
    const params: unknown[] = ['collection'];
    expect(dotProduct('c.embedding', [0.5, -0.25, 1], params)).toBe(
      '((c.embedding[1] * $2::real + c.embedding[2] * $3::real) + c.embedding[3] * $4::real)',
    );
    expect(params).toEqual(['collection', 0.5, -0.25, 1]);
    expect(dotProduct('c.embedding', [], [])).toBe('0::real');
  });

  it('nests the sum about log2(dimension) deep, not dimension deep', () => {
    const sql = dotProduct('e', Array<number>(4096).fill(0.1), []);
    let depth = 0;
    let deepest = 0;
    for (const character of sql) {
      if (character === '(') deepest = Math.max(deepest, ++depth);
      if (character === ')') depth--;
    }
    expect(deepest).toBe(12);
  });
});
