import { hasIterativeScan } from './pgvector-search';

describe('hasIterativeScan', () => {
  it('is true from pgvector 0.8.0 on, where hnsw.iterative_scan exists', () => {
    expect(['0.5.1', '0.7.4'].map(hasIterativeScan)).toEqual([false, false]);
    expect(['0.8.0', '0.8.7', '1.0.0'].map(hasIterativeScan)).toEqual([true, true, true]);
  });
});
