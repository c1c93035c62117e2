import { mkdtemp, writeFile } from 'node:fs/promises';
import { SqlPostRepository } from '#core/adapters/store/posts.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '#core/adapters/store/open.ts';
import { runCommand, useMigratedDataDir } from '#test/cli/in-process.ts';
import { PROVIDER_KEYS, runCli } from '#test/cli/run-cli.ts';
import { startFakeGraphApi } from '#test/fakes/graph-api.ts';
import { startMediaHost } from '#test/fakes/ftp.ts';
import { makeImage } from '../media/support/fixtures.ts';
import { register as registerPosts } from '../../bin/commands/posts.ts';

let graph: Awaited<ReturnType<typeof startFakeGraphApi>>;
let media: Awaited<ReturnType<typeof startMediaHost>>;
let env: Record<string, string>;
let photo: string;
let tall: string;
// The commands run in this process (one real process below checks the exit code): the store
// each opens is the file-backed PGlite in this migrated data dir.
const dataDir = useMigratedDataDir('carrier-posts-cli-');

/** `carrier posts ...` in this process, with the exit code as a process would give it. */
async function carrier(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { stdout, stderr, exitCode } = await runCommand('posts', registerPosts, 'posts', ...args);
  return { code: exitCode ?? 0, stdout, stderr };
}

beforeAll(async () => {
  [graph, media] = await Promise.all([startFakeGraphApi({ pollsUntilReady: 0 }), startMediaHost()]);
  const dir = await mkdtemp(join(tmpdir(), 'carrier-posts-cli-'));
  photo = join(dir, 'photo.png');
  tall = join(dir, 'tall.png');
  await writeFile(photo, await makeImage(600, 600, 'png'));
  await writeFile(tall, await makeImage(400, 1000, 'png'));
  env = {
    CARRIER_DATA_DIR: dataDir(),
    ...media.env,
    INSTAGRAM_ACCOUNT_ID: '17841400000000009',
    INSTAGRAM_ACCESS_TOKEN: 'good-token',
    INSTAGRAM_GRAPH_URL: graph.url,
  };
  // Read by the commands' loadSettings(); test/support/file-hygiene.ts restores the environment.
  for (const name of PROVIDER_KEYS) delete process.env[name];
  Object.assign(process.env, env);
});
afterAll(async () => {
  await Promise.all([graph?.close(), media?.close()]);
});

describe('carrier posts', () => {
  it('refuses bad media at once, in one line that says what to change', async () => {
    const result = await carrier('add', 'ada', '--media', tall, '--caption', 'too tall');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^carrier: .*tall\.png: the image is 400x1000 \(aspect 0\.40:1\); feed images must be between 4:5 \(0\.80\) and 1\.91:1: crop it to at most 500 px high \(4:5\), or post it as a story\n$/,
    );
  }, 60_000);

  it('refuses a numeric flag that is not a whole number, in one line, as a real process exiting 1', async () => {
    const result = await runCli(['posts', 'list', '--limit', 'abc'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('carrier: --limit abc: expected a whole number from 1 to 1000\n');
  }, 60_000);

  it('adds, lists, publishes with tick, and shows the published post', async () => {
    const added = await carrier('add', 'ada', '--media', photo, '--caption', 'Leaves, left.');
    expect(added.stderr).toMatch(/^queued image for ada at /);
    const id = added.stdout.trim();

    const listed = JSON.parse((await carrier('list', '--json')).stdout) as Array<{
      id: string;
      state: string;
    }>;
    expect(listed).toEqual([expect.objectContaining({ id, state: 'scheduled' })]);

    const tick = await carrier('tick');
    expect(JSON.parse(tick.stdout)).toMatchObject({ claimed: [id], published: [{ id }] });

    const shown = JSON.parse((await carrier('show', id, '--json')).stdout) as Record<string, unknown>;
    expect(shown).toMatchObject({ id, state: 'published', caption: 'Leaves, left.' });
    expect(shown.permalink).toMatch(/^https:\/\/www\.instagram\.com\/p\//);

    const cancel = await carrier('cancel', id);
    expect(cancel.stderr).toBe(
      `carrier: post ${id} is published; only posts not yet publishing can be cancelled\n`,
    );
    // Each command opens the file-backed PGlite: a second or more apiece here.
  }, 240_000);

  it('refuses to retry a failed post whose publish was attempted, saying how to check on Instagram', async () => {
    // The CLI's own file-backed store, set up in this process and closed before the CLI opens it.
    const store = await openStore({ CARRIER_DATA_DIR: env.CARRIER_DATA_DIR }, { migrate: true });
    const posts = new SqlPostRepository(store, 60);
    const t = new Date();
    const post = await posts.create({
      characterId: 'ada',
      kind: 'image',
      media: [{ source: photo }],
      scheduledAt: t,
    });
    await posts.claim('s', 10, t);
    await posts.advance(post.id, 's', t, { from: 'scheduled', to: 'container_ready', containerId: 'c1' });
    await posts.beginPublish(post.id, 's', t, { accountId: 'a', total: 50, windowSeconds: 86_400 });
    await posts.fail(post.id, 's', t, {
      from: 'publishing',
      reason: 'container ERROR',
      errorKind: 'fix_input',
    });
    await store.close();

    const result = await carrier('retry', post.id);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `carrier: post ${post.id} failed after it was sent to Instagram for publishing at ${t.toISOString()}, so retrying could publish it twice: look at the account's profile on Instagram, and if the post is not there, add it again with \`carrier posts add\`\n`,
    );
  }, 120_000);
});
