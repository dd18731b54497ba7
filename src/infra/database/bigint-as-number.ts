import type { ValueTransformer } from 'typeorm';

/**
 * pg returns bigint as a string; Kiln's counters, sizes and amounts fit a JS number exactly
 * (below 2^53), so columns read back as numbers.
 */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
