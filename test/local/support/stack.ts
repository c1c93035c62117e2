import { loadSettings } from '#core/wiring/settings.ts';
import type { Settings } from '#core/config/settings.ts';
import { startLocalStack, type LocalStackOptions } from '#core/local/stack.ts';
import { EchoModel } from '../../runner/support/echo-model.ts';

/**
 * Settings for a test stack: nothing read from the developer's .env, and key limits out of the
 * way (tests of the limits set their own).
 */
export async function testSettings(env: Record<string, string> = {}): Promise<Settings> {
  return loadSettings({
    env: {
      CARRIER_DEV_API_KEY: 'ck_dev_test_key_0123456789',
      CARRIER_KEY_RATE_PER_MINUTE: '1000000',
      CARRIER_KEY_BURST: '100000',
      CARRIER_KEY_MAX_IN_FLIGHT: '100000',
      ...env,
    },
    envFile: '/nonexistent/.env',
  });
}

/** A local stack on a free loopback port with a zero-latency echo model. */
export async function testStack(
  options: Partial<LocalStackOptions> & { model?: LocalStackOptions['model'] } = {},
) {
  const model = new EchoModel();
  const stack = await startLocalStack({
    settings: options.settings ?? (await testSettings()),
    port: 0,
    model: () => model.resolved(),
    webhookBaseDelayMs: 10,
    ...options,
    queue: { visibilityTimeoutMs: 50, ...options.queue },
  });
  const headers = { authorization: `Bearer ${stack.devApiKey}`, 'content-type': 'application/json' };
  return {
    stack,
    model,
    headers,
    async send(agent: string, body: Record<string, unknown>, query = ''): Promise<Response> {
      return fetch(`${stack.url}/v1/agents/${agent}/messages${query}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
    },
    async job(jobId: string): Promise<Record<string, unknown>> {
      return (await (await fetch(`${stack.url}/v1/jobs/${jobId}`, { headers })).json()) as Record<
        string,
        unknown
      >;
    },
    /** The job once the stack's queue has run everything it holds (a sent message is in it). */
    async finished(jobId: string): Promise<Record<string, unknown>> {
      await stack.queue.idle();
      return this.job(jobId);
    },
  };
}
