import { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { classifyAddress } from './address-classifier';

/** Where a delivery goes: the URL, and the one address checked for it that the request must use. */
export interface ResolvedTarget {
  url: URL;
  address: string;
  family: number;
}

export type ResolveAll = (hostname: string) => Promise<LookupAddress[]>;

const resolveWithSystem: ResolveAll = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** A URL that webhooks may not be sent to; the message says why, for the owner to read. */
export class TargetRefusedError extends Error {
  override readonly name = 'TargetRefusedError';
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Resolves a webhook URL and, unless private targets are allowed, refuses it when ANY address of
 * its host is not public: the request could otherwise land on whichever address it picks. The
 * URL is parsed by the WHATWG parser, as the request is, so `http://0x7f000001/` is judged as the
 * 127.0.0.1 it means.
 */
export async function resolveTarget(
  rawUrl: string,
  allowPrivateTargets: boolean,
  resolveAll: ResolveAll = resolveWithSystem,
): Promise<ResolvedTarget> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new TargetRefusedError('url is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TargetRefusedError('url must use http or https');
  }
  const host = hostOf(url);
  let addresses: LookupAddress[];
  try {
    addresses = await resolveAll(host);
  } catch {
    addresses = [];
  }
  if (addresses.length === 0) throw new TargetRefusedError(`${host} does not resolve`);
  if (!allowPrivateTargets) {
    for (const { address } of addresses) {
      const kind = classifyAddress(address);
      if (!kind) continue;
      const what = address === host ? host : `${host} resolves to ${address}, which`;
      throw new TargetRefusedError(
        `${what} is not a public address (${kind}); webhooks are sent only to public addresses`,
      );
    }
  }
  return { url, address: addresses[0].address, family: addresses[0].family };
}
