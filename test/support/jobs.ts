import { DataSource } from 'typeorm';
import { TestAccount } from './accounts';
import { eventually } from './eventually';
import { TestApp } from './test-app';

export interface JobBody {
  id: string;
  status: string;
  progress: number;
  outputs: string[];
  attempts: number;
  error?: string;
  startedAt?: string;
  finishedAt?: string;
}

/** Polls GET /jobs/:id until the job reaches one of the statuses. */
export async function waitForJob(
  t: TestApp,
  account: TestAccount,
  id: string,
  statuses: string[] = ['completed', 'failed', 'cancelled'],
  timeoutMs = 60_000,
): Promise<JobBody> {
  return eventually(
    async () => {
      const response = await t.http.get(`/api/v1/jobs/${id}`).set(account.auth);
      expect(statuses).toContain(response.body.status);
      return response.body as JobBody;
    },
    { timeoutMs, intervalMs: 100 },
  );
}

/** Where an output's bytes are on disk, to probe them. */
export async function storedPath(t: TestApp, mediaId: string): Promise<string> {
  const [row] = await t.app
    .get(DataSource)
    .query('SELECT storage_key FROM media WHERE id = $1', [mediaId]);
  return `${t.config.storage.dir}/${row.storage_key}`;
}
