import { Column, Entity, Index, UpdateDateColumn } from 'typeorm';
import { OwnedRecord } from '../../users/entities/owned-record';
import { ProviderKind } from '../provider-kind';

/** A user's own key for a provider: encrypted (see SecretBox), and its last characters. */
@Entity('provider_keys')
@Index(['ownerId', 'provider'], { unique: true })
export class ProviderKey extends OwnedRecord {
  @Column({ type: 'enum', enum: ProviderKind, enumName: 'provider_kind' })
  provider: ProviderKind;

  /** The key sealed by the secret box for this owner and provider. */
  @Column({ type: 'text' })
  ciphertext: string;

  @Column({ type: 'varchar', length: 4 })
  lastFour: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
