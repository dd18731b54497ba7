export const API_PREFIX = 'api/v1';

/** Swagger UI is served here and the OpenAPI document at `${DOCS_PATH}-json`. */
export const DOCS_PATH = 'docs';
