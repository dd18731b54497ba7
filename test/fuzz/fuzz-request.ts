import fc from 'fast-check';
import { RawJson } from './hostile-values';

/** The fixtures of the owner a request may name; fixtures.ts makes them. */
export type FixtureKind =
  | 'user'
  | 'project'
  | 'media'
  | 'job'
  | 'webhook'
  | 'collection'
  | 'document'
  | 'conversation'
  | 'message'
  | 'session'
  | 'apiKey';

/**
 * Stands for the id of a fixture inside a generated value. Generation knows no ids (fixtures are
 * made, and remade, at run time), so requests carry these and the runner fills them in when it
 * sends: the same seed gives the same requests.
 */
export const fixtureRef = (kind: FixtureKind): string => `{{fixture:${kind}}}`;

const FIXTURE_REF = /\{\{fixture:(\w+)\}\}/g;

/** Fills fixture ids into a string; `used` collects the kinds it named. */
export function fillFixtures(
  text: string,
  idOf: (kind: FixtureKind) => string,
  used: Set<FixtureKind>,
): string {
  return text.replace(FIXTURE_REF, (_, kind: FixtureKind) => {
    used.add(kind);
    return idOf(kind);
  });
}

/** What an anonymous caller sends for credentials: nothing, or something that must not work. */
export type Credentials =
  | { kind: 'none' }
  | { kind: 'headers'; headers: Record<string, string> }
  /** A JWT signed with the application's own secret, with claims that name no one. */
  | { kind: 'signed-jwt'; claims: Record<string, unknown> };

export type Body =
  | { kind: 'none' }
  /** A JSON value, serialized at send time (RawJson parts written as they are). */
  | { kind: 'json'; contentType: string | undefined; value: unknown }
  /** Bytes as they are: broken JSON, broken multipart, wrong encodings. */
  | { kind: 'raw'; contentType: string | undefined; bytes: Buffer };

/** A path parameter: encoded when sent, unless `raw` (to send broken escapes as they are). */
export interface PathValue {
  value: string;
  raw: boolean;
}

export interface FuzzRequest {
  path: Record<string, PathValue>;
  /** Query pairs in order; a repeated name is sent twice. */
  query: [string, string][];
  headers: Record<string, string>;
  body: Body;
  /** Used when the request is sent as the anonymous caller. */
  anonymous: Credentials;
}

/** JSON text for a value, writing RawJson literals verbatim (JSON.stringify cannot). */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : toJsonText(item))).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .map(([key, member]) => `${JSON.stringify(key)}:${toJsonText(member)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Percent-encodes every UTF-8 byte that is not unreserved (lone surrogates become U+FFFD). */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => {
      const c = String.fromCharCode(byte);
      return /[A-Za-z0-9\-._~]/.test(c)
        ? c
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/**
 * Shortens runs of one character and long texts, so a failing request prints readably. A loop,
 * not a regular expression: backreferences over 100k characters overflow the regexp stack.
 */
export function abbreviate(text: string, max = 600): string {
  let out = '';
  let i = 0;
  while (i < text.length && out.length <= max) {
    const c = String.fromCodePoint(text.codePointAt(i)!);
    let end = i + c.length;
    while (text.startsWith(c, end)) end += c.length;
    const times = (end - i) / c.length;
    out += times > 40 ? `${c}…(×${times})` : c.repeat(times);
    i = end;
  }
  const visible = JSON.stringify(out).slice(1, -1);
  return i < text.length || visible.length > max
    ? `${visible.slice(0, max)}…(${text.length} chars)`
    : visible;
}

/** Percent-encodes, but leaves fixture markers readable. */
const encodeForReport = (text: string) =>
  percentEncode(text).replace(/%7B%7Bfixture%3A(\w+)%7D%7D/g, '{{fixture:$1}}');

/** The request line, headers and body, as a failure report shows them. */
export function describeRequest(method: string, template: string, request: FuzzRequest): string {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const p = request.path[name];
    return p ? (p.raw ? p.value : encodeForReport(p.value)) : `{${name}}`;
  });
  const query = request.query
    .map(([k, v]) => `${encodeForReport(k)}=${encodeForReport(v)}`)
    .join('&');
  const lines = [abbreviate(`${method.toUpperCase()} ${path}${query ? `?${query}` : ''}`)];
  for (const [name, value] of Object.entries(request.headers)) {
    lines.push(`${name}: ${abbreviate(value, 200)}`);
  }
  if (request.anonymous.kind === 'headers') {
    for (const [name, value] of Object.entries(request.anonymous.headers)) {
      lines.push(`(anonymous) ${name}: ${abbreviate(value, 200)}`);
    }
  } else if (request.anonymous.kind === 'signed-jwt') {
    lines.push(`(anonymous) Authorization: Bearer <JWT ${toJsonText(request.anonymous.claims)}>`);
  }
  const { body } = request;
  if (body.kind === 'json') {
    lines.push(`Content-Type: ${body.contentType ?? '(none)'}`, abbreviate(toJsonText(body.value)));
  } else if (body.kind === 'raw') {
    lines.push(
      `Content-Type: ${body.contentType ?? '(none)'}`,
      abbreviate(body.bytes.toString('latin1')),
    );
  }
  return lines.join('\n');
}

/** Gives generated requests a readable form in fast-check's counterexample reports. */
export function printable(
  method: string,
  template: string,
  request: FuzzRequest,
): FuzzRequest & fc.WithToStringMethod {
  return Object.assign(request, {
    [fc.toStringMethod]: () => `\n${describeRequest(method, template, request)}\n`,
  });
}
