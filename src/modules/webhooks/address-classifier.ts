import { inPrefix, IpBytes, parseIp } from './ip-address';

/** Why an address is not a public one a webhook may be sent to. */
export type NonPublicKind =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unique-local'
  | 'site-local'
  | 'multicast'
  | 'carrier-grade NAT'
  | 'documentation'
  | 'benchmarking'
  | 'reserved'
  | 'invalid';

interface Range {
  network: IpBytes;
  prefixLength: number;
  kind: NonPublicKind;
}

function range(cidr: string, kind: NonPublicKind): Range {
  const [address, length] = cidr.split('/');
  return { network: parseIp(address)!, prefixLength: Number(length), kind };
}

/**
 * IPv4 special-purpose ranges (IANA registry) that are not globally reachable. Anything a
 * server could use to reach itself or its neighbours is refused; the documentation and
 * benchmarking ranges are refused too, since nothing public lives there.
 */
const IPV4_RANGES: Range[] = [
  range('0.0.0.0/8', 'unspecified'),
  range('10.0.0.0/8', 'private'),
  range('100.64.0.0/10', 'carrier-grade NAT'),
  range('127.0.0.0/8', 'loopback'),
  range('169.254.0.0/16', 'link-local'),
  range('172.16.0.0/12', 'private'),
  range('192.0.0.0/24', 'reserved'),
  range('192.0.2.0/24', 'documentation'),
  range('192.88.99.0/24', 'reserved'),
  range('192.168.0.0/16', 'private'),
  range('198.18.0.0/15', 'benchmarking'),
  range('198.51.100.0/24', 'documentation'),
  range('203.0.113.0/24', 'documentation'),
  range('224.0.0.0/4', 'multicast'),
  range('240.0.0.0/4', 'reserved'), // includes the broadcast address 255.255.255.255
];

/** IPv6 ranges refused outright; more specific ones come first. */
const IPV6_RANGES: Range[] = [
  range('::/128', 'unspecified'),
  range('::1/128', 'loopback'),
  range('::/96', 'reserved'), // IPv4-compatible addresses, deprecated
  range('64:ff9b:1::/48', 'private'), // local-use NAT64
  range('100::/64', 'reserved'), // discard-only
  range('2001:db8::/32', 'documentation'),
  range('3fff::/20', 'documentation'),
  range('2001::/23', 'reserved'), // IETF protocol assignments, Teredo included
  range('fc00::/7', 'unique-local'),
  range('fe80::/10', 'link-local'),
  range('fec0::/10', 'site-local'),
  range('ff00::/8', 'multicast'),
];

/**
 * IPv6 ranges that carry an IPv4 address, which decides: the IPv4-mapped form (how dual-stack
 * sockets write IPv4), the NAT64 well-known prefix and 6to4. `offset` is where the IPv4 bytes sit.
 */
const IPV4_CARRIERS: { range: Range; offset: number }[] = [
  { range: range('::ffff:0:0/96', 'reserved'), offset: 12 },
  { range: range('64:ff9b::/96', 'reserved'), offset: 12 },
  { range: range('2002::/16', 'reserved'), offset: 2 },
];

/** Only global unicast (2000::/3) is public in IPv6; everything else is unassigned or special. */
const IPV6_GLOBAL_UNICAST = range('2000::/3', 'reserved');

function match(address: IpBytes, ranges: Range[]): NonPublicKind | null {
  const found = ranges.find((r) => inPrefix(address, r.network, r.prefixLength));
  return found ? found.kind : null;
}

function classifyBytes(address: IpBytes): NonPublicKind | null {
  if (address.length === 4) return match(address, IPV4_RANGES);
  for (const { range: carrier, offset } of IPV4_CARRIERS) {
    if (inPrefix(address, carrier.network, carrier.prefixLength)) {
      return classifyBytes(address.slice(offset, offset + 4));
    }
  }
  const special = match(address, IPV6_RANGES);
  if (special) return special;
  const global = inPrefix(address, IPV6_GLOBAL_UNICAST.network, IPV6_GLOBAL_UNICAST.prefixLength);
  return global ? null : 'reserved';
}

/**
 * Null for a public address a webhook may be delivered to; otherwise what kind of non-public
 * address it is. Text that is not an IP address is `invalid`, so a caller can never mistake a
 * parse failure for a public address.
 */
export function classifyAddress(text: string): NonPublicKind | null {
  const bytes = parseIp(text);
  return bytes ? classifyBytes(bytes) : 'invalid';
}
