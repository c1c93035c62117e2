import { CarrierError } from '../../errors.ts';

/**
 * A model that cannot be chosen or called as asked: an unknown provider, a missing key where
 * the offline model may not stand in, or a request the provider's API cannot express.
 */
export class ModelError extends CarrierError {
  override name = 'ModelError';
}
