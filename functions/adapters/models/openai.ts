import { OpenAIChatCompletionsModel, OpenAIResponsesModel, type Model } from '@openai/agents';
import OpenAI from 'openai';
import { CLIENT_DEFAULTS, type ProviderClientOptions } from './client-options.ts';

export type OpenAIApi = 'responses' | 'chat_completions';

/** `baseURL` may be any OpenAI-compatible server, e.g. `http://127.0.0.1:11434/v1`. */
export interface OpenAIModelOptions extends ProviderClientOptions {
  /** Responses by default; Chat Completions for servers that only speak that. */
  api?: OpenAIApi;
}

/**
 * An agents-SDK model backed by an OpenAI client this module constructs, so base URL, retries
 * and timeout are explicit rather than read from the environment by the SDK's default client.
 *
 * Retries are the openai client's own: runTurn sets no `modelSettings.retry`, and without it the
 * SDK's runner makes one attempt and leaves retrying to the client.
 *
 * @example
 * const model = openaiModel('gpt-4.1-mini', { apiKey: process.env.OPENAI_API_KEY });
 * const local = openaiModel('llama3.1', { baseURL: 'http://127.0.0.1:11434/v1', api: 'chat_completions' });
 */
export function openaiModel(name: string, options: OpenAIModelOptions = {}): Model {
  const client = new OpenAI({
    // A compatible server often needs no key, but the client refuses to start without one.
    apiKey: options.apiKey ?? 'not-needed',
    baseURL: options.baseURL ?? null,
    maxRetries: options.maxRetries ?? CLIENT_DEFAULTS.maxRetries,
    timeout: options.timeoutMs ?? CLIENT_DEFAULTS.timeoutMs,
  });
  return options.api === 'chat_completions'
    ? new OpenAIChatCompletionsModel(client, name)
    : new OpenAIResponsesModel(client, name);
}

/** Reads `OPENAI_API`: unset or `responses` means Responses; `chat_completions` means Chat Completions. */
export function parseOpenAIApi(value: string | undefined): OpenAIApi | undefined {
  if (value === undefined || value === '' || value === 'responses') return 'responses';
  if (value === 'chat_completions') return 'chat_completions';
  return undefined;
}
