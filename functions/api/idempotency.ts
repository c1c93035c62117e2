import { createHash } from 'node:crypto';
import type { TurnRequest } from '../ports/turn-request.ts';
import type { TurnRow } from '../ports/turns.ts';
import { ApiError } from './errors.ts';

/** Idempotency keys are the caller's: printable ASCII, at most 255 characters (Stripe's limit). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The job id of a keyed request: the same tenant and header always name the same job (so a key
 * rotated within the tenant still finds it), and two tenants never share one.
 *
 * @example
 * idempotentJobId('acme', 'b3c1…'); // 'idem_…' (32 characters after the prefix)
 */
export function idempotentJobId(tenant: string, header: string): string {
  if (!IDEMPOTENCY_KEY.test(header)) {
    throw new ApiError(400, 'invalid_request', 'Idempotency-Key must be 1-255 printable ASCII characters', [
      { path: 'header.idempotency-key', message: 'use e.g. a UUID per message' },
    ]);
  }
  const digest = createHash('sha256').update(`tenant\n${tenant}\n${header}`).digest('base64url');
  return `idem_${digest.slice(0, 32)}`;
}

/**
 * Whether a stored job is the resend of `request` by `tenant`: same tenant, agent, text,
 * conversation and user. The same key with a different message is a caller's bug, refused with
 * 409 rather than answered with another reply.
 */
export function assertSameRequest(job: TurnRow, request: TurnRequest, tenant: string): void {
  const same =
    job.tenant === tenant &&
    job.agent_id === request.character &&
    job.request?.text === request.text &&
    job.conversation === request.conversation &&
    job.user_id === request.user.id;
  if (!same) {
    throw new ApiError(
      409,
      'idempotency_key_reused',
      'this Idempotency-Key was used for a different message; use a new key for each message',
    );
  }
}
