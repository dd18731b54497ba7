import { DataSource } from 'typeorm';
import { loadConfig, loadDotEnv } from '../../config/load-config';
import { databaseOptions } from './database-options';

// The TypeORM CLI entry point (npm run migration:*); the application builds its own from the same options.
loadDotEnv();
export default new DataSource(databaseOptions(loadConfig().database));
