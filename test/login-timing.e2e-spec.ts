import { createAccount, uniqueEmail } from './support/accounts';
import { startTestApp, TestApp } from './support/test-app';

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function loginMillis(t: TestApp, email: string): Promise<number> {
  const started = process.hrtime.bigint();
  const response = await t.http
    .post('/api/v1/auth/login')
    .send({ email, password: 'wrong password!' });
  expect(response.status).toBe(401);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

// Not a speed target: a security property. Without the dummy bcrypt compare an unknown email
// is answered in a few milliseconds and a known one after a full bcrypt compare.
describe('login timing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ BCRYPT_COST: '10' });
  });
  afterAll(() => t.close());

  it('spends a bcrypt compare on unknown emails too, so timing does not reveal accounts', async () => {
    const account = await createAccount(t);
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      known.push(await loginMillis(t, account.email));
      unknown.push(await loginMillis(t, uniqueEmail('nobody')));
    }
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
  });
});
