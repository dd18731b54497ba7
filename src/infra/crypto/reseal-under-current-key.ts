import { Repository } from 'typeorm';
import { SecretBox } from './secret-box';

const RESEAL_BATCH = 500;
const FIRST_UUID = '00000000-0000-0000-0000-000000000000';

/** A column of values the secret box sealed, each for a context naming its row. */
export interface SealedColumn<T extends { id: string }> {
  repository: Repository<T>;
  /** The property that holds the sealed value. */
  property: keyof T & string;
  contextOf(row: T): string;
  /** A stored value's plaintext, or a throw when it does not open; by default what the box opens. */
  plaintextOf?(stored: string, context: string): string;
}

/**
 * Seals again, under the current key, every value of the column not sealed under it (after a key
 * rotation), in id order and in batches. A value that does not open is counted and left alone.
 */
export async function resealUnderCurrentKey<T extends { id: string }>(
  box: SecretBox,
  {
    repository,
    property,
    contextOf,
    plaintextOf = (stored, context) => box.open(stored, context),
  }: SealedColumn<T>,
): Promise<{ resealed: number; unreadable: number }> {
  const { tableName } = repository.metadata;
  const column = repository.metadata.findColumnWithPropertyName(property)?.databaseName;
  if (!column) throw new Error(`${tableName} has no column for ${property}`);
  let resealed = 0;
  let unreadable = 0;
  for (let after = FIRST_UUID; ;) {
    const batch = await repository
      .createQueryBuilder('row')
      .where('row.id > :after', { after })
      .andWhere(`row.${property} NOT LIKE :current`, { current: `${box.prefix}%` })
      .orderBy('row.id', 'ASC')
      .limit(RESEAL_BATCH)
      .getMany();
    if (batch.length === 0) break;
    for (const row of batch) {
      const stored = String(row[property]);
      const context = contextOf(row);
      let plaintext: string;
      try {
        plaintext = plaintextOf(stored, context);
      } catch {
        unreadable++;
        continue;
      }
      // Only if unchanged since read (another replica may be at it too); in SQL of its own, so
      // that an update-date column stays: the owner changed nothing.
      await repository.query(
        `UPDATE "${tableName}" SET "${column}" = $1 WHERE id = $2 AND "${column}" = $3`,
        [box.seal(plaintext, context), row.id, stored],
      );
      resealed++;
    }
    after = batch[batch.length - 1].id;
  }
  return { resealed, unreadable };
}
