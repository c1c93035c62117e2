import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { loadDeployment, type Deployment } from '../../lib/config/deployment.ts';
import { LAMBDA_MODULES_DIR } from '../../lib/config/lambda-modules.ts';
import { addCarrierEnvironment } from '../../lib/stacks/carrier-app.ts';
import { cdkContext, functionProperties } from './synth.ts';

/** What `npx cdk synth -c env=<env>` writes, bundles included, read back from its cdk.out. */
export interface BundledSynth {
  deployment: Deployment;
  /** The cdk.out folder. */
  dir: string;
  template: Template;
  /** Synth's warnings (annotations), one string each. */
  warnings: string[];
  /** The folder function `carrier-<env>-<name>` was bundled into, as `cdk deploy` uploads it. */
  assetDir(name: string): string;
}

const CACHE = resolve('node_modules/.cache/carrier-synth');
/**
 * What a bundle is made of, and how it is synthesised (cdk.json's context, the App built below):
 * when none of it changed, the cached cdk.out is the same one.
 */
const SOURCES = [
  'functions',
  'lib',
  'bin',
  'characters',
  'config',
  'cdk.json',
  'package-lock.json',
  'test/infra/synth.ts',
  'test/infra/bundled-synth.ts',
];

/**
 * The bundled synth of a shipped environment, made once per change of the sources and shared
 * by every test file (and run) that needs it: it takes ~1 minute on two cores. It synthesises
 * offline (`carrier:fetchLambdaModules` false): without prepared linux-arm64 binaries the
 * publisher's asset ships sharp's JavaScript only, and synth warns.
 *
 * @example
 * const s = await bundledSynth('dev');
 * readdirSync(s.assetDir('api')); // ['characters', 'config', 'index.mjs']
 */
export async function bundledSynth(env: string): Promise<BundledSynth> {
  const dir = join(CACHE, `${env}-${sourceHash()}`);
  if (!existsSync(join(dir, 'manifest.json'))) await underLock(`${dir}.lock`, () => synthInto(env, dir));
  const assembly = new CloudAssembly(dir);
  const stack = assembly.stacks[0]!;
  const template = Template.fromJSON(JSON.parse(readFileSync(join(dir, stack.templateFile), 'utf8')));
  return {
    deployment: await loadDeployment(env, '.'),
    dir,
    template,
    warnings: stack.messages.filter((m) => m.level === 'warning').map((m) => String(m.entry.data)),
    assetDir(name) {
      const code = functionProperties(template, name).Code as { S3Key: string };
      return join(dir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
    },
  };
}

async function synthInto(env: string, dir: string): Promise<void> {
  if (existsSync(join(dir, 'manifest.json'))) return;
  const staging = `${dir}.staging`;
  rmSync(staging, { recursive: true, force: true });
  const app = new App({
    outdir: staging,
    context: cdkContext({ env, 'carrier:fetchLambdaModules': false }),
  });
  try {
    await addCarrierEnvironment(app);
    app.synth();
  } catch (error) {
    // A failed synth (a cdk-nag error, say) leaves no half-written cdk.out behind.
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  // Older cdk.outs of this environment are stale: keep only the new one.
  for (const entry of existsSync(CACHE) ? readdirSync(CACHE) : []) {
    if (entry.startsWith(`${env}-`) && !entry.includes('.')) rmSync(join(CACHE, entry), { recursive: true });
  }
  renameSync(staging, dir);
}

/** Runs `fn` while holding a lock folder; another test worker synthesising waits for it. */
async function underLock(lock: string, fn: () => Promise<void>): Promise<void> {
  mkdirSync(CACHE, { recursive: true });
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (lockOwnerGone(lock)) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`${lock}: another synth held it for 10 minutes`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    writeFileSync(join(lock, 'pid'), String(process.pid));
    await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function lockOwnerGone(lock: string): boolean {
  const file = join(lock, 'pid');
  // A lock folder without a pid a few seconds old was left by a process that died at once.
  if (!existsSync(file)) return existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 5000;
  try {
    process.kill(Number(readFileSync(file, 'utf8')), 0);
    return false;
  } catch {
    return true;
  }
}

function sourceHash(): string {
  const hash = createHash('sha256');
  const add = (path: string) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) add(join(path, entry));
    } else {
      hash.update(path).update(readFileSync(path));
    }
  };
  SOURCES.forEach(add);
  // The prepared linux-arm64 binaries change what the publisher's asset holds.
  add(join(LAMBDA_MODULES_DIR, 'node_modules/sharp/package.json'));
  return hash.digest('hex').slice(0, 16);
}
