import { execFileSync } from 'node:child_process';
import { DataSource } from 'typeorm';
import { createAccount } from './support/accounts';
import { eventually } from './support/eventually';
import { freePort } from './support/free-port';
import { waitForJob } from './support/jobs';
import { deleteRedisKeys } from './support/redis-keys';
import { ServiceProcess } from './support/service-process';
import { startTestApp, TestApp } from './support/test-app';
import { testEnv } from './support/test-config';
import { runIdentity } from './support/test-env';

/** Processes whose command line names the job's work directory (its ffmpeg). */
function processesOfJob(id: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', `job-${id}`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  } catch {
    return []; // pgrep exits with 1 when nothing matches
  }
}

/**
 * A worker killed with SIGKILL in the middle of a job: once a worker runs again, Bull finds the
 * job stalled and runs it again, and the job ends completed with one set of outputs.
 */
describe('a worker killed in the middle of a job', () => {
  const prefix = `${runIdentity().redisPrefix}-crash`;
  // This suite's own queue, so no other suite's worker takes its job.
  const env = { REDIS_PREFIX: prefix, JOBS_LOCK_MS: '2000' };
  let api: TestApp;
  const workers: ServiceProcess[] = [];

  async function startWorker(): Promise<ServiceProcess> {
    const port = await freePort();
    const worker = new ServiceProcess(
      testEnv({ ...env, APP_ROLE: 'worker', WORKER_PORT: String(port), HOST: '127.0.0.1' }),
    );
    workers.push(worker);
    await worker.waitUntilLive(port);
    return worker;
  }

  beforeAll(async () => {
    api = await startTestApp({ ...env, APP_ROLE: 'api' });
  });
  afterAll(async () => {
    for (const worker of workers) worker.kill();
    await api.close();
    await deleteRedisKeys(prefix);
  });

  it('still completes the job, exactly once', async () => {
    const owner = await createAccount(api);
    const first = await startWorker();
    const created = await api.http
      .post('/api/v1/jobs')
      .set(owner.auth)
      .send({
        type: 'generate',
        params: { prompt: 'crash', durationSec: 12, resolution: '720p', quality: 'low' },
      });
    expect(created.status).toBe(202);
    const id = created.body.id as string;

    await waitForJob(api, owner, id, ['processing']);
    await eventually(async () => expect(processesOfJob(id)).not.toEqual([]));
    first.kill();
    expect(await first.exitCode()).toBeNull();
    // The media launcher sees its parent go and stops the job's ffmpeg.
    await eventually(async () => expect(processesOfJob(id)).toEqual([]));

    await startWorker();
    const job = await waitForJob(api, owner, id, ['completed', 'failed'], 90_000);
    expect(job.status).toBe('completed');
    expect(job.outputs).toHaveLength(1);
    const outputs = await api.app
      .get(DataSource)
      .query(`SELECT id FROM media WHERE job_id = $1 AND kind = 'output'`, [id]);
    expect(outputs.map((m: { id: string }) => m.id)).toEqual(job.outputs);
  });
});
