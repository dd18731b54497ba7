import { Logger } from '@nestjs/common';
import { loadConfig, loadDotEnv } from './config/load-config';
import { createApp } from './http/create-app';
import { ensureDatabase } from './infra/database/ensure-database';

async function bootstrap(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  if (config.database.createIfMissing) await ensureDatabase(config.database.url);

  const app = await createApp(config);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  // Work still running when the grace period ends is left to Bull: its lock lapses and the
  // job goes back to the queue for another worker.
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => {
      setTimeout(() => {
        Logger.warn(`Grace period of ${config.shutdown.graceMs} ms is over; exiting`, 'Shutdown');
        process.exit(0);
      }, config.shutdown.graceMs).unref();
    });
  }

  await app.listen(config.listenPort, config.http.host);
  Logger.log(`Kiln (${config.role}) listening on ${await app.getUrl()}`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
