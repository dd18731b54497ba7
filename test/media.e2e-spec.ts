import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { UserRole } from '../src/common/auth/role';
import { createAccount, TestAccount } from './support/accounts';
import { sampleAudio, sampleImage, sampleVideo } from './support/media-samples';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('media', () => {
  let t: TestApp;
  let owner: TestAccount;
  let other: TestAccount;
  let operator: TestAccount;
  let video: string;

  beforeAll(async () => {
    t = await startTestApp({ MEDIA_MAX_BYTES: String(2 * 1024 * 1024) });
    [owner, other, operator] = await Promise.all([
      createAccount(t),
      createAccount(t),
      createAccount(t, UserRole.Operator),
    ]);
    video = await sampleVideo({ durationSec: 2, width: 320, height: 240 });
  });
  afterAll(() => t.close());

  const upload = (
    account: TestAccount,
    path: string,
    fields: Record<string, string> = {},
    filename?: string,
  ) => {
    const request = t.http.post('/api/v1/media').set(account.auth);
    for (const [name, value] of Object.entries(fields)) request.field(name, value);
    return request.attach('file', path, filename ? { filename } : undefined);
  };

  const rowCount = async (ownerId: string): Promise<number> => {
    const [{ count }] = await t.app
      .get(DataSource)
      .query('SELECT count(*)::int AS count FROM media WHERE owner_id = $1', [ownerId]);
    return count;
  };

  describe('POST /media', () => {
    it('stores a video with the type, hash and metadata read from its bytes', async () => {
      const response = await upload(owner, video, {}, 'holiday clip.mp4');
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        kind: 'upload',
        filename: 'holiday clip.mp4',
        mimeType: 'video/mp4',
        sizeBytes: (await readFile(video)).length,
        sha256: sha256(await readFile(video)),
        durationSec: expect.closeTo(2, 0),
        width: 320,
        height: 240,
        projectId: null,
        jobId: null,
        ownerId: owner.id,
        createdAt: expect.any(String),
      });
    });

    it('reads images and audio too', async () => {
      const image = await upload(owner, await sampleImage('png'));
      expect(image.body).toMatchObject({ mimeType: 'image/png', width: expect.any(Number) });
      const audio = await upload(owner, await sampleAudio('wav'));
      expect(audio.body).toMatchObject({ mimeType: 'audio/wav', durationSec: expect.any(Number) });
      expect(audio.body).not.toHaveProperty('width');
    });

    it('answers 415 for a file that is not media, whatever its name and Content-Type say', async () => {
      const dir = t.config.storage.dir;
      const fake = join(dir, `fake-${randomUUID()}.mp4`);
      await writeFile(fake, '%PDF-1.7 not a video at all');
      const before = await rowCount(owner.id);
      const response = await t.http
        .post('/api/v1/media')
        .set(owner.auth)
        .attach('file', fake, { filename: 'movie.mp4', contentType: 'video/mp4' });
      expectProblem(response, 415);
      expect(await rowCount(owner.id)).toBe(before);
    });

    it('answers 415 for a file that looks like media but cannot be read', async () => {
      const broken = join(t.config.storage.dir, `broken-${randomUUID()}.mp4`);
      const bytes = await readFile(video);
      await writeFile(broken, Buffer.concat([bytes.subarray(0, 32), Buffer.alloc(4096, 7)]));
      expectProblem(await upload(owner, broken), 415);
    });

    it('answers 413 over MEDIA_MAX_BYTES and keeps no partial file', async () => {
      const big = join(t.config.storage.dir, `big-${randomUUID()}.mp4`);
      const bytes = await readFile(video);
      await writeFile(big, Buffer.concat([bytes, Buffer.alloc(3 * 1024 * 1024)]));
      const before = await rowCount(owner.id);
      expectProblem(await upload(owner, big), 413);
      expect(await rowCount(owner.id)).toBe(before);
      // Other suites' jobs work in tmp/job-* directories; no upload file may be left beside them.
      const left = await readdir(join(t.config.storage.dir, 'tmp'));
      expect(left.filter((name) => !name.startsWith('job-'))).toEqual([]);
    });

    it('answers 400 without a file, with unknown fields or a bad projectId, and 415 for JSON', async () => {
      const noFile = await t.http
        .post('/api/v1/media')
        .set(owner.auth)
        .field('projectId', randomUUID());
      expect((expectProblem(noFile, 400).errors as { field: string }[])[0].field).toBe('file');
      expectProblem(await upload(owner, video, { colour: 'blue' }), 400);
      expectProblem(await upload(owner, video, { projectId: 'nope' }), 400);
      expectProblem(await t.http.post('/api/v1/media').set(owner.auth).send({ file: 'x' }), 415);
    });

    it('puts the upload in a project the caller may add to: 404, 403 and 409 otherwise', async () => {
      const project = (await t.http.post('/api/v1/projects').set(owner.auth).send({ name: 'P' }))
        .body;
      const ok = await upload(owner, video, { projectId: project.id });
      expect(ok.body.projectId).toBe(project.id);
      expectProblem(await upload(other, video, { projectId: project.id }), 403);
      expectProblem(await upload(owner, video, { projectId: randomUUID() }), 404);
      await t.http
        .patch(`/api/v1/projects/${project.id}`)
        .set(owner.auth)
        .send({ status: 'archived' });
      expectProblem(await upload(owner, video, { projectId: project.id }), 409);

      const stats = await t.http.get(`/api/v1/projects/${project.id}/stats`).set(owner.auth);
      expect(stats.body.media).toEqual({ count: 1, bytes: ok.body.sizeBytes });
    });

    it('honours Idempotency-Key: a repeat answers the first upload and stores nothing new', async () => {
      const account = await createAccount(t);
      const key = randomUUID();
      const first = await upload(account, video).set('Idempotency-Key', key);
      const again = await upload(account, video).set('Idempotency-Key', key);
      expect(again.status).toBe(201);
      expect(again.body.id).toBe(first.body.id);
      expect(await rowCount(account.id)).toBe(1);

      const different = await upload(account, await sampleImage('png')).set('Idempotency-Key', key);
      expectProblem(different, 422);
      expect((await upload(account, video).set('Idempotency-Key', randomUUID())).body.id).not.toBe(
        first.body.id,
      );
      expect(await rowCount(account.id)).toBe(2);
    });
  });

  describe('reading', () => {
    let mediaId: string;
    let bytes: Buffer;
    beforeAll(async () => {
      mediaId = (await upload(owner, video)).body.id;
      bytes = await readFile(video);
    });

    it('lists the caller’s media; operators may ask for another owner’s', async () => {
      const mine = await t.http.get('/api/v1/media?kind=upload&limit=100').set(owner.auth);
      expect(mine.body.data.some((m: { id: string }) => m.id === mediaId)).toBe(true);
      const theirs = await t.http.get('/api/v1/media').set(other.auth);
      expect(theirs.body.data.some((m: { id: string }) => m.id === mediaId)).toBe(false);
      const staff = await t.http
        .get(`/api/v1/media?ownerId=${owner.id}&limit=100`)
        .set(operator.auth);
      expect(staff.body.data.some((m: { id: string }) => m.id === mediaId)).toBe(true);
      expectProblem(await t.http.get('/api/v1/media?kind=other').set(owner.auth), 400);
    });

    it('answers metadata to the owner and operators, 403 to others, 404 for unknown ids', async () => {
      expect((await t.http.get(`/api/v1/media/${mediaId}`).set(operator.auth)).status).toBe(200);
      expectProblem(await t.http.get(`/api/v1/media/${mediaId}`).set(other.auth), 403);
      expectProblem(await t.http.get(`/api/v1/media/${randomUUID()}`).set(owner.auth), 404);
    });

    it('serves the bytes whole, and a Range as 206', async () => {
      const whole = await t.http
        .get(`/api/v1/media/${mediaId}/content`)
        .set(owner.auth)
        .buffer(true);
      expect(whole.status).toBe(200);
      expect(whole.headers['content-type']).toBe('video/mp4');
      expect(whole.headers['accept-ranges']).toBe('bytes');
      expect(Buffer.compare(whole.body, bytes)).toBe(0);

      const part = await t.http
        .get(`/api/v1/media/${mediaId}/content`)
        .set(owner.auth)
        .set('Range', 'bytes=100-199')
        .buffer(true);
      expect(part.status).toBe(206);
      expect(part.headers['content-range']).toBe(`bytes 100-199/${bytes.length}`);
      expect(Buffer.compare(part.body, bytes.subarray(100, 200))).toBe(0);

      const tail = await t.http
        .get(`/api/v1/media/${mediaId}/content`)
        .set(owner.auth)
        .set('Range', 'bytes=-10')
        .buffer(true);
      expect(Buffer.compare(tail.body, bytes.subarray(bytes.length - 10))).toBe(0);
    });

    it('answers 416 for a range outside the file, 403 to others', async () => {
      const response = await t.http
        .get(`/api/v1/media/${mediaId}/content`)
        .set(owner.auth)
        .set('Range', `bytes=${bytes.length}-`);
      expectProblem(response, 416);
      expect(response.headers['content-range']).toBe(`bytes */${bytes.length}`);
      expectProblem(await t.http.get(`/api/v1/media/${mediaId}/content`).set(other.auth), 403);
    });
  });

  describe('DELETE /media/:id', () => {
    it('removes the row and the bytes; 403 for others, 404 after', async () => {
      const { id } = (await upload(owner, video)).body;
      expectProblem(await t.http.delete(`/api/v1/media/${id}`).set(other.auth), 403);
      expect((await t.http.delete(`/api/v1/media/${id}`).set(owner.auth)).status).toBe(204);
      expectProblem(await t.http.get(`/api/v1/media/${id}`).set(owner.auth), 404);
      expect(await readdir(join(t.config.storage.dir, 'media'))).not.toContain(id);
    });
  });
});
