import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { AppConfig } from '../../config/app-config';

type ConnectionSettings = Pick<AppConfig['database'], 'url' | 'poolSize'>;

const ROOT = join(__dirname, '..', '..', '..');

/** One definition of the database connection, shared by the application and the TypeORM CLI. */
export function databaseOptions(database: ConnectionSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: database.url,
    entities: [join(ROOT, 'src', 'modules', '**', 'entities', '*.entity.{ts,js}')],
    migrations: [join(ROOT, 'migrations', '*.{ts,js}')],
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    extra: { max: database.poolSize },
  };
}
