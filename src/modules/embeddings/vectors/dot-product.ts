/**
 * `column · vector` in SQL, for a `real[]` column: one term `column[i] * $n` per dimension, the
 * vector's numbers bound as parameters. PostgreSQL has no dot product of arrays; this form runs
 * about 8 times faster than summing over unnest() of both arrays (1.2 s against 10 s for 100,000
 * chunks of 384 here). The terms are added as a balanced tree, so that the expression stays
 * shallow (PostgreSQL walks it recursively) even for thousands of dimensions.
 */
export function dotProduct(column: string, vector: number[], params: unknown[]): string {
  const terms = vector.map((value, i) => `${column}[${i + 1}] * $${params.push(value)}::real`);
  return balancedSum(terms);
}

function balancedSum(terms: string[]): string {
  if (terms.length <= 1) return terms[0] ?? '0::real';
  const middle = Math.ceil(terms.length / 2);
  return `(${balancedSum(terms.slice(0, middle))} + ${balancedSum(terms.slice(middle))})`;
}
