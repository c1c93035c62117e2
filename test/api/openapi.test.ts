import { describe, expect, it } from 'vitest';
import { openApiDocument } from '#core/api/openapi.ts';
import { POSTS_ROUTE_DOCS } from '#core/api/routes/posts.ts';
import { SCHEDULES_ROUTE_DOCS } from '#core/api/routes/schedules.ts';
import { CHARACTERS_ROUTE_DOCS } from '#core/api/routes/characters.ts';
import { JOB_HISTORY_ROUTE_DOCS } from '#core/api/routes/job-history.ts';

type Operation = {
  parameters?: Array<{ name: string; in: string; required: boolean; schema: Record<string, unknown> }>;
  requestBody?: {
    content: {
      'application/json': {
        schema: { properties: Record<string, Record<string, unknown>>; required: string[] };
      };
    };
  };
  responses: Record<string, unknown>;
  'x-scope'?: string;
};

describe('openApiDocument', () => {
  const doc = openApiDocument('1.2.3') as {
    openapi: string;
    info: unknown;
    paths: Record<string, Record<string, Operation>>;
  };

  it('describes the message endpoint from the schemas the handler validates with', () => {
    const send = doc.paths['/v1/agents/{id}/messages']!.post!;
    const body = send.requestBody!.content['application/json'].schema;
    expect(body.required).toEqual(['text']);
    expect(body.properties.text).toMatchObject({ type: 'string', maxLength: 16_000 });
    expect(Object.keys(body.properties).sort()).toEqual([
      'conversationId',
      'text',
      'userId',
      'userName',
      'webhookUrl',
    ]);
    expect(send.parameters).toContainEqual(
      expect.objectContaining({
        name: 'wait',
        in: 'query',
        required: false,
        schema: expect.objectContaining({ maximum: 25 }),
      }),
    );
    expect(send.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }),
    );
    expect(Object.keys(send.responses).sort()).toEqual([
      '200',
      '202',
      '400',
      '401',
      '403',
      '404',
      '409',
      '503',
    ]);
    expect(send['x-scope']).toBe('messages');
  });

  it('lists every route with its version', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual({ title: 'Carrier API', version: '1.2.3' });
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/v1/agents',
      '/v1/agents/{id}/memories',
      '/v1/agents/{id}/messages',
      '/v1/health',
      '/v1/jobs/{id}',
    ]);
    expect(Object.keys(doc.paths['/v1/agents/{id}/memories']!).sort()).toEqual(['delete', 'get', 'post']);
  });

  it('adds the routes mounted beside the core ones, such as the posts endpoints', () => {
    const withPosts = openApiDocument('1.2.3', POSTS_ROUTE_DOCS) as typeof doc;
    expect(Object.keys(withPosts.paths['/v1/posts']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(withPosts.paths['/v1/posts/{id}']!).sort()).toEqual(['delete', 'get']);
    expect(Object.keys(withPosts.paths['/v1/posts/{id}/retry']!)).toEqual(['post']);
    const create = withPosts.paths['/v1/posts']!.post!;
    expect(create.requestBody!.content['application/json'].schema.required).toEqual(['character', 'media']);
    expect(create['x-scope']).toBe('posts');
    expect(withPosts.paths['/v1/posts/{id}']!.get!.parameters).toContainEqual(
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
    );
  });

  it("documents what the console reads: the tenant's jobs, a job's trace, conversations, the character files", () => {
    const withHistory = openApiDocument('1.2.3', [
      ...JOB_HISTORY_ROUTE_DOCS,
      ...CHARACTERS_ROUTE_DOCS,
    ]) as typeof doc;
    const list = withHistory.paths['/v1/jobs']!.get!;
    expect(list.parameters!.map((p) => p.name)).toEqual([
      'agentId',
      'conversationId',
      'before',
      'after',
      'limit',
    ]);
    expect(list['x-scope']).toBe('messages');
    expect(Object.keys(withHistory.paths['/v1/jobs/{id}/trace']!.get!.responses)).toContain('404');
    expect(withHistory.paths['/v1/agents/{id}/conversations']!.get!['x-scope']).toBe('messages');
    expect(withHistory.paths['/v1/characters']!.get!['x-scope']).toBe('agents:read');
  });

  it('declares every parameter a path names, such as both ids of a schedule', () => {
    const withSchedules = openApiDocument('1.2.3', SCHEDULES_ROUTE_DOCS) as typeof doc;
    const names = withSchedules.paths['/v1/agents/{id}/schedules/{sid}']!.delete!.parameters!.filter(
      (p) => p.in === 'path',
    );
    expect(names.map((p) => p.name)).toEqual(['id', 'sid']);
  });
});
