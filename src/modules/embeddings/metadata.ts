import { FieldError } from '../../common/problem/problem.exception';

const MAX_KEYS = 64;

/** Metadata is a flat object of strings, numbers and booleans, which filters can compare. */
export function metadataErrors(
  value: Record<string, unknown> | undefined,
  field: string,
): FieldError[] {
  if (!value) return [];
  const entries = Object.entries(value);
  if (entries.length > MAX_KEYS) return [{ field, message: `at most ${MAX_KEYS} keys` }];
  return entries
    .filter(
      ([key, v]) => key.startsWith('$') || !['string', 'number', 'boolean'].includes(typeof v),
    )
    .map(([key]) => ({ field: `${field}.${key}`, message: 'must be a string, number or boolean' }));
}
