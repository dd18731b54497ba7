import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { databaseOptions } from '../src/infra/database/database-options';
import { runIdentity } from './support/test-env';

describe('migrations', () => {
  let dataSource: DataSource;
  beforeAll(async () => {
    dataSource = await new DataSource(
      databaseOptions({ url: runIdentity().databaseUrl, poolSize: 1 }),
    ).initialize();
  });
  afterAll(() => dataSource.destroy());

  it('have all been applied to the run database', async () => {
    const files = readdirSync(join(__dirname, '..', 'migrations')).filter((f) => f.endsWith('.ts'));
    const applied = await dataSource.query('SELECT name FROM migrations');
    expect(applied).toHaveLength(files.length);
    expect(await dataSource.showMigrations()).toBe(false);
  });

  it('agree with the entities: generating a migration finds nothing to do', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });
});
