/**
 * Routes read the header as `@Headers(IDEMPOTENCY_KEY_HEADER.name)` (Nest lowercases the name):
 * Swagger merges a read header into the @ApiHeader of the same name, so the document lists one
 * optional header rather than an extra required one.
 */
export const IDEMPOTENCY_KEY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description:
    'A repeat with the same key within 24 h answers the first result and creates nothing',
};
