import { describe, expect, it } from 'vitest';
import { createApiApp } from '#core/api/app.ts';
import type { ApiDeps } from '#core/api/deps.ts';

const app = (console?: ApiDeps['console']) =>
  createApiApp({
    turns: {} as never,
    queue: {} as never,
    authenticate: async () => undefined,
    agents: async () => [],
    ...(console ? { console } : {}),
  });

describe('the console files, served by the API app (local stack and API function alike)', () => {
  it('serves the page and its modules with a policy that allows only this origin, and nothing outside the folder', async () => {
    const api = app({ live: 'stream' });
    const page = await api.request('/console');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/console/app.js">');
    expect(html).toContain('<body data-live="stream">');
    const view = await api.request('/console/views/chat.js');
    expect(view.headers.get('content-type')).toBe('text/javascript; charset=utf-8');

    for (const path of [
      '/console/../api/app.ts',
      '/console/%2e%2e/local/stack.ts',
      '/console/nope.js',
      '/console/x.ts',
      '/console/views/../../deps.ts',
    ]) {
      const res = await api.request(path);
      expect(res.status, path).toBe(404);
      expect(await res.json(), path).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('tells the page to long-poll where a stream would arrive whole (behind API Gateway)', async () => {
    const html = await (await app({ live: 'poll' }).request('/console/')).text();
    expect(html).toContain('<body data-live="poll">');
  });

  it('is not served by an app without it, and the 404 says where the API is', async () => {
    const res = await app().request('/console');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      error: { code: 'not_found', message: 'no route GET /console; see /v1/openapi.json' },
    });
  });
});
