import type { TurnRow } from '../ports/turns.ts';
import { optionalIsoTime as iso } from '../ports/sql-rows.ts';
import { callerApiId } from '../turns/api-ids.ts';
import type { Job } from './schemas.ts';

const STATUS: Record<TurnRow['status'], Job['status']> = {
  queued: 'queued',
  running: 'running',
  // The reply is stored; only the webhook may still be on its way.
  answered: 'done',
  done: 'done',
  failed: 'failed',
};

/** A turns row as the API shows it. */
export function jobView(row: TurnRow): Job {
  const status = STATUS[row.status];
  const webhook =
    row.delivery && row.request?.reply.kind === 'api' && row.request.reply.webhookUrl
      ? {
          status: String(row.delivery.status),
          ...(row.delivery.reason ? { reason: String(row.delivery.reason) } : {}),
        }
      : undefined;
  return {
    id: row.id,
    agentId: row.agent_id,
    conversationId: callerApiId(row.conversation),
    userId: callerApiId(row.user_id),
    status,
    ...(status === 'done' && row.result ? { reply: row.result.reply } : {}),
    ...(status === 'failed' && row.error ? { error: row.error } : {}),
    attempts: row.attempts,
    createdAt: iso(row.created_at)!,
    ...(row.finished_at ? { finishedAt: iso(row.finished_at)! } : {}),
    ...(row.usage ? { usage: row.usage as Record<string, string | number | null> } : {}),
    ...(webhook ? { webhook } : {}),
  };
}
