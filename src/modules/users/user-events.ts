import type { EntityManager } from 'typeorm';

/**
 * Called inside the transaction that deactivates or deletes a user, so that modules holding
 * that user's credentials (auth) can revoke them atomically without users depending on them.
 */
export type UserLockedOutListener = (userId: string, manager: EntityManager) => Promise<void>;
