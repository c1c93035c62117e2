import { jobError, type JobError } from '../ports/job-errors.ts';
import { callerApiId, tenantOf } from '../turns/api-ids.ts';
import type { Delivery, DeliveryResult, Outcome } from '../ports/delivery.ts';
import type { TurnRequest } from '../ports/turn-request.ts';
import { sendWebhook, type WebhookOptions } from './send-webhook.ts';

/** The body of a job webhook. */
export interface JobWebhook {
  type: 'job.completed' | 'job.failed';
  jobId: string;
  agentId: string;
  conversationId: string;
  userId: string;
  status: 'done' | 'failed';
  reply?: string;
  /** A stable code and a fixed message, never the internal reason. */
  error?: JobError;
  at: string;
}

/**
 * Delivery for API requests: the reply already sits on the job row (the runner stored it
 * before delivering), so what is left is the signed webhook when the caller gave a URL.
 * A webhook that still fails after its retries is reported undeliverable: the job stays done.
 *
 * @example
 * new ApiDelivery({ secret: settings.webhookSecret });
 */
export class ApiDelivery implements Delivery {
  constructor(private readonly options: Omit<WebhookOptions, 'secret'> & { secret?: string }) {}

  async deliver(request: TurnRequest, outcome: Outcome): Promise<DeliveryResult> {
    if (request.reply.kind !== 'api' || !request.reply.webhookUrl) return { status: 'skipped' };
    const { secret } = this.options;
    if (!secret) {
      return {
        status: 'undeliverable',
        code: 'webhook_not_configured',
        reason: 'this deployment has no webhook signing secret (CARRIER_WEBHOOK_SECRET)',
      };
    }
    // The caller's own ids, as GET /v1/jobs shows them: the tenant part comes off.
    const tenant = tenantOf(request.user.id) ?? '';
    const payload: JobWebhook = {
      type: outcome.kind === 'reply' ? 'job.completed' : 'job.failed',
      jobId: request.reply.jobId,
      agentId: request.character,
      conversationId: callerApiId(tenant, request.conversation) ?? '',
      userId: callerApiId(tenant, request.user.id) ?? '',
      status: outcome.kind === 'reply' ? 'done' : 'failed',
      ...(outcome.kind === 'reply' ? { reply: outcome.text } : { error: jobError(outcome.code) }),
      at: new Date().toISOString(),
    };
    const result = await sendWebhook(request.reply.webhookUrl, request.reply.jobId, payload, {
      ...this.options,
      secret,
    });
    return result.status === 'delivered' ? { status: 'delivered', messages: 1 } : undelivered(result);
  }
}

/**
 * Why a webhook did not arrive, as the job shows it: a stable code and a reason about the
 * caller's own endpoint. A network error's text (our side's) becomes "could not be reached".
 */
function undelivered(result: { attempts: number; reason: string }): DeliveryResult {
  if (!result.attempts) {
    return { status: 'undeliverable', code: 'webhook_refused', reason: `webhook refused: ${result.reason}` };
  }
  const http = /^HTTP \d{3}$/.test(result.reason);
  return {
    status: 'undeliverable',
    code: http ? 'webhook_http_error' : 'webhook_unreachable',
    reason: http
      ? `the webhook answered ${result.reason} after ${result.attempts} tries`
      : `the webhook could not be reached after ${result.attempts} tries`,
  };
}
