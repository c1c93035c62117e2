import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from '../errors.ts';

/** `messageExamples[2][0].content.text` from zod's path array. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    const name = String(key);
    return out ? `${out}.${name}` : name;
  }, '');
}

/** Describes what was found where zod expected something else: "expected string, got number". */
function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code === 'invalid_type') {
    const found = valueAt(input, issue.path);
    return `expected ${issue.expected}, got ${found === undefined ? 'nothing' : kindOf(found)}`;
  }
  if (issue.code === 'invalid_union') return 'does not match any accepted shape';
  return issue.message;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let at: unknown = input;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function problemsFrom(file: string, error: z.ZodError, input: unknown): ConfigProblem[] {
  return error.issues.map((issue) => ({
    file,
    path: fieldPath(issue.path),
    message: describeIssue(issue, input),
  }));
}

/** Parses `text` as JSON and validates it; throws a ConfigError naming the file and field. */
export function parseJson<S extends z.ZodType>(file: string, text: string, schema: S): z.output<S> {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([{ file, path: '', message: `not valid JSON (${(error as Error).message})` }]);
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ConfigError(problemsFrom(file, parsed.error, input));
  return parsed.data;
}

/** Reads a JSON file and validates it against `schema`. */
export async function readJsonFile<S extends z.ZodType>(file: string, schema: S): Promise<z.output<S>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    throw new ConfigError([{ file, path: '', message: reason }]);
  }
  return parseJson(file, text, schema);
}
