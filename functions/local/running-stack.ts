import { storeTarget } from '../adapters/store/open.ts';
import { readLockHolder, type LockHolder } from '../adapters/store/pglite-lock.ts';

/**
 * The local stack (`npm start`) that has the embedded store these settings select open, if one
 * runs: other commands talk through it, or say what it does not pick up.
 *
 * @example
 * const stack = await runningStack(settings.env); // { pid: 4647, url: 'http://127.0.0.1:3000', socket: '…' }
 */
export async function runningStack(
  env: Record<string, string | undefined>,
): Promise<(LockHolder & { url: string }) | undefined> {
  const target = storeTarget(env);
  if (target.kind !== 'pglite') return undefined;
  const holder = await readLockHolder(target.where);
  return holder?.url ? { ...holder, url: holder.url } : undefined;
}
