import { signWebhook, WEBHOOK_HEADERS } from './signature.ts';
import { assertPublicWebhook, WebhookTargetError, type WebhookTargetOptions } from './webhook-target.ts';

export interface WebhookOptions extends WebhookTargetOptions {
  secret: string;
  /** Tries in all; the waits between them double from `baseDelayMs`. Default 4 tries, 1 s. */
  attempts?: number;
  baseDelayMs?: number;
  /** Per try. Default 5 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export type WebhookResult =
  | { status: 'delivered'; attempts: number; httpStatus: number }
  | { status: 'failed'; attempts: number; reason: string };

/**
 * POSTs a signed JSON webhook and retries network errors, timeouts, 429 and 5xx with
 * exponential backoff. Other 4xx answers are final: the receiver rejected it. Each try is
 * signed afresh (new timestamp); the id header stays the same so receivers can drop repeats.
 * A URL whose host is or resolves to a private address is refused before any try (see
 * webhook-target.ts); it was checked when accepted too, but DNS may answer differently now.
 *
 * @example
 * await sendWebhook('https://example.com/hook', 'job-1', { type: 'job.completed' }, { secret });
 */
export async function sendWebhook(
  url: string,
  id: string,
  payload: unknown,
  options: WebhookOptions,
): Promise<WebhookResult> {
  const attempts = options.attempts ?? 4;
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const body = JSON.stringify(payload);
  try {
    await assertPublicWebhook(url, options);
  } catch (error) {
    if (error instanceof WebhookTargetError) return { status: 'failed', attempts: 0, reason: error.message };
    throw error;
  }
  let reason = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep((options.baseDelayMs ?? 1000) * 2 ** (attempt - 2));
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const response = await doFetch(url, {
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
      reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  }
  return { status: 'failed', attempts, reason };
}
