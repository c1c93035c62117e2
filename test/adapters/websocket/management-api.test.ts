import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wsEvent } from '#core/adapters/lambda/websocket.ts';
import { ManagementApiPush } from '#core/adapters/websocket/management-api.ts';
import { pushFrames } from '#core/api/live-push.ts';
import { InMemoryLiveConnections } from '#test/fakes/in-memory-live-connections.ts';
import { FakeManagementApi } from '#test/fakes/management-api.ts';

let api: FakeManagementApi;
let push: ManagementApiPush;
beforeAll(async () => {
  api = await FakeManagementApi.start();
  push = new ManagementApiPush({ endpoint: api.endpoint, client: api.client() });
});
afterAll(() => api.close());

describe('PostToConnection against a loopback Management API', () => {
  it('posts the frame to /<stage>/@connections/{id} and reports a closed connection as gone', async () => {
    api.connect('AbC=');
    expect(await push.post('AbC=', '{"type":"queued","jobId":"j"}')).toBe('sent');
    expect(api.received('AbC=')).toEqual([{ type: 'queued', jobId: 'j' }]);
    expect(await push.post('nobody=', '{}')).toBe('gone');
    expect(api.requests.at(-1)).toMatchObject({ method: 'POST', connectionId: 'nobody=', status: 410 });
  });

  it('throws on any other failure, and pushFrames carries on with the other connections', async () => {
    const connections = new InMemoryLiveConnections();
    for (const id of ['one', 'two']) {
      api.connect(id);
      await connections.open(id, { keyId: 'k', tenant: 't', scopes: ['messages'] });
    }
    await connections.open('gone', { keyId: 'k', tenant: 't', scopes: ['messages'] });
    api.failNext = 1;
    await expect(push.post('one', '{}')).rejects.toThrow();
    api.failNext = 1;
    const frames = [1, 2].map((seq) => ({ type: 'queued' as const, jobId: `j${seq}` }));
    const tally = await pushFrames({ connections, push }, ['one', 'two', 'gone'], frames);
    // The first post fails (after the SDK's retries): that connection gets nothing more of the batch.
    expect(tally).toEqual({ sent: 2, gone: 1, failed: 1 });
    expect([api.received('one'), api.received('two')]).toContainEqual(frames);
    expect(await connections.principal('gone')).toBeUndefined();
    expect(await connections.principal('one')).toBeDefined();
  });
});

describe('WebSocket Lambda events', () => {
  it('find the key as the HTTP API does, in any header case, or in ?key=, and decode a base64 body', () => {
    const base = { requestContext: { routeKey: '$connect', connectionId: 'c=' } };
    expect(wsEvent({ ...base, headers: { Authorization: 'Bearer ck_a' } }).key).toBe('ck_a');
    expect(wsEvent({ ...base, headers: { 'X-Api-Key': 'ck_b' } }).key).toBe('ck_b');
    expect(wsEvent({ ...base, queryStringParameters: { key: 'ck_c' } }).key).toBe('ck_c');
    expect(wsEvent({ ...base, headers: {} }).key).toBeUndefined();
    const body = Buffer.from('{"action":"subscribe"}').toString('base64');
    expect(wsEvent({ ...base, body, isBase64Encoded: true }).body).toBe('{"action":"subscribe"}');
  });
});
