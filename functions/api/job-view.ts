import type { TurnRow } from '../ports/turns.ts';
import { jobError } from '../ports/job-errors.ts';
import { optionalIsoTime as iso } from '../ports/sql-rows.ts';
import { callerApiId } from '../turns/api-ids.ts';
import type { CallerIds } from './caller-ids.ts';
import type { Job } from './schemas.ts';

const STATUS: Record<TurnRow['status'], Job['status']> = {
  queued: 'queued',
  running: 'running',
  // The reply is stored; only the webhook may still be on its way.
  answered: 'done',
  done: 'done',
  failed: 'failed',
};

/**
 * A turns row as the API shows it to its tenant: the caller's own ids (`ids`, default the job's
 * tenant's), and a failure as a stable code with a fixed message (the internal reason stays on
 * the row).
 */
export function jobView(row: TurnRow, ids?: Pick<CallerIds, 'shownUser' | 'shownConversation'>): Job {
  const tenant = row.tenant ?? '';
  const shown = ids ?? {
    shownUser: (id: string) => callerApiId(tenant, id),
    shownConversation: (id: string) => callerApiId(tenant, id),
  };
  const status = STATUS[row.status];
  const webhook =
    row.delivery && row.request?.reply.kind === 'api' && row.request.reply.webhookUrl
      ? {
          status: String(row.delivery.status),
          ...(row.delivery.code ? { code: String(row.delivery.code) } : {}),
          ...(row.delivery.reason && row.delivery.code ? { reason: String(row.delivery.reason) } : {}),
        }
      : undefined;
  return {
    id: row.id,
    agentId: row.agent_id,
    conversationId: shown.shownConversation(row.conversation) ?? '',
    userId: shown.shownUser(row.user_id) ?? '',
    status,
    // The caller's own message; emptied once its user was forgotten.
    ...(row.request?.text ? { text: row.request.text } : {}),
    // A forgotten user's reply is gone: the job says it finished, not what it said.
    ...(status === 'done' && row.result && !row.forgotten_at ? { reply: row.result.reply } : {}),
    ...(status === 'failed' ? { error: jobError(row.error_code) } : {}),
    attempts: row.attempts,
    createdAt: iso(row.created_at)!,
    ...(row.finished_at ? { finishedAt: iso(row.finished_at)! } : {}),
    ...(row.usage ? { usage: row.usage as Record<string, string | number | null> } : {}),
    ...(webhook ? { webhook } : {}),
  };
}
