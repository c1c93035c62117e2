import { CarrierError } from '../errors.ts';

/**
 * A media file that cannot be used as given (`retryable: false`: the message says what to
 * change), or a source or host that failed for now (`retryable: true`).
 */
export class MediaError extends CarrierError {
  override name = 'MediaError';
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, retryable ? 'media_unavailable' : 'media_invalid', options);
  }
}
