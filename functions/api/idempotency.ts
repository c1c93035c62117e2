import { createHash } from 'node:crypto';
import type { TurnRequest } from '../ports/turn-request.ts';
import type { TurnRow } from '../ports/turns.ts';
import { checkIdempotencyKey, idempotencyKeyReused } from './idempotency-key.ts';

/**
 * The job id of a keyed message: the same scope and header always name the same job (so a key
 * rotated within the tenant still finds it), and two scopes never share one. The scope is the
 * tenant for API keys and the user for signed-in users (caller-ids.ts), so two users of one app
 * sending the same key never meet. A header that is not 1-255 printable ASCII characters is a
 * 400 (idempotency-key.ts).
 *
 * @example
 * idempotentJobId('acme', 'b3c1…'); // 'idem_…' (32 characters after the prefix)
 */
export function idempotentJobId(scope: string, header: string): string {
  const key = checkIdempotencyKey(header, 'header.idempotency-key')!;
  const digest = createHash('sha256').update(`tenant\n${scope}\n${key}`).digest('base64url');
  return `idem_${digest.slice(0, 32)}`;
}

/**
 * Whether a stored job is the resend of `request` by `tenant`: same tenant, agent, text,
 * conversation and user. The same key with a different message is a caller's bug, refused with
 * a 409 naming the key rather than answered with another reply.
 */
export function assertSameRequest(job: TurnRow, request: TurnRequest, tenant: string, key: string): void {
  const same =
    job.tenant === tenant &&
    job.agent_id === request.character &&
    job.request?.text === request.text &&
    job.conversation === request.conversation &&
    job.user_id === request.user.id;
  if (!same) throw idempotencyKeyReused(key, 'message');
}
