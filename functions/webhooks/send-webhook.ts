import { OutboundRefusedError } from '../outbound/address-policy.ts';
import type { OutboundFetch } from '../ports/outbound.ts';
import { signWebhook, WEBHOOK_HEADERS } from './signature.ts';
import { webhookRefusal, webhookUrlProblem, type WebhookTargetOptions } from './webhook-target.ts';

export interface WebhookOptions extends Pick<WebhookTargetOptions, 'allowLocal'> {
  secret: string;
  /**
   * The pinned fetch (OutboundFetch): it resolves the host once per try and connects only to
   * the address it checked, with the reach that matches `allowLocal`.
   */
  fetch: OutboundFetch;
  /** Tries in all; the waits between them double from `baseDelayMs`. Default 4 tries, 1 s. */
  attempts?: number;
  baseDelayMs?: number;
  /** Per try. Default 5 s. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export type WebhookResult =
  | { status: 'delivered'; attempts: number; httpStatus: number }
  | { status: 'failed'; attempts: number; reason: string };

/**
 * POSTs a signed JSON webhook and retries network errors, timeouts, 429 and 5xx with
 * exponential backoff. Other 4xx answers are final: the receiver rejected it. Each try is
 * signed afresh (new timestamp); the id header stays the same so receivers can drop repeats.
 * It was checked when accepted, but DNS may answer differently now: the pinned fetch checks the
 * address each try connects to, and a refusal ends the tries (no retry can change it).
 *
 * @example
 * await sendWebhook('https://example.com/hook', 'job-1', { type: 'job.completed' }, { secret, fetch: pinnedFetch({ reach: 'public' }) });
 */
export async function sendWebhook(
  url: string,
  id: string,
  payload: unknown,
  options: WebhookOptions,
): Promise<WebhookResult> {
  const attempts = options.attempts ?? 4;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const body = JSON.stringify(payload);
  const problem = webhookUrlProblem(url, options);
  if (problem) return { status: 'failed', attempts: 0, reason: problem };
  let reason = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep((options.baseDelayMs ?? 1000) * 2 ** (attempt - 2));
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const response = await options.fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'carrier-webhooks',
          [WEBHOOK_HEADERS.id]: id,
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: signWebhook(options.secret, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
        redirect: 'manual',
      });
      await response.body?.cancel();
      if (response.ok) return { status: 'delivered', attempts: attempt, httpStatus: response.status };
      reason = `HTTP ${response.status}`;
      if (response.status !== 429 && response.status < 500)
        return { status: 'failed', attempts: attempt, reason };
    } catch (error) {
      if (error instanceof OutboundRefusedError) {
        return { status: 'failed', attempts: attempt - 1, reason: webhookRefusal(error).message };
      }
      reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  }
  return { status: 'failed', attempts, reason };
}
