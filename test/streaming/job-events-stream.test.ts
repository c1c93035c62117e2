import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobEventsApp } from '#core/api/job-events-app.ts';
import { EchoModel } from '../runner/support/echo-model.ts';
import { sseEvents, type SseEvent } from './support/sse.ts';
import { wsHarness } from './support/ws-harness.ts';

let h: Awaited<ReturnType<typeof wsHarness>>;
let alpha: string;
let beta: string;
let jobId: string;
let app: ReturnType<typeof jobEventsApp>;
// What a SigV4-signed request to an AWS_IAM function URL carries in Authorization.
const SIGV4 = 'AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/eu-west-1/lambda/aws4_request, Signature=abc';

beforeAll(async () => {
  h = await wsHarness(new EchoModel());
  alpha = (await h.keys.create('alpha', ['messages'], { tenant: 'alpha' })).key;
  beta = (await h.keys.create('beta', ['messages'], { tenant: 'beta' })).key;
  await h.ws('$connect', 'c1', { key: alpha });
  await h.send('c1', { action: 'message', agent: 'ada', body: { text: 'stream me a few words please' } });
  await h.queue.idle();
  jobId = (h.api.received('c1')[0] as { jobId: string }).jobId;
  app = jobEventsApp({ authenticate: (k) => h.keys.verify(k), turns: h.turns, events: h.events, pollMs: 5 });
});
afterAll(() => h.close());

const get = (path: string, headers: Record<string, string>) => app.request(path, { headers });

async function all(response: Response): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const e of sseEvents(response)) out.push(e);
  return out;
}

describe('the deployed event stream app (behind the streaming function URL)', () => {
  it('streams the job with the key in x-api-key beside a SigV4 Authorization, and resumes after Last-Event-ID', async () => {
    const response = await get(`/v1/jobs/${jobId}/events`, { authorization: SIGV4, 'x-api-key': alpha });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = (await all(response)).filter((e) => e.id);
    const done = events.at(-1)!;
    expect(done.event).toBe('done');
    expect(JSON.parse(done.data).data.text).toBe((await h.turns.get(jobId))!.result!.reply);

    const resumed = await get(`/v1/jobs/${jobId}/events`, { 'x-api-key': alpha, 'last-event-id': '2' });
    const ids = (await all(resumed)).filter((e) => e.id).map((e) => Number(e.id));
    expect(ids).toEqual(events.map((e) => Number(e.id)).filter((id) => id > 2));
  });

  it("shows another tenant's job as missing, and asks for a key when there is none", async () => {
    const other = await get(`/v1/jobs/${jobId}/events`, { 'x-api-key': beta });
    expect(other.status).toBe(404);
    expect(((await other.json()) as { error: { message: string } }).error.message).toMatch(/tenant/);
    const none = await get(`/v1/jobs/${jobId}/events`, { authorization: SIGV4 });
    expect(none.status).toBe(401);
    const elsewhere = await get('/v1/agents', { 'x-api-key': alpha });
    expect(elsewhere.status).toBe(404);
  });
});
