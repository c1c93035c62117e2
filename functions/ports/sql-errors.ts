import { CarrierError } from '../errors.ts';

/**
 * A store that cannot be used as configured: unreachable, rejected credentials, missing
 * pgvector, not migrated, or a migration that failed (and was rolled back).
 */
export class StoreError extends CarrierError {
  override name = 'StoreError';
}
