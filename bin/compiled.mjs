// Runs a command's TypeScript module without transforming it at every start. The sources
// (functions/, bin/commands/) are bundled once by esbuild into node_modules/.cache/carrier/,
// keyed by their modification times, and reused until a file changes. Dependencies are bundled
// too, but for PGlite (which reads its WebAssembly beside itself) and native or build tools.
// Without esbuild (a production install) tsx runs the sources as they are.
import { rmSync, writeFileSync } from 'node:fs';
import { cp, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = ['functions', 'bin/commands', 'bin/cli-errors.ts', 'bin/compiled.mjs', 'package.json'];
const MIGRATIONS = 'functions/adapters/store/migrations';
const CONSOLE = 'functions/api/console';
const PGLITE_HOST = 'functions/adapters/store/pglite-host.mjs';

/** Files under `path` with their modification times, for the cache key. */
async function walk(path, out) {
  const info = await stat(path);
  if (!info.isDirectory()) return void out.push(`${relative(root, path)}:${info.mtimeMs}:${info.size}`);
  for (const entry of await readdir(path)) await walk(join(path, entry), out);
}

async function sourceKey() {
  const files = [];
  for (const source of SOURCES) await walk(join(root, source), files);
  return createHash('sha256')
    .update(process.version)
    .update(files.sort().join('\n'))
    .digest('hex')
    .slice(0, 16);
}

async function build(entries, outdir) {
  const { build: esbuild } = await import('esbuild');
  const tmp = `${outdir}.${process.pid}.tmp`;
  await esbuild({
    absWorkingDir: root,
    entryPoints: entries,
    outdir: tmp,
    bundle: true,
    splitting: true, // dynamic imports stay lazy: a command loads only the drivers it uses
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Dependencies are bundled too (loading hundreds of package files cost more than the
    // command itself); PGlite finds its WebAssembly and data files beside its own modules.
    external: ['@electric-sql/*', 'esbuild', 'tsx', 'sharp'],
    mainFields: ['module', 'main'],
    banner: { js: "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);" },
    outExtension: { '.js': '.mjs' },
    logLevel: 'error',
  });
  // migrate.ts finds its SQL beside itself, as it does in a Lambda bundle.
  await cp(join(root, MIGRATIONS), join(tmp, 'migrations'), { recursive: true });
  // The local stack serves the console's files from beside itself too.
  await cp(join(root, CONSOLE), join(tmp, 'console'), { recursive: true });
  // So does the local stack's PGlite thread its worker script.
  await cp(join(root, PGLITE_HOST), join(tmp, 'pglite-host.mjs'));
  await rename(tmp, outdir).catch(async () => rm(tmp, { recursive: true, force: true })); // a parallel build won
  await pruneBuilds(join(outdir, '..'), outdir);
}

const IN_USE = /^\.in-use-(\d+)$/;

/**
 * Removes the builds of older sources, but for those a live process runs from: a local stack
 * started before a change loads its lazy chunks (the MCP client, a model provider) long after
 * it started, and they must still be there. A process that runs from a build leaves a marker
 * with its pid in it (markInUse); a marker whose process is gone does not count.
 */
export async function pruneBuilds(cache, keep) {
  for (const entry of await readdir(cache)) {
    const dir = join(cache, entry);
    if (dir === keep || entry.endsWith('.tmp')) continue;
    const markers = await readdir(dir).catch(() => []);
    if (markers.some((m) => IN_USE.test(m) && running(Number(IN_USE.exec(m)[1])))) continue;
    await rm(dir, { recursive: true, force: true });
  }
}

/** Marks `outdir` as the build this process runs from, until it exits. */
export function markInUse(outdir) {
  const marker = join(outdir, `.in-use-${process.pid}`);
  writeFileSync(marker, '');
  process.once('exit', () => rmSync(marker, { force: true }));
}

function running(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Whether a package is installed, without loading it. */
function resolves(name) {
  try {
    import.meta.resolve(name);
    return true;
  } catch {
    return false;
  }
}

/** The command module `bin/commands/<name>.ts`, compiled when esbuild is there. */
export async function loadCommand(name) {
  const source = join(root, 'bin/commands', `${name}.ts`);
  if (!resolves('esbuild')) {
    const { register } = await import('tsx/esm/api');
    register();
    return import(pathToFileURL(source).href);
  }
  const outdir = join(root, 'node_modules/.cache/carrier', await sourceKey());
  const commands = (await readdir(join(root, 'bin/commands'))).filter((f) => f.endsWith('.ts'));
  const compiled = join(outdir, `${name}.mjs`);
  // Twice at most: a process building newer sources may prune this build before it is marked.
  for (let attempt = 0; ; attempt += 1) {
    if (!(await stat(compiled).catch(() => undefined))) {
      await mkdir(join(root, 'node_modules/.cache/carrier'), { recursive: true });
      await build(
        commands.map((f) => `bin/commands/${f}`),
        outdir,
      );
    }
    try {
      markInUse(outdir);
      break;
    } catch (error) {
      if (error.code !== 'ENOENT' || attempt > 0) throw error;
    }
  }
  return import(pathToFileURL(compiled).href);
}
