import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { assistantMessage, ScriptedModel } from '@openai/agents/testing';
import { InMemoryMemory } from '#core/adapters/memory/in-memory-memory.ts';
import { runTurn } from '#core/agents/run-turn.ts';
import { loadCharacter } from '#core/characters/load.ts';
import { ms, percentile, sampleMs, type BenchRow } from './table.ts';

/** Framework overhead of one turn (zero-latency scripted model) and the turn module's cold import. */
export async function benchTurn(): Promise<BenchRow[]> {
  const character = await loadCharacter('ada');
  const memory = new InMemoryMemory();
  const runs = 300;
  const model = new ScriptedModel(Array.from({ length: runs * 2 }, () => [assistantMessage('ok')]));
  let n = 0;
  const samples = await sampleMs(
    () =>
      runTurn(
        { id: `b${n++}`, character, conversation: `c${n % 20}`, user: { id: 'u' }, text: 'hello there' },
        { model: { model, provider: 'offline', name: 'scripted' }, memory },
      ),
    runs,
    30,
  );
  const bundle = await bundleForLambda('functions/agents/run-turn.ts');
  const imports = Array.from({ length: 5 }, () => coldImportMs(bundle.file));
  return [
    {
      suite: 'turn',
      name: 'overhead per turn, median',
      value: ms(percentile(samples, 50)),
      note: `${runs} turns`,
    },
    { suite: 'turn', name: 'overhead per turn, p95', value: ms(percentile(samples, 95)) },
    {
      suite: 'turn',
      name: 'cold import of run-turn, median',
      value: ms(percentile(imports, 50)),
      note: `5 fresh processes; esbuild bundle as on Lambda, ${Math.round(bundle.bytes / 1024)} KB minified`,
    },
  ];
}

/** Bundles `entry` the way the Lambda functions are bundled: one minified ESM file for Node 24. */
export async function bundleForLambda(entry: string): Promise<{ file: string; bytes: number }> {
  const file = join(mkdtempSync(join(tmpdir(), 'carrier-bench-')), 'index.mjs');
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    outfile: file,
    metafile: true,
    logLevel: 'silent',
    banner: { js: "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);" },
  });
  return { file, bytes: Object.values(result.metafile.outputs)[0]!.bytes };
}

/** Milliseconds a fresh Node process takes to import `file` (measured inside the process). */
export function coldImportMs(file: string): number {
  const script = `const t=performance.now();await import(${JSON.stringify(file)});console.log(performance.now()-t)`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return Number(out.trim().split('\n').at(-1));
}
