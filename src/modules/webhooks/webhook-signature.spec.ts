import { newWebhookSecret, signatureHeader, signWebhookBody } from './webhook-signature';

describe('webhook signatures', () => {
  const secret = 'whsec_test-secret';
  const body =
    '{"id":"e1","type":"job.completed","createdAt":"2030-01-01T00:00:00.000Z","data":{}}';

  it('is the hex HMAC-SHA256 of "<t>.<body>" keyed with the whole secret', () => {
    // Computed independently: printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_abc
    expect(signWebhookBody('whsec_abc', 1700000000, '{"a":1}')).toBe(
      '3b843bacfb18cc5554542fdcc84d815b399c52758e508a6fcecf0a2af4efea2b',
    );
  });

  it('builds the header from the time in whole seconds', () => {
    const header = signatureHeader(secret, body, new Date('2030-01-01T00:00:00.900Z'));
    const timestamp = 1893456000;
    expect(header).toBe(`t=${timestamp},v1=${signWebhookBody(secret, timestamp, body)}`);
  });

  it('changes with the body, the timestamp and the secret', () => {
    const base = signWebhookBody(secret, 1, body);
    expect(signWebhookBody(secret, 2, body)).not.toBe(base);
    expect(signWebhookBody(secret, 1, `${body} `)).not.toBe(base);
    expect(signWebhookBody('whsec_other', 1, body)).not.toBe(base);
  });

  it('makes secrets that are whsec_ and 256 random bits, never the same twice', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(a);
  });
});
