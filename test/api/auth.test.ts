import { describe, expect, it } from 'vitest';
import { useApiFixture } from './support/api-fixture.ts';
import { authed } from './support/harness.ts';

const api = useApiFixture();

describe('API authentication', () => {
  it('serves health and the OpenAPI document without a key', async () => {
    expect(await (await api.h.app.request('/v1/health')).json()).toEqual({ ok: true, version: '0.1.0' });
    const doc = (await (await api.h.app.request('/v1/openapi.json')).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toContain('/v1/agents/{id}/messages');
  });

  it('answers 401 with one error shape for a missing, malformed, unknown or revoked key', async () => {
    const revoked = await api.h.keys.create('old');
    await api.h.keys.revoke(revoked.record.id);
    const forged = api.key.slice(0, -4) + 'AAAA';
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer nope' },
      { 'x-api-key': forged },
      { 'x-api-key': revoked.key },
    ];
    for (const headers of attempts) {
      const res = await api.h.app.request('/v1/agents', { headers });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({
        error: { code: 'unauthenticated', message: expect.any(String) },
      });
    }
  });

  it('accepts the key as Bearer or x-api-key', async () => {
    expect((await api.h.app.request('/v1/agents', authed(api.key))).status).toBe(200);
    const res = await api.h.app.request('/v1/agents', { headers: { 'x-api-key': api.key } });
    expect(await res.json()).toEqual({
      agents: [
        { id: 'ada', name: 'Ada' },
        { id: 'juniper', name: 'Juniper' },
      ],
    });
  });

  it('answers 403 naming the scope a key lacks', async () => {
    const narrow = (await api.h.keys.create('narrow', ['agents:read'])).key;
    const res = await api.post({ text: 'hi' }, '/v1/agents/ada/messages', narrow);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      error: { code: 'forbidden', message: expect.stringContaining('"messages"') },
    });
  });
});
