/** A user's search text as an ILIKE pattern: `%` and `_` in it match only themselves. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}
