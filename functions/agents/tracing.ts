import { getGlobalTraceProvider } from '@openai/agents';

/**
 * Whether turns export the agents SDK's spans to OpenAI's traces: only with
 * CARRIER_TRACING=openai (off by default: a trace holds the conversation). Read once at start.
 *
 * @example
 * new Runner({ tracingDisabled: !openAiTracing() });
 */
export function openAiTracing(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const value = env.CARRIER_TRACING;
  if (value === undefined || value === '' || value === 'off') return false;
  if (value === 'openai') return true;
  throw new Error(`CARRIER_TRACING=${value} is not a tracing choice; set it to openai, off, or unset it`);
}

/** Sends the spans still buffered: a Lambda container freezes once the handler returns. */
export async function flushTraces(): Promise<void> {
  if (openAiTracing()) await getGlobalTraceProvider().forceFlush();
}
