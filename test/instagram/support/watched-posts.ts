import type { PostRepository } from '#core/instagram/post-repository.ts';

/** The repository methods that persist a step of a post. */
export const STEP_WRITES = new Set<string>(['advance', 'wait', 'fail', 'beginPublish', 'published']);

type Method = Exclude<keyof PostRepository, 'leaseSeconds'>;

/**
 * The same posts seen through hooks around every call: `before` may throw to simulate a
 * process that died before the call (nothing of it happens), `after` sees the result of a
 * call that took effect and may throw to simulate one that died before it learnt the result.
 *
 * @example
 * const watched = watchedPosts(posts, { before: (method) => void calls.push(method) });
 */
export function watchedPosts(
  inner: PostRepository,
  hooks: { before?: (method: Method) => void; after?: (method: Method, result: unknown) => void },
): PostRepository {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const method = property as Method;
      return async (...args: unknown[]) => {
        hooks.before?.(method);
        const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        hooks.after?.(method, result);
        return result;
      };
    },
  });
}
