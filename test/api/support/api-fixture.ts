import { afterAll, beforeAll } from 'vitest';
import { createApiApp } from '#core/api/app.ts';
import type { ApiDeps } from '#core/api/deps.ts';
import type { Scope } from '#core/ports/api-keys.ts';
import { apiHarness, authed } from './harness.ts';

export type ApiHarness = Awaited<ReturnType<typeof apiHarness>>;
type Job = Record<string, unknown>;

/** A job has finished when it is done or failed. */
const finished = (job: Job) => job.status === 'done' || job.status === 'failed';

export interface ApiFixture {
  /** The file's harness; set before its first test. */
  h: ApiHarness;
  /** A key with agents:read, messages and memories:read. */
  key: string;
  /** POSTs `body` as JSON to `path` (ada's messages unless told) with `k` (the fixture's key unless told). */
  post(body: unknown, path?: string, k?: string): Promise<Response>;
  /**
   * The job once the queue has run everything it holds (a queued message is in it before the
   * API answers); throws when `until` (finished unless told) does not hold then.
   */
  settledJob(jobId: string, until?: (job: Job) => boolean): Promise<Job>;
  /** An app over the harness's turns, queue and keys that knows only ada, with `overrides` on top. */
  appWith(overrides: Partial<ApiDeps>): ReturnType<typeof createApiApp>;
}

/**
 * One API harness and key per test file, opened before its tests and closed after.
 *
 * @example
 * const api = useApiFixture();
 * it('queues', async () => expect((await api.post({ text: 'hi' })).status).toBe(202));
 */
export function useApiFixture(scopes: Scope[] = ['agents:read', 'messages', 'memories:read']): ApiFixture {
  const fixture: ApiFixture = {
    h: undefined as unknown as ApiHarness,
    key: '',
    post: (body, path = '/v1/agents/ada/messages', k = fixture.key) =>
      Promise.resolve(fixture.h.app.request(path, authed(k, { method: 'POST', body: JSON.stringify(body) }))),
    async settledJob(jobId, until = finished) {
      await fixture.h.queue.idle();
      const job = (await (
        await fixture.h.app.request(`/v1/jobs/${jobId}`, authed(fixture.key))
      ).json()) as Job;
      if (!until(job))
        throw new Error(
          `job ${jobId} is not in the awaited state with the queue idle: ${JSON.stringify(job)}`,
        );
      return job;
    },
    appWith: (overrides) =>
      createApiApp({
        turns: fixture.h.turns,
        queue: fixture.h.queue,
        authenticate: (k) => fixture.h.keys.verify(k),
        agents: async () => [{ id: 'ada', name: 'Ada' }],
        ...overrides,
      }),
  };
  beforeAll(async () => {
    fixture.h = await apiHarness();
    fixture.key = (await fixture.h.keys.create('test', scopes)).key;
  });
  afterAll(async () => fixture.h.close());
  return fixture;
}
