import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { SnakeNamingStrategy } from './snake-naming.strategy';

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
    namingStrategy: new SnakeNamingStrategy(),
    // gen_random_uuid() is built into PostgreSQL 13+, so no extension has to be installed.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    migrationsRun: false,
    extra: { max: database.poolSize },
  };
}
