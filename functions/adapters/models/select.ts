import { createHash } from 'node:crypto';
import type { Model } from '@openai/agents';
import type { Character } from '../../characters/schema.ts';
import { LazyModel } from './lazy-model.ts';
import { ModelError } from './model-error.ts';
import { offlineModel } from './offline.ts';
import { offlineOptions } from './offline-options.ts';
import { openaiModel, parseOpenAIApi, type OpenAIApi } from './openai.ts';
import type { ProviderName, ResolvedModel } from '../../ports/model.ts';

type Env = Record<string, string | undefined>;

export interface SelectModelOptions {
  /** Defaults to `process.env`. */
  env?: Env;
  /** On AWS a missing key is an error; locally the offline model answers instead. */
  deployed: boolean;
}

export const DEFAULT_MODELS = { openai: 'gpt-4.1-mini', anthropic: 'claude-sonnet-5-5' } as const;

/** `modelProvider` values a character file may use, ElizaOS's spellings included. */
const PROVIDER_ALIASES: Record<string, ProviderName> = {
  openai: 'openai',
  anthropic: 'anthropic',
  claude: 'anthropic',
  offline: 'offline',
};

const SECRETS: Record<Exclude<ProviderName, 'offline'>, string> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
};

/**
 * Chooses the model for a character from its `modelProvider` and `model` and the keys in the
 * environment. With no key, a local run answers with the offline model and says so in `notice`;
 * a deployed one fails, naming the secret to set. `CARRIER_MODEL=offline` forces the offline model.
 *
 * @example
 * const model = selectModel(character, { deployed: false });
 * if (model.notice) console.error(model.notice);
 */
export function selectModel(character: Character, options: SelectModelOptions): ResolvedModel {
  const env = options.env ?? process.env;
  const forced = env.CARRIER_MODEL;
  if (forced === 'offline') return offlineModel(undefined, offlineOptions(env));
  if (forced) {
    throw new ModelError(
      `CARRIER_MODEL=${forced} is not a model choice; set it to offline or unset it`,
      'model_env_invalid',
    );
  }
  const provider = providerOf(character, env);
  if (provider === 'offline') return offlineModel(undefined, offlineOptions(env));
  const name = character.model ?? DEFAULT_MODELS[provider];
  if (!configured(provider, env)) {
    const secret = SECRETS[provider];
    if (options.deployed) {
      throw new ModelError(
        `${character.id} uses ${provider} but ${secret} is not set; add ${secret} to the environment's secrets`,
        'model_key_missing',
      );
    }
    return offlineModel(
      `${character.id} uses ${provider} but ${secret} is not set; answering with the offline model`,
      offlineOptions(env),
    );
  }
  return { model: cachedModel(provider, name, env), provider, name };
}

function providerOf(character: Character, env: Env): ProviderName {
  const given = character.modelProvider;
  if (given === undefined) {
    // A character that names no provider takes whichever key is there, OpenAI first.
    if (!configured('openai', env) && configured('anthropic', env)) return 'anthropic';
    return 'openai';
  }
  const provider = PROVIDER_ALIASES[given.trim().toLowerCase()];
  if (!provider) {
    throw new ModelError(
      `${character.source}: modelProvider: unknown provider "${given}"; use one of ${Object.keys(PROVIDER_ALIASES).join(', ')}`,
      'model_provider_unknown',
    );
  }
  return provider;
}

function configured(provider: Exclude<ProviderName, 'offline'>, env: Env): boolean {
  if (provider === 'openai') return Boolean(env.OPENAI_API_KEY || env.OPENAI_BASE_URL);
  return Boolean(env.ANTHROPIC_API_KEY);
}

/** Models (and their HTTP clients) live for the process: a warm Lambda reuses its connections. */
const models = new Map<string, Model>();

function cachedModel(provider: Exclude<ProviderName, 'offline'>, name: string, env: Env): Model {
  const apiKey = provider === 'openai' ? env.OPENAI_API_KEY : env.ANTHROPIC_API_KEY;
  const baseURL = provider === 'openai' ? env.OPENAI_BASE_URL : env.ANTHROPIC_BASE_URL;
  const api = provider === 'openai' ? openaiApi(env) : undefined;
  // The key is part of the identity (a rotated secret needs a new client) but is kept hashed.
  const key = JSON.stringify([provider, api, name, baseURL, digest(apiKey)]);
  let model = models.get(key);
  if (!model) {
    const options = { ...(apiKey ? { apiKey } : {}), ...(baseURL ? { baseURL } : {}) };
    model = api
      ? openaiModel(name, { ...options, api })
      : new LazyModel(async () => (await import('./anthropic.ts')).anthropicModel(name, options));
    models.set(key, model);
  }
  return model;
}

function openaiApi(env: Env): OpenAIApi {
  const api = parseOpenAIApi(env.OPENAI_API);
  if (!api) {
    throw new ModelError(
      `OPENAI_API=${env.OPENAI_API} is not an OpenAI API; use responses or chat_completions`,
      'model_env_invalid',
    );
  }
  return api;
}

function digest(value: string | undefined): string | undefined {
  return value === undefined ? undefined : createHash('sha256').update(value).digest('hex');
}
