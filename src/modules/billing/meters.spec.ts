import { overageCents, overageCostOf, overageUnits } from './meters';

describe('overage', () => {
  it('is what goes beyond the limit, and nothing without one', () => {
    expect(overageUnits(12, 10)).toBe(2);
    expect(overageUnits(8, 10)).toBe(0);
    expect(overageUnits(1e9, null)).toBe(0);
  });

  it('is priced in proportion to the block, rounded up to a cent once', () => {
    // tokens are priced per 1,000: 1,001 tokens over at 3 cents a block is 3.003 cents.
    expect(overageCents('tokens', 1001, 3)).toBe(4);
    expect(overageCents('jobs', 4, 5)).toBe(20);
    expect(overageCents('storage_bytes', 1, 10)).toBe(1);
  });

  it('costs only the part of a request that goes beyond the limit', () => {
    expect(overageCostOf('jobs', 8, 1, 10, 5)).toBe(0);
    expect(overageCostOf('jobs', 9, 3, 10, 5)).toBe(10);
    expect(overageCostOf('jobs', 12, 1, 10, 5)).toBe(5);
  });

  it('charged request by request adds up to the price of the whole overage', () => {
    let used = 100;
    let charged = 0;
    for (let i = 0; i < 2500; i++) {
      charged += overageCostOf('tokens', used, 1, 100, 3);
      used += 1;
    }
    expect(charged).toBe(overageCents('tokens', 2500, 3));
  });
});
