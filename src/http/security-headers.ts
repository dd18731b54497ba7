import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Headers for API answers (JSON, problem+json, downloads): what OWASP recommends for REST
 * services. Browser-page headers (COOP, Origin-Agent-Cluster, X-DNS-Prefetch-Control…) do not
 * apply to them, and every header is a cost on every answer.
 */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** Swagger UI's inline bootstrap script and styles need these; everything else stays 'self'. */
const DOCS_CONTENT_SECURITY_POLICY = {
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", "'unsafe-inline'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
  },
};

/**
 * Helmet's full set for the documentation pages, computed once: the headers do not depend on
 * the request, and running helmet per request cost about a sixth of a small request's CPU.
 */
export function docsSecurityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  helmet({ contentSecurityPolicy: DOCS_CONTENT_SECURITY_POLICY })(
    {} as IncomingMessage,
    response as unknown as ServerResponse,
    () => undefined,
  );
  return headers;
}
