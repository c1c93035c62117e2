import { copyFile, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ConfigError, type ConfigProblem } from '../errors.ts';
import type { McpConfig } from '../mcp/config.ts';
import { scanCharacterFolder, separateClashes, type CharacterEntry } from './catalog.ts';
import { idChanges } from './character-id.ts';
import { readCharacterFile } from './load.ts';

/** One file to copy into the characters folder. */
export interface ImportStep {
  source: string;
  id: string;
  /** `<to>/<id>.json`. */
  target: string;
  /** What deriving the id changed about the file name, in words. */
  changes: string[];
  /** The `id` the file declares itself (ElizaOS: a UUID), kept as it is. */
  fileId?: string;
  /** The file already holding this id, removed when it is not `target` itself (with `force`). */
  replaces?: string;
  /** The same bytes are already there: nothing to copy. */
  unchanged?: boolean;
}

export interface ImportPlan {
  to: string;
  steps: ImportStep[];
  /** Every reason not to import; when there is one, nothing is copied. */
  problems: ConfigProblem[];
  /** Files in the given folders that are not character files. */
  ignored: string[];
}

export interface ImportOptions {
  /** The characters folder. Default `characters`. */
  to?: string;
  /** Replace a character that is already there with different content. */
  force?: boolean;
  /** Checks the files' `mcp_servers` against these servers, as loading does. */
  mcp?: McpConfig;
}

/**
 * Works out how files and folders of character files (ElizaOS's `*.character.json`, camelCase,
 * extension-less) go into the characters folder as `<id>.json`, unchanged inside. Every file is
 * validated first, and any problem (a bad file, two files with one id, an id already there)
 * stops the whole import, so a folder never ends half-imported.
 *
 * @example
 * const plan = await planImport(['downloads/eliza/characters']);
 * if (!plan.problems.length) await applyImport(plan);
 */
export async function planImport(sources: string[], options: ImportOptions = {}): Promise<ImportPlan> {
  const to = options.to ?? 'characters';
  const plan: ImportPlan = { to, steps: [], problems: [], ignored: [] };
  const files = await expandSources(sources, plan);
  if (!files.length && !plan.problems.length) {
    plan.problems.push({
      file: sources.join(', '),
      path: '',
      message:
        'holds no character files (*.character.json, *.json, or files without an extension that hold JSON)',
    });
  }
  const loaded: Array<CharacterEntry & { fileId?: string }> = [];
  for (const file of files) {
    try {
      const character = await readCharacterFile(file, options.mcp);
      loaded.push({ id: character.id, file, ...(character.fileId ? { fileId: character.fileId } : {}) });
    } catch (error) {
      if (error instanceof ConfigError) plan.problems.push(...error.problems);
      else throw error;
    }
  }
  const here = scanCharacterFolder(to);
  plan.problems.push(...here.problems);
  const existing = new Map(here.entries.map((e) => [e.id, e.file]));
  for (const entry of loaded) {
    const step: ImportStep = {
      source: entry.file,
      id: entry.id,
      target: join(to, `${entry.id}.json`),
      changes: idChanges(basename(entry.file), entry.id),
      ...(entry.fileId ? { fileId: entry.fileId } : {}),
    };
    const current = existing.get(entry.id);
    if (current && (await sameBytes(current, entry.file))) step.unchanged = true;
    else if (current && !options.force) {
      plan.problems.push({
        file: entry.file,
        path: '',
        message: `${current} already holds character "${entry.id}"; pass --force to replace it, or rename the file you import`,
      });
      continue;
    } else if (current) step.replaces = current;
    plan.steps.push(step);
  }
  // The folder as it will be: what stays, then what comes in; clashes among them name both files.
  const replaced = new Set(plan.steps.map((s) => s.id));
  const after = [
    ...here.entries.filter((e) => !replaced.has(e.id)),
    ...plan.steps.map((s) => ({ id: s.id, file: s.source })),
  ];
  plan.problems.push(...separateClashes(after).problems);
  return plan;
}

/** Copies the planned files; refuses a plan that has problems. */
export async function applyImport(plan: ImportPlan): Promise<void> {
  if (plan.problems.length) throw new ConfigError(plan.problems);
  await mkdir(plan.to, { recursive: true });
  for (const step of plan.steps) {
    if (step.unchanged) continue;
    await copyFile(step.source, step.target);
    if (step.replaces && resolve(step.replaces) !== resolve(step.target)) await rm(step.replaces);
  }
}

/**
 * One line saying what happened to a file, for the CLI.
 *
 * @example
 * describeStep(step); // 'cosmosHelper.character.json → characters/cosmoshelper.json (id "cosmoshelper": dropped .character.json, lower-cased)'
 */
export function describeStep(step: ImportStep): string {
  if (step.unchanged) return `${step.source}: already in ${step.target} as "${step.id}"`;
  const notes = [
    step.changes.length ? step.changes.join(', ') : 'name kept',
    ...(step.fileId ? [`its own id ${step.fileId} kept, not used`] : []),
    ...(step.replaces ? [`replaces ${step.replaces}`] : []),
  ];
  return `${step.source} → ${step.target} (id "${step.id}": ${notes.join('; ')})`;
}

async function expandSources(sources: string[], plan: ImportPlan): Promise<string[]> {
  const files: string[] = [];
  for (const source of sources) {
    const info = await stat(source).catch(() => undefined);
    if (!info) {
      plan.problems.push({
        file: source,
        path: '',
        message: 'not found; give a character file or a folder of them',
      });
    } else if (info.isDirectory()) {
      const scan = scanCharacterFolder(source);
      files.push(...scan.entries.map((e) => e.file));
      plan.problems.push(...scan.problems);
      plan.ignored.push(...scan.ignored);
    } else {
      files.push(source);
    }
  }
  return files;
}

async function sameBytes(a: string, b: string): Promise<boolean> {
  if (resolve(a) === resolve(b)) return true;
  const [x, y] = await Promise.all([readFile(a), readFile(b)]);
  return x.equals(y);
}
