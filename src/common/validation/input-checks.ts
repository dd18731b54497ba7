/**
 * Checks on parsed input (a JSON body, a query) that must run before class-transformer and
 * class-validator see it. Both walk iteratively, so they cannot overflow the stack on the very
 * input they guard against.
 */

/** Whether the value nests arrays and objects deeper than `limit` levels. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= limit) return true;
    for (const member of Object.values(current)) pending.push([member, depth + 1]);
  }
  return false;
}

/** NUL, or half of a surrogate pair: PostgreSQL's text and jsonb can hold neither. */
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The paths (`a.b.0`) of the keys and strings in the value that hold unstorable text. */
export function unstorableTextPaths(value: unknown, root = ''): string[] {
  const found: string[] = [];
  const pending: [unknown, string][] = [[value, root]];
  while (pending.length > 0) {
    const [current, path] = pending.pop()!;
    if (typeof current === 'string') {
      if (UNSTORABLE.test(current)) found.push(path);
    } else if (current !== null && typeof current === 'object') {
      for (const [key, member] of Object.entries(current)) {
        const at = path ? `${path}.${key}` : key;
        if (UNSTORABLE.test(key)) found.push(at);
        pending.push([member, at]);
      }
    }
  }
  return found;
}
