import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ICruiseOptions, ICruiseResult } from 'dependency-cruiser';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = fileURLToPath(new URL('../fixtures/boundaries', import.meta.url));
let options: ICruiseOptions;

beforeAll(async () => {
  options = await extractDepcruiseOptions(`${root}/.dependency-cruiser.cjs`);
});

async function violations(paths: string[], baseDir: string): Promise<string[]> {
  const tsConfig = extractTSConfig(`${root}/tsconfig.json`);
  const { output } = await cruise(paths, { ...options, baseDir }, {}, { tsConfig });
  return (output as ICruiseResult).summary.violations.map(
    (v) =>
      `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (${v.cycle.map((c) => c.name).join(' → ')})` : ''}`,
  );
}

describe('the direction of imports (.dependency-cruiser.cjs)', () => {
  it('holds for the runtime, the CLI and the CDK app: no cycles, domain never imports adapters or clients', async () => {
    expect(await violations(['functions', 'bin', 'lib'], root)).toEqual([]);
  });

  it('fails on a deliberately wrong import and on a file cycle, naming the files', async () => {
    const found = await violations(['functions'], fixtures);
    expect(found).toContain(
      'domain-not-to-adapters: functions/agents/reaches-an-adapter.ts → functions/adapters/store/rows.ts',
    );
    expect(
      found.some((v) => v.startsWith('no-file-cycles: functions/turns/first.ts → functions/turns/second.ts')),
    ).toBe(true);
  });
});

describe('file sizes', () => {
  it('keeps runtime, CLI and CDK files small: median ≤ 80 lines, none over 300', () => {
    const files = execFileSync('git', ['ls-files', 'functions', 'bin', 'lib'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => /\.(ts|mjs)$/.test(f));
    const lines = files.map((f) => ({ f, n: readFileSync(`${root}/${f}`, 'utf8').split('\n').length }));
    const sorted = lines.map((l) => l.n).sort((a, b) => a - b);
    expect(sorted[Math.floor((sorted.length - 1) / 2)]).toBeLessThanOrEqual(80);
    expect(lines.filter((l) => l.n > 300).map((l) => `${l.f}: ${l.n} lines`)).toEqual([]);
  });
});
