import type { ModelTarget } from '../../doctor/probes.ts';
import { networkReason, statusProbeError } from './reason.ts';

/**
 * Asks the provider for the character's model (GET /v1/models/{model}): authenticated, free,
 * and it fails with 401 for a bad key and 404 for a model the key cannot use. No retries: a
 * doctor reports what it sees.
 *
 * @example
 * await probeModel({ provider: 'openai', model: 'gpt-4.1-mini', apiKey });
 */
export async function probeModel(target: ModelTarget, timeoutMs = 10_000): Promise<void> {
  const options = {
    // A compatible server may need no key, but the SDKs insist on one.
    apiKey: target.apiKey ?? 'not-set',
    ...(target.baseURL ? { baseURL: target.baseURL } : {}),
    maxRetries: 0,
    timeout: timeoutMs,
  };
  try {
    if (target.provider === 'openai') {
      const { default: OpenAI } = await import('openai');
      await new OpenAI(options).models.retrieve(target.model);
    } else {
      const { default: Anthropic } = await import('@anthropic-ai/sdk');
      await new Anthropic(options).models.retrieve(target.model);
    }
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    const code = typeof status === 'number' ? status : undefined;
    const reason = code
      ? `HTTP ${code}: ${firstLine(error)}`
      : networkReason((error as { cause?: unknown }).cause ?? error);
    throw statusProbeError(code, reason, error);
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.replace(/^\d{3}\s+/, '');
}
