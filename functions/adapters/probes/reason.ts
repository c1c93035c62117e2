import { ProbeError } from '../../doctor/check.ts';

/**
 * A network failure in one short phrase: Node's fetch says only "fetch failed" and keeps the
 * useful part (ECONNREFUSED 127.0.0.1:1) in `cause`.
 *
 * @example
 * networkReason(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })); // 'fetch failed: ECONNREFUSED'
 */
export function networkReason(error: unknown): string {
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const detail =
    typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  return detail && !message.includes(detail) ? `${message}: ${detail}` : message;
}

/** An HTTP status as a probe failure: refused credentials, a missing thing, or anything else. */
export function statusProbeError(status: number | undefined, message: string, cause?: unknown): ProbeError {
  if (status === 401 || status === 403) return new ProbeError(message, 'rejected', { cause });
  if (status === 404) return new ProbeError(message, 'missing', { cause });
  if (status === undefined) return new ProbeError(message, 'unreachable', { cause });
  return new ProbeError(message, 'invalid', { cause });
}
