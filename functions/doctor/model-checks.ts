import type { Character } from '../characters/schema.ts';
import { CarrierError } from '../errors.ts';
import { failed, messageOf, passed, ProbeError, type CheckResult } from './check.ts';
import { settingsHome } from './config-checks.ts';
import type { DoctorProbes, ModelTarget } from './probes.ts';

type Env = Record<string, string | undefined>;

/** The model a character resolves to: the runtime's own choice (selectModel), injected. */
export type SelectModel = (
  character: Character,
  options: { deployed: boolean; env: Env },
) => { provider: string; name: string; notice?: string };

const KEYS = { openai: 'OPENAI_API_KEY', anthropic: 'ANTHROPIC_API_KEY' } as const;
const BASES = { openai: 'OPENAI_BASE_URL', anthropic: 'ANTHROPIC_BASE_URL' } as const;

/**
 * A character's model: chosen as the runtime chooses it (a deployed character needs its
 * provider's key; locally the offline model stands in), and with `probe`, one cheap authenticated
 * request proves the key works and the model exists.
 *
 * @example
 * await checkModel(ada, { env, deployed: true, select: selectModel, probe: probes.model });
 */
export async function checkModel(
  character: Character,
  options: { env: Env; deployed: boolean; select: SelectModel; probe?: DoctorProbes['model'] },
): Promise<CheckResult> {
  const name = `model ${character.id}`;
  const { env, deployed } = options;
  let chosen: ReturnType<SelectModel>;
  try {
    chosen = options.select(character, { deployed, env });
  } catch (error) {
    if (!(error instanceof CarrierError)) throw error;
    if (error.code === 'model_key_missing') {
      const key = /\b(OPENAI_API_KEY|ANTHROPIC_API_KEY)\b/.exec(error.message)?.[1] ?? 'the provider key';
      return failed(
        name,
        `${character.id} needs ${key}, which is not set`,
        `add ${key} to ${settingsHome(deployed)}`,
      );
    }
    return failed(
      name,
      messageOf(error),
      `correct modelProvider or model in ${character.source}, or the variable named`,
    );
  }
  if (chosen.provider !== 'openai' && chosen.provider !== 'anthropic') {
    return passed(name, chosen.notice ?? 'the offline model (no key needed)');
  }
  const provider = chosen.provider;
  const target: ModelTarget = {
    provider,
    model: chosen.name,
    ...(env[KEYS[provider]] ? { apiKey: env[KEYS[provider]] } : {}),
    ...(env[BASES[provider]] ? { baseURL: env[BASES[provider]] } : {}),
  };
  const where = `${provider} ${chosen.name}${target.baseURL ? ` at ${target.baseURL}` : ''}`;
  if (!options.probe) return passed(name, `${where}; key set (pass --online to try it)`);
  try {
    await options.probe(target);
    return passed(name, `${where}; the key works`);
  } catch (error) {
    return modelFailure(name, character, target, error, deployed);
  }
}

function modelFailure(
  name: string,
  character: Character,
  target: ModelTarget,
  error: unknown,
  deployed: boolean,
): CheckResult {
  const key = KEYS[target.provider];
  const why = messageOf(error);
  const kind = error instanceof ProbeError ? error.kind : 'unreachable';
  if (kind === 'rejected') {
    return failed(
      name,
      `${target.provider} refused ${key} (${why})`,
      `set ${key} in ${settingsHome(deployed)} to a valid key`,
    );
  }
  if (kind === 'missing') {
    return failed(
      name,
      `${target.provider} has no model "${target.model}" for this key (${why})`,
      `set "model" in ${character.source} to a model the key can use`,
    );
  }
  const base = BASES[target.provider];
  return failed(
    name,
    `cannot reach ${target.provider}${target.baseURL ? ` at ${target.baseURL}` : ''} (${why})`,
    target.baseURL
      ? `check ${base} and that the server is up`
      : 'check the network from here to the provider',
  );
}
