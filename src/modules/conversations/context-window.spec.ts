import { recentWithin } from './context-window';

const byLength = (text: string) => text.length;

describe('recentWithin', () => {
  it('keeps the newest items that fit, oldest first', () => {
    expect(recentWithin(['aaaa', 'bb', 'cc', 'd'], 5, byLength)).toEqual(['bb', 'cc', 'd']);
  });

  it('keeps nothing when even the newest does not fit', () => {
    expect(recentWithin(['x'.repeat(50)], 10, byLength)).toEqual([]);
  });

  it('keeps everything when it all fits', () => {
    expect(recentWithin(['a', 'b'], 100, byLength)).toEqual(['a', 'b']);
  });
});
