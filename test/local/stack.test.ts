import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { readLockHolder } from '#core/adapters/store/pglite-lock.ts';
import { SqlTurnRepository } from '#core/adapters/store/turns.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgliteStore } from '#core/adapters/store/pglite.ts';
import { turnRequest } from '../runner/support/requests.ts';
import { openMigratedPglite, seedMigratedDataDir } from '#test/support/pglite.ts';
import { testSettings, testStack } from './support/stack.ts';

let store: PgliteStore;
beforeAll(async () => {
  store = await openMigratedPglite();
});
afterAll(async () => store.close());

describe('the local stack', () => {
  it('serves the API through the Lambda handler and answers a message through the queue and runner', async () => {
    const t = await testStack({ store });
    try {
      const health = await fetch(`${t.stack.url}/v1/health`);
      expect(await health.json()).toEqual({ ok: true, version: '0.1.0' });

      const res = await t.send('ada', { text: 'hello stack', userId: 'sam' });
      expect(res.status).toBe(202);
      const { jobId } = (await res.json()) as { jobId: string };
      expect(await t.finished(jobId)).toMatchObject({
        status: 'done',
        reply: 'echo: hello stack',
        userId: 'sam',
      });

      // A character file added after the start is not served yet, and the answer says why.
      const late = await t.send('late', { text: 'hi' });
      expect(late.status).toBe(404);
      expect(((await late.json()) as { error: { message: string } }).error.message).toBe(
        'no agent "late"; known agents: ada, juniper, orbit; a file added to characters/ since npm start began is served after a restart',
      );

      const inline = await t.send('ada', { text: 'inline' }, '?wait=10');
      expect(await inline.json()).toMatchObject({ status: 'done', reply: 'echo: inline' });
      // The same figures as the deployed runner: one EMF document per turn, kept under the data dir.
      const answered = t.stack.metrics.documents.filter((d) => d.AnsweredTurns === 1);
      expect(answered).toHaveLength(2);
      expect(answered[0]).toMatchObject({
        character: 'ada',
        model: 'echo',
        InputTokens: 10,
        OutputTokens: 5,
      });
      expect(answered[0]?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([
        ['character', 'model'],
        ['character'],
      ]);

      const agents = (await (await fetch(`${t.stack.url}/v1/agents`, { headers: t.headers })).json()) as {
        agents: Array<{ id: string }>;
      };
      expect(agents.agents.map((a) => a.id)).toEqual(t.stack.characters);

      const posts = await fetch(`${t.stack.url}/v1/posts`, { headers: t.headers });
      expect(posts.status).toBe(200);

      const missing = await fetch(`${t.stack.url}/nowhere`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });

      const wrongKey = await fetch(`${t.stack.url}/v1/agents`, {
        headers: { authorization: 'Bearer wrong' },
      });
      expect(wrongKey.status).toBe(401);
    } finally {
      await t.stack.stop();
    }
  });

  it('queues again, after a restart, the jobs a stopped run left unfinished', async () => {
    const turns = new SqlTurnRepository(store);
    const queued = turnRequest({
      reply: { kind: 'api', jobId: 'left-queued' },
      id: 'left-queued',
      text: 'still there?',
    });
    const running = turnRequest({
      reply: { kind: 'api', jobId: 'left-running' },
      id: 'left-running',
      text: 'mid-turn',
    });
    // Made by the dev key (tenant `dev`), so the test's key can read them.
    const dev = { apiKeyId: 'dev', tenant: 'dev' };
    await turns.createJob(queued, dev);
    await turns.createJob(running, dev);
    await turns.claim(running, { leaseSeconds: 3600 });

    const t = await testStack({ store });
    try {
      expect(t.stack.requeued).toBe(2);
      expect(await t.finished('left-queued')).toMatchObject({ status: 'done', reply: 'echo: still there?' });
      expect(await t.finished('left-running')).toMatchObject({
        status: 'done',
        reply: 'echo: mid-turn',
        attempts: 2,
      });
    } finally {
      await t.stack.stop();
    }
  });

  it('keeps a queued job across a real stop and start on the same data folder', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'carrier-local-'));
    await seedMigratedDataDir(dataDir);
    const settings = await testSettings({ CARRIER_DATA_DIR: dataDir });
    // Concurrency 0: the first run takes the message but never runs it, as if stopped in time.
    const first = await testStack({ settings, queue: { concurrency: 0 } });
    const { jobId } = (await (await first.send('ada', { text: 'survive me' })).json()) as { jobId: string };
    await first.stack.stop();

    const second = await testStack({ settings });
    try {
      expect(second.stack.requeued).toBe(1);
      expect(await second.finished(jobId)).toMatchObject({ status: 'done', reply: 'echo: survive me' });
    } finally {
      await second.stack.stop();
    }
  });

  it('leaves nothing running when a step of its start fails: the store is closed and its folder free', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'carrier-local-'));
    await seedMigratedDataDir(dataDir);
    const settings = await testSettings({ CARRIER_DATA_DIR: dataDir });
    const broken = new Error('characters/juniper.json: not valid JSON');
    const loadCharacter = () => Promise.reject(broken);
    await expect(testStack({ settings, loadCharacter })).rejects.toBe(broken);
    expect(await readLockHolder(join(dataDir, 'pglite'))).toBeUndefined();

    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      await expect(testStack({ settings, port })).rejects.toThrow(/in use/);
    } finally {
      taken.close();
    }
    expect(await readLockHolder(join(dataDir, 'pglite'))).toBeUndefined();

    // The folder opens again in this process: nothing of the failed starts holds it.
    const again = await testStack({ settings });
    await again.stack.stop();
  });
});
