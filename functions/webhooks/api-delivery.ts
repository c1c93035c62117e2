import { callerApiId } from '../turns/api-ids.ts';
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
  error?: string;
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
    if (!secret) return { status: 'undeliverable', reason: 'webhooks need CARRIER_WEBHOOK_SECRET; set it' };
    const payload: JobWebhook = {
      type: outcome.kind === 'reply' ? 'job.completed' : 'job.failed',
      jobId: request.reply.jobId,
      agentId: request.character,
      // The caller's own ids, as GET /v1/jobs shows them.
      conversationId: callerApiId(request.conversation),
      userId: callerApiId(request.user.id),
      status: outcome.kind === 'reply' ? 'done' : 'failed',
      ...(outcome.kind === 'reply' ? { reply: outcome.text } : { error: outcome.reason }),
      at: new Date().toISOString(),
    };
    const result = await sendWebhook(request.reply.webhookUrl, request.reply.jobId, payload, {
      ...this.options,
      secret,
    });
    return result.status === 'delivered'
      ? { status: 'delivered', messages: 1 }
      : {
          status: 'undeliverable',
          reason: result.attempts
            ? `webhook ${result.reason} after ${result.attempts} tries`
            : `webhook refused: ${result.reason}`,
        };
  }
}
