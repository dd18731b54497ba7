/** The vector scaled to length 1, so a dot product with another unit vector is their cosine. */
export function unitVector(values: number[]): number[] {
  const norm = Math.sqrt(values.reduce((sum, v) => sum + v * v, 0));
  return norm === 0 ? values.map(() => 0) : values.map((v) => v / norm);
}
