import { describe, expect, it } from 'vitest';
import { useApiFixture } from './support/api-fixture.ts';
import { authed } from './support/harness.ts';

const api = useApiFixture();

describe('a NUL character, which Postgres cannot store', () => {
  it('is refused with 400 in a path or query, before any store sees it', async () => {
    for (const path of ['/v1/jobs/%00', '/v1/jobs/a%00b', '/v1/agents/ada/memories?userId=%00']) {
      const res = await api.h.app.request(path, authed(api.key));
      expect(res.status, path).toBe(400);
      expect(await res.json()).toEqual({
        error: {
          code: 'invalid_request',
          message: 'the path or query contains a NUL character (%00); remove it',
        },
      });
    }
  });

  it('is refused with 400 anywhere in a JSON body, and nothing is queued', async () => {
    for (const body of [
      { text: 'a\u0000b' },
      { text: 'hi', userId: '\u0000' },
      { text: 'hi', ['k\u0000']: 1 },
    ]) {
      const res = await api.post(body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_request' } });
    }
    expect(api.h.turns.rows()).toEqual([]);
  });
});
