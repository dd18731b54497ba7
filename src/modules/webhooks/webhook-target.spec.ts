import { LookupAddress } from 'node:dns';
import { ResolveAll, resolveTarget, TargetRefusedError } from './webhook-target';

/** A resolver that answers from a table, as DNS would. */
function fakeDns(table: Record<string, string[]>): ResolveAll {
  return async (hostname) => {
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return addresses.map((address): LookupAddress => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }));
  };
}

const dns = fakeDns({
  'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'rebind.example.com': ['93.184.215.14', '10.0.0.7'],
  localhost: ['127.0.0.1', '::1'],
  // IP literals resolve to themselves, as the system resolver does.
  '93.184.215.14': ['93.184.215.14'],
  '127.0.0.1': ['127.0.0.1'],
  '::1': ['::1'],
  '::ffff:7f00:1': ['::ffff:7f00:1'],
});

async function refusal(url: string): Promise<string> {
  const error = await resolveTarget(url, false, dns).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TargetRefusedError);
  return (error as Error).message;
}

describe('resolveTarget', () => {
  it('resolves a public host and pins its first address', async () => {
    const target = await resolveTarget('https://hooks.example.com/kiln?x=1', false, dns);
    expect(target).toMatchObject({ address: '93.184.215.14', family: 4 });
    expect(target.url.href).toBe('https://hooks.example.com/kiln?x=1');
  });

  it('refuses a host when any one of its addresses is private', async () => {
    expect(await refusal('https://rebind.example.com/')).toBe(
      'rebind.example.com resolves to 10.0.0.7, which is not a public address (private); ' +
        'webhooks are sent only to public addresses',
    );
  });

  it('refuses a name that resolves to loopback, and loopback literals in every spelling', async () => {
    expect(await refusal('http://localhost:8080/')).toContain('resolves to 127.0.0.1');
    expect(await refusal('http://127.0.0.1/')).toMatch(/^127\.0\.0\.1 is not a public address/);
    expect(await refusal('http://[::1]/')).toContain('(loopback)');
    expect(await refusal('http://[::ffff:127.0.0.1]/')).toContain('(loopback)');
    // The WHATWG parser reads these as 127.0.0.1, and so does the request: so must the check.
    expect(await refusal('http://0x7f000001/')).toContain('(loopback)');
    expect(await refusal('http://2130706433/')).toContain('(loopback)');
  });

  it('refuses what does not resolve, and what is not http(s)', async () => {
    expect(await refusal('https://nowhere.example.com/')).toBe(
      'nowhere.example.com does not resolve',
    );
    expect(await refusal('ftp://hooks.example.com/')).toBe('url must use http or https');
    expect(await refusal('not a url')).toBe('url is not a valid URL');
  });

  it('lets private addresses through when they are allowed', async () => {
    const target = await resolveTarget('http://localhost:8080/', true, dns);
    expect(target).toMatchObject({ address: '127.0.0.1', family: 4 });
  });
});
