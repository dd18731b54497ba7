import { isIPv4, isIPv6 } from 'node:net';

/** An IP address as its bytes: 4 for IPv4, 16 for IPv6. */
export type IpBytes = Uint8Array;

function parseIPv4(text: string): IpBytes | null {
  if (!isIPv4(text)) return null;
  return Uint8Array.from(text.split('.').map(Number));
}

/**
 * Expands an IPv6 address (`::` shorthand, a dotted IPv4 tail, a `%zone`) to its 16 bytes, so
 * ranges are compared on bytes and no textual spelling slips past them.
 */
function parseIPv6(text: string): IpBytes | null {
  let address = text.split('%')[0];
  if (!isIPv6(address)) return null;
  const tailStart = address.lastIndexOf(':') + 1;
  const v4 = parseIPv4(address.slice(tailStart));
  if (v4) {
    const high = ((v4[0] << 8) | v4[1]).toString(16);
    const low = ((v4[2] << 8) | v4[3]).toString(16);
    address = `${address.slice(0, tailStart)}${high}:${low}`;
  }
  const [head, tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array<string>(missing).fill('0'), ...right].map((g) =>
    parseInt(g, 16),
  );
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 0xff;
  });
  return bytes;
}

/** The bytes of an IPv4 or IPv6 address (brackets allowed, as URLs write IPv6), or null. */
export function parseIp(text: string): IpBytes | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return parseIPv4(bare) ?? parseIPv6(bare);
}

/** Whether `address` lies in `network`/`prefixLength` (both of the same family). */
export function inPrefix(address: IpBytes, network: IpBytes, prefixLength: number): boolean {
  if (address.length !== network.length) return false;
  const whole = Math.floor(prefixLength / 8);
  for (let i = 0; i < whole; i++) if (address[i] !== network[i]) return false;
  const rest = prefixLength % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (address[whole] & mask) === (network[whole] & mask);
}
