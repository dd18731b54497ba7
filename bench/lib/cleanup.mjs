import { rm } from 'node:fs/promises';
import Redis from 'ioredis';
import pg from 'pg';

/** Drops the bench database; FORCE ends any connection a killed Kiln may have left behind. */
export async function dropDatabase(databaseUrl) {
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * Drops the databases that runs killed hard left behind: those named with `prefix` that nothing
 * is connected to (a run under way always is, so it keeps its own).
 */
export async function dropAbandonedDatabases(maintenanceUrl, prefix) {
  const maintenance = new URL(maintenanceUrl);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  const dropped = [];
  try {
    const { rows } = await client.query(
      `SELECT datname FROM pg_database d
       WHERE starts_with(datname, $1)
         AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
      [prefix],
    );
    for (const { datname } of rows) {
      // Without FORCE: a run that connected meanwhile makes this fail, and keeps its database.
      await client
        .query(`DROP DATABASE IF EXISTS "${datname.replace(/"/g, '""')}"`)
        .then(() => dropped.push(datname))
        .catch(() => undefined);
    }
  } finally {
    await client.end();
  }
  return dropped;
}

/** Deletes every key under the run's prefix; SCAN rather than KEYS so Redis never blocks. */
export async function deleteRedisKeys(prefix, redisUrl = 'redis://127.0.0.1:6379') {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  // Failures reach us through the rejected commands; without a listener ioredis prints them too.
  redis.on('error', () => {});
  let deleted = 0;
  try {
    await redis.connect();
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 })) {
      if (keys.length > 0) deleted += await redis.del(...keys);
    }
  } finally {
    redis.disconnect();
  }
  return deleted;
}

export async function removeDirectory(dir) {
  await rm(dir, { recursive: true, force: true });
}
