/** The newest items whose costs add up to at most `budget`, oldest first. */
export function recentWithin<T>(history: T[], budget: number, cost: (item: T) => number): T[] {
  const kept: T[] = [];
  let used = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    used += cost(history[i]);
    if (used > budget) break;
    kept.unshift(history[i]);
  }
  return kept;
}
