import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UserRole } from '../src/common/auth/role';
import { createAccount, TestAccount } from './support/accounts';
import { onPlan, usedOf } from './support/billing';
import { FakeOpenAiServer } from './support/fake-openai-server';
import { expectProblem } from './support/problem';
import { readEvents } from './support/sse';
import { startTestApp, TestApp } from './support/test-app';

describe('conversations (built-in extractive responder)', () => {
  let t: TestApp;
  let owner: TestAccount;
  let other: TestAccount;
  let operator: TestAccount;
  let collectionId: string;

  beforeAll(async () => {
    t = await startTestApp();
    [owner, other, operator] = await Promise.all([
      createAccount(t),
      createAccount(t),
      createAccount(t, UserRole.Operator),
    ]);
    collectionId = (
      await t.http.post('/api/v1/embeddings/collections').set(owner.auth).send({ name: 'Handbook' })
    ).body.id;
    await t.http
      .post(`/api/v1/embeddings/collections/${collectionId}/documents`)
      .set(owner.auth)
      .send({
        documents: [
          {
            id: 'leave',
            text: 'Employees get twenty five days of paid leave each year. Leave requests go to your manager.',
          },
          {
            id: 'laptops',
            text: 'Laptops are replaced every three years. Broken laptops go to the IT desk.',
          },
        ],
      });
  });
  afterAll(() => t.close());

  const create = (account: TestAccount, body: object = {}) =>
    t.http.post('/api/v1/conversations').set(account.auth).send(body);
  const post = (account: TestAccount, id: string, body: object) =>
    t.http.post(`/api/v1/conversations/${id}/messages`).set(account.auth).send(body);

  it('creates a conversation grounded on a collection; 404/403 for a collection not the caller’s', async () => {
    const response = await create(owner, { title: 'HR', systemPrompt: 'Be brief.', collectionId });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      title: 'HR',
      status: 'active',
      collectionId,
      ownerId: owner.id,
    });
    expectProblem(await create(other, { collectionId }), 403);
    expectProblem(await create(owner, { collectionId: randomUUID() }), 404);
    expectProblem(await create(owner, { title: '' }), 400);
  });

  it('answers from the documents with citations, storing both messages with tokens and latency', async () => {
    const { id } = (await create(owner, { collectionId })).body;
    const response = await post(owner, id, {
      content: 'How many days of paid leave do employees get?',
    });
    expect(response.status).toBe(201);
    expect(response.body.message).toMatchObject({ role: 'user', tokens: expect.any(Number) });
    expect(response.body.reply).toMatchObject({
      role: 'assistant',
      latencyMs: expect.any(Number),
      citations: [expect.objectContaining({ documentId: 'leave' })],
    });
    expect(response.body.reply.content).toContain('twenty five days');
    expect(response.body.reply.tokens).toBeGreaterThan(5);
  });

  it('says plainly when the documents do not cover the question', async () => {
    const { id } = (await create(owner, { collectionId })).body;
    const response = await post(owner, id, { content: 'What is the capital of Peru?' });
    expect(response.body.reply.content).toMatch(/don't have any information/);
    expect(response.body.reply).not.toHaveProperty('citations.0');
  });

  it('stores only the message with reply:false, and pages messages oldest first by cursor', async () => {
    const { id } = (await create(owner)).body;
    for (const n of [1, 2, 3]) await post(owner, id, { content: `note ${n}`, reply: false });
    const first = await t.http.get(`/api/v1/conversations/${id}/messages?limit=2`).set(owner.auth);
    expect(first.body.data.map((m: { content: string }) => m.content)).toEqual([
      'note 1',
      'note 2',
    ]);
    expect(first.body.meta).toEqual({ nextCursor: expect.any(String) });
    expect(first.body.data[0]).toEqual({
      id: expect.any(String),
      conversationId: id,
      role: 'user',
      content: 'note 1',
      tokens: expect.any(Number),
      createdAt: expect.any(String),
    });
    const second = await t.http
      .get(`/api/v1/conversations/${id}/messages?limit=2&cursor=${first.body.meta.nextCursor}`)
      .set(owner.auth);
    expect(second.body).toMatchObject({
      data: [{ content: 'note 3' }],
      meta: { nextCursor: null },
    });
    expectProblem(
      await t.http.get(`/api/v1/conversations/${id}/messages?cursor=abc`).set(owner.auth),
      400,
    );
  });

  it('streams the reply as delta events, then done with the stored message', async () => {
    const { id } = (await create(owner, { collectionId })).body;
    const { status, events, type } = await readEvents(
      post(owner, id, { content: 'Where do broken laptops go?' }).set(
        'Accept',
        'text/event-stream',
      ),
    );
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/event-stream/);
    const deltas = events.filter((e) => e.event === 'delta').map((e) => e.data.content as string);
    const done = events.at(-1)!;
    expect(done.event).toBe('done');
    expect(deltas.length).toBeGreaterThan(1);
    const stored = (done.data.reply as { content: string }).content;
    expect(deltas.join('')).toBe(stored);
    const history = await t.http.get(`/api/v1/conversations/${id}/messages`).set(owner.auth);
    expect(history.body.data.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);
    expect(history.body.data[1].content).toBe(stored);
  });

  it('honours Idempotency-Key on posting a message', async () => {
    const { id } = (await create(owner)).body;
    const key = randomUUID();
    const first = await post(owner, id, { content: 'once', reply: false }).set(
      'Idempotency-Key',
      key,
    );
    const again = await post(owner, id, { content: 'once', reply: false }).set(
      'Idempotency-Key',
      key,
    );
    expect(again.body.message.id).toBe(first.body.message.id);
    expectProblem(
      await post(owner, id, { content: 'twice', reply: false }).set('Idempotency-Key', key),
      422,
    );
    const history = await t.http.get(`/api/v1/conversations/${id}/messages`).set(owner.auth);
    expect(history.body.data).toHaveLength(1);
  });

  it('honours Idempotency-Key on a streamed post, whichever way the repeat is asked', async () => {
    const { id } = (await create(owner, { collectionId })).body;
    const key = randomUUID();
    const question = { content: 'Where do broken laptops go?' };
    const streamed = (body: object) =>
      post(owner, id, body).set('Accept', 'text/event-stream').set('Idempotency-Key', key);
    const first = (await readEvents(streamed(question))).events.at(-1)!;
    expect(first.event).toBe('done');
    const again = await readEvents(streamed(question));
    expect(again.status).toBe(200);
    expect(again.events.at(-1)).toEqual(first);
    expect(
      again.events
        .filter((e) => e.event === 'delta')
        .map((e) => e.data.content)
        .join(''),
    ).toBe((first.data.reply as { content: string }).content);
    const asJson = await post(owner, id, question).set('Idempotency-Key', key);
    expect(asJson.status).toBe(201);
    expect(asJson.body).toEqual(first.data);
    expectProblem(await streamed({ content: 'Something else?' }), 422);
    const history = await t.http.get(`/api/v1/conversations/${id}/messages`).set(owner.auth);
    expect(history.body.data).toHaveLength(2);
  });

  it('refuses posts from others (403), to archived conversations (409), and bad bodies (400)', async () => {
    const { id } = (await create(owner)).body;
    expectProblem(await post(other, id, { content: 'hi' }), 403);
    expectProblem(await post(operator, id, { content: 'hi' }), 403);
    expectProblem(await post(owner, id, { content: '' }), 400);
    expectProblem(await post(owner, id, { content: 'hi', role: 'assistant' }), 400);
    await t.http.patch(`/api/v1/conversations/${id}`).set(owner.auth).send({ status: 'archived' });
    expectProblem(await post(owner, id, { content: 'hi' }), 409);
    expectProblem(await post(owner, randomUUID(), { content: 'hi' }), 404);
  });

  it('refuses streamed posts before the first byte, as problem+json, and stores nothing', async () => {
    const { id } = (await create(owner)).body;
    const streamed = (account: TestAccount | null, target: string, body: object) => {
      const request = t.http
        .post(`/api/v1/conversations/${target}/messages`)
        .set('Accept', 'text/event-stream');
      return (account ? request.set(account.auth) : request).send(body);
    };
    expectProblem(await streamed(null, id, { content: 'hi' }), 401);
    expectProblem(await streamed(other, id, { content: 'hi' }), 403);
    expectProblem(await streamed(owner, randomUUID(), { content: 'hi' }), 404);
    expectProblem(await streamed(owner, id, { content: '' }), 400);
    expectProblem(
      await streamed(owner, id, { content: 'hi' }).set('Idempotency-Key', 'k'.repeat(256)),
      400,
    );
    await t.http.patch(`/api/v1/conversations/${id}`).set(owner.auth).send({ status: 'archived' });
    expectProblem(await streamed(owner, id, { content: 'hi' }), 409);
    const history = await t.http.get(`/api/v1/conversations/${id}/messages`).set(owner.auth);
    expect(history.body.data).toEqual([]);

    // Over quota: 402 with the meter, and the key stays free for after an upgrade.
    const capped = await createAccount(t);
    await onPlan(t, capped, { limits: { messages: 0 } });
    const full = (await create(capped)).body.id;
    const refused = expectProblem(
      await streamed(capped, full, { content: 'hi' }).set('Idempotency-Key', 'after-upgrade'),
      402,
    );
    expect(refused).toMatchObject({ meter: 'messages', limit: 0, used: 0 });
    expect(await usedOf(t, capped.id, 'messages')).toBe(0);
    await onPlan(t, capped, {});
    const retried = await readEvents(
      streamed(capped, full, { content: 'hi' }).set('Idempotency-Key', 'after-upgrade'),
    );
    expect(retried.events.at(-1)!.event).toBe('done');
  });

  it('lists, reads, updates, archives and hard-deletes', async () => {
    const { id } = (await create(owner, { title: 'Findable unicorn' })).body;
    const found = await t.http
      .get('/api/v1/conversations?search=unicorn&status=active')
      .set(owner.auth);
    expect(found.body.data.map((c: { id: string }) => c.id)).toEqual([id]);
    expect((await t.http.get(`/api/v1/conversations/${id}`).set(operator.auth)).status).toBe(200);
    expectProblem(await t.http.get(`/api/v1/conversations/${id}`).set(other.auth), 403);
    const patched = await t.http
      .patch(`/api/v1/conversations/${id}`)
      .set(owner.auth)
      .send({ title: 'Renamed', metadata: { tag: 'x' } });
    expect(patched.body).toMatchObject({ title: 'Renamed', metadata: { tag: 'x' } });
    expectProblem(
      await t.http.patch(`/api/v1/conversations/${id}`).set(owner.auth).send({ status: 'gone' }),
      400,
    );
    expect((await t.http.delete(`/api/v1/conversations/${id}`).set(owner.auth)).status).toBe(204);
    expect((await t.http.get(`/api/v1/conversations/${id}`).set(owner.auth)).body.status).toBe(
      'archived',
    );
    expect(
      (await t.http.delete(`/api/v1/conversations/${id}?hard=true`).set(owner.auth)).status,
    ).toBe(204);
    expectProblem(await t.http.get(`/api/v1/conversations/${id}`).set(owner.auth), 404);
  });

  it('takes feedback, gives stats, a summary and exports', async () => {
    const { id } = (await create(owner, { title: 'Stats', collectionId })).body;
    const posted = await post(owner, id, { content: 'paid leave days?' });
    const rated = await t.http
      .post(`/api/v1/conversations/${id}/messages/${posted.body.reply.id}/feedback`)
      .set(owner.auth)
      .send({ rating: 'up', comment: 'useful' });
    expect(rated.status).toBe(201);
    expect(rated.body).toEqual({
      id: expect.any(String),
      messageId: posted.body.reply.id,
      rating: 'up',
      comment: 'useful',
      createdAt: expect.any(String),
    });
    expectProblem(
      await t.http
        .post(`/api/v1/conversations/${id}/messages/${randomUUID()}/feedback`)
        .set(owner.auth)
        .send({ rating: 'up' }),
      404,
    );
    expectProblem(
      await t.http
        .post(`/api/v1/conversations/${id}/messages/${posted.body.reply.id}/feedback`)
        .set(owner.auth)
        .send({ rating: 'meh' }),
      400,
    );

    const stats = await t.http.get(`/api/v1/conversations/${id}/stats`).set(owner.auth);
    expect(stats.body).toEqual({
      conversationId: id,
      messagesByRole: { user: 1, assistant: 1, system: 0 },
      tokens: {
        user: posted.body.message.tokens,
        assistant: posted.body.reply.tokens,
        total: posted.body.message.tokens + posted.body.reply.tokens,
      },
      meanReplyLatencyMs: expect.any(Number),
      firstMessageAt: posted.body.message.createdAt,
      lastMessageAt: posted.body.reply.createdAt,
    });
    const empty = (await create(owner)).body.id;
    expect((await t.http.get(`/api/v1/conversations/${empty}/stats`).set(owner.auth)).body).toEqual(
      expect.objectContaining({
        messagesByRole: { user: 0, assistant: 0, system: 0 },
        tokens: { user: 0, assistant: 0, total: 0 },
        meanReplyLatencyMs: null,
        firstMessageAt: null,
        lastMessageAt: null,
      }),
    );

    const summary = await t.http.get('/api/v1/conversations/summary').set(owner.auth);
    expect(summary.body).toEqual({
      conversations: {
        byStatus: {
          active: expect.any(Number),
          archived: expect.any(Number),
          closed: expect.any(Number),
        },
        total: expect.any(Number),
      },
      messagesPerDay: expect.any(Array),
    });
    const { byStatus, total } = summary.body.conversations;
    expect(byStatus.active).toBeGreaterThan(0);
    expect(total).toBe(byStatus.active + byStatus.archived + byStatus.closed);
    expect(summary.body.messagesPerDay).toHaveLength(30);
    expect(summary.body.messagesPerDay.at(-1)).toEqual({
      date: posted.body.message.createdAt.slice(0, 10),
      count: expect.any(Number),
    });
    expect(summary.body.messagesPerDay.at(-1).count).toBeGreaterThan(0);

    const md = await t.http.get(`/api/v1/conversations/${id}/export?format=md`).set(owner.auth);
    expect(md.headers['content-type']).toMatch(/^text\/markdown/);
    expect(md.text).toContain('# Stats');
    expect(md.text).toContain('paid leave days?');
    const json = await t.http.get(`/api/v1/conversations/${id}/export?format=json`).set(owner.auth);
    const exported = JSON.parse(json.text);
    expect(exported.messages).toHaveLength(2);
    // The documented shape: the conversation as GET /conversations/:id answers it.
    const current = await t.http.get(`/api/v1/conversations/${id}`).set(owner.auth);
    expect(exported.conversation).toEqual(current.body);
    expectProblem(
      await t.http.get(`/api/v1/conversations/${id}/export?format=pdf`).set(owner.auth),
      400,
    );
    expectProblem(await t.http.get('/api/v1/conversations/nope/export').set(owner.auth), 400);
    expectProblem(
      await t.http.get(`/api/v1/conversations/${randomUUID()}/export`).set(owner.auth),
      404,
    );
    const stranger = await createAccount(t);
    expectProblem(await t.http.get(`/api/v1/conversations/${id}/export`).set(stranger.auth), 403);
    expectProblem(await t.http.get(`/api/v1/conversations/${id}/export`), 401);
  });
});

describe('conversations through an OpenAI-compatible chat service', () => {
  let openai: FakeOpenAiServer;
  let t: TestApp;
  let owner: TestAccount;

  beforeAll(async () => {
    openai = await FakeOpenAiServer.start({ reply: 'The service says hello to you.' });
    t = await startTestApp({
      CHAT_BASE_URL: openai.baseUrl,
      CHAT_API_KEY: 'chat-secret',
      CHAT_MODEL: 'fake-model',
    });
    owner = await createAccount(t);
  });
  afterAll(async () => {
    await t.close();
    await openai.close();
  });

  it('streams the service’s reply and stores it', async () => {
    const { id } = (
      await t.http.post('/api/v1/conversations').set(owner.auth).send({ systemPrompt: 'Be kind.' })
    ).body;
    const { events } = await readEvents(
      t.http
        .post(`/api/v1/conversations/${id}/messages`)
        .set(owner.auth)
        .set('Accept', 'text/event-stream')
        .send({ content: 'hello?' }),
    );
    expect(
      events
        .filter((e) => e.event === 'delta')
        .map((e) => e.data.content)
        .join(''),
    ).toBe('The service says hello to you.');
    expect(events.at(-1)!.event).toBe('done');
    const [request] = openai.requestsTo('chat');
    expect(request.headers.authorization).toBe('Bearer chat-secret');
    expect(JSON.parse(request.body).messages[0]).toMatchObject({ role: 'system' });
  });

  it('gives the client a clean error event when the service fails mid-stream, and stores nothing', async () => {
    openai.configure({
      reply: 'This answer will be cut off before it ends properly.',
      cutStreamAfter: 3,
      delayMs: 20,
    });
    const { id } = (await t.http.post('/api/v1/conversations').set(owner.auth).send({})).body;
    const key = randomUUID();
    const streamed = () =>
      t.http
        .post(`/api/v1/conversations/${id}/messages`)
        .set(owner.auth)
        .set('Accept', 'text/event-stream')
        .set('Idempotency-Key', key)
        .send({ content: 'go' });
    const { events } = await readEvents(streamed());
    expect(events.filter((e) => e.event === 'delta').length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ event: 'error', data: { status: 502 } });
    const countMessages = async () =>
      (
        await t.app
          .get(DataSource)
          .query('SELECT count(*)::int AS count FROM messages WHERE conversation_id = $1', [id])
      )[0].count as number;
    expect(await countMessages()).toBe(0);

    // The failed attempt freed its key: the client's retry is answered afresh.
    openai.configure({ reply: 'The service says hello to you.' });
    expect((await readEvents(streamed())).events.at(-1)).toMatchObject({ event: 'done' });
    expect(await countMessages()).toBe(2);
  });
});
