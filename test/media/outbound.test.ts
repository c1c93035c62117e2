import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinnedFetch } from '#core/adapters/http/pinned-fetch.ts';
import { MediaError } from '#core/media/errors.ts';
import { prepareMedia } from '#core/media/prepare.ts';
import { BLOCKED_SPELLINGS } from '#test/outbound/blocked-spellings.ts';
import { scriptedResolver, startLoopbackServer, type LoopbackServer } from '#test/outbound/loopback-trap.ts';

let trap: LoopbackServer;
beforeAll(async () => {
  trap = await startLoopbackServer('127.0.0.1');
});
afterAll(() => trap.close());

describe('post media URLs under the outbound policy', () => {
  it.each(BLOCKED_SPELLINGS)(
    'refuses http://%s/ (%s) when deployed, without a request',
    async (host, kind) => {
      const fetch = pinnedFetch({ reach: 'public', resolve: scriptedResolver(['127.0.0.1']).resolve });
      const url = `http://${host}:${trap.port}/photo.jpg`;
      const error = await prepareMedia(url, 'image', { fetch }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MediaError);
      expect(error).toMatchObject({
        retryable: false,
        message: expect.stringMatching(
          new RegExp(
            `^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: refusing to download media: .*${kind}.*; use a public http\\(s\\) URL or a local file path$`,
          ),
        ),
      });
      expect(trap.requests).toEqual([]);
    },
  );

  it('refuses a name that resolves to loopback, checked on the address it would connect to', async () => {
    const fetch = pinnedFetch({ reach: 'public', resolve: scriptedResolver(['127.0.0.1']).resolve });
    await expect(prepareMedia(`http://media.test:${trap.port}/a.jpg`, 'image', { fetch })).rejects.toThrow(
      'refusing to download media: media.test resolves to 127.0.0.1, a loopback address (127.0.0.0/8)',
    );
    expect(trap.requests).toEqual([]);
  });
});
