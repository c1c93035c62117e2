import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { ConfigError } from '../errors.ts';

/** The env file settings were read from locally, or looked for and not found. */
export interface EnvFileSource {
  /** The path as given: `.env`, CARRIER_ENV_FILE or the `envFile` option. */
  path: string;
  found: boolean;
}

/**
 * Which env file to read and whether it must be there. The default `.env` is optional (a fresh
 * clone has none), and so is an `envFile` passed in code: tests and benches pass a missing path
 * to mean "read no file". A file the user names with CARRIER_ENV_FILE must exist: a typo there
 * would otherwise run every command on other settings without a word. To read no file through
 * the variable, point it at an empty one (`/dev/null`).
 *
 * @example
 * envFileChoice(undefined, { CARRIER_ENV_FILE: 'ci.env' }); // { path: 'ci.env', named: true }
 */
export function envFileChoice(
  envFile: string | undefined,
  env: NodeJS.ProcessEnv,
): { path: string; named: boolean } {
  if (envFile !== undefined) return { path: envFile, named: false };
  const named = env.CARRIER_ENV_FILE;
  return named ? { path: named, named: true } : { path: '.env', named: false };
}

/**
 * Reads an env file's variables. A missing file gives none unless the user `named` it with
 * CARRIER_ENV_FILE; then, as for any file that exists and cannot be read, it is one ConfigError
 * line naming the file and the fix.
 *
 * @example
 * readEnvFile({ path: '/tmp/nope.env', named: true });
 * // throws: CARRIER_ENV_FILE=/tmp/nope.env: no such file; create it or unset CARRIER_ENV_FILE to read .env
 */
export function readEnvFile(choice: { path: string; named: boolean }): {
  values: Record<string, string>;
  source: EnvFileSource;
} {
  const { path, named } = choice;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    if (code === 'ENOENT' && !named) return { values: {}, source: { path, found: false } };
    throw new ConfigError([envFileProblem(path, named, code)]);
  }
  return { values: definedOnly(parseEnv(text)), source: { path, found: true } };
}

function envFileProblem(path: string, named: boolean, code: string) {
  const unset = named ? ' or unset CARRIER_ENV_FILE to read .env' : '';
  return {
    file: named ? `CARRIER_ENV_FILE=${path}` : path,
    path: '',
    message:
      code === 'ENOENT'
        ? `no such file; create it${unset}`
        : `cannot read it (${code}); make it a readable file${unset}`,
  };
}

/** The entries of an env record that have a value. */
export function definedOnly(env: NodeJS.Dict<string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}
