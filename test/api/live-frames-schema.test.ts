import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createApiApp } from '#core/api/app.ts';
import { eventFrameSchema } from '#core/api/event-frames.ts';
import { LIVE_FRAMES_PATH, liveFramesJsonSchema, serverFrameSchema } from '#core/api/ws-frames.ts';

const FILE = new URL('../../functions/api/live-frames.schema.json', import.meta.url);
const generated = `${JSON.stringify(liveFramesJsonSchema(), null, 2)}\n`;
// CARRIER_WRITE_SCHEMA=1 rewrites the shipped file from the zod schemas (then run prettier on it).
if (process.env.CARRIER_WRITE_SCHEMA === '1') writeFileSync(FILE, generated);

describe('the live frames JSON Schema', () => {
  it('shipped in the repository is the one generated from the zod schemas the frames use', () => {
    expect(
      JSON.parse(readFileSync(FILE, 'utf8')),
      'functions/api/live-frames.schema.json is stale: run CARRIER_WRITE_SCHEMA=1 npx vitest run test/api/live-frames-schema.test.ts',
    ).toEqual(JSON.parse(generated));
  });

  it('is served beside OpenAPI, which points to it', async () => {
    const app = createApiApp({
      turns: {} as never,
      queue: {} as never,
      authenticate: async () => undefined,
      agents: async () => [],
    });
    const served = await (await app.request(LIVE_FRAMES_PATH)).json();
    expect(served).toEqual(liveFramesJsonSchema());
    const openapi = (await (await app.request('/v1/openapi.json')).json()) as {
      externalDocs: { url: string };
    };
    expect(openapi.externalDocs.url).toBe(LIVE_FRAMES_PATH);
  });

  it('names every kind and frame type', () => {
    const text = JSON.stringify(liveFramesJsonSchema());
    for (const kind of eventFrameSchema.shape.kind.options) expect(text).toContain(`"${kind}"`);
    for (const type of ['queued', 'subscribed', 'event', 'error'])
      expect(text).toContain(`"const":"${type}"`);
    expect(serverFrameSchema.safeParse({ type: 'queued', jobId: 'j' }).success).toBe(true);
  });
});
