/**
 * A container-scoped build: runs `build` on first use and shares its promise, so a Lambda
 * container builds its dependencies once. A failed build is forgotten, so the next invocation
 * tries again (a secret fixed in the meantime is picked up) instead of failing forever.
 *
 * @example
 * const ready = once(async () => createRunner(await settings()));
 * export const handler = async (event) => (await ready())(event);
 */
export function once<T>(build: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= build().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
