import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '#test/factories/lambda-context.ts';
import { PROVIDER_KEYS } from '../cli/run-cli.ts';

// Each handler is imported fresh, as a new Lambda container would load it, and invoked with a
// configuration it must refuse: the refusal is one JSON line carrying the invocation's identity.
const saved = { ...process.env };
let lines: Array<Record<string, unknown>>;

beforeEach(async () => {
  vi.resetModules();
  for (const key of PROVIDER_KEYS) delete process.env[key];
  Object.assign(process.env, {
    AWS_LAMBDA_FUNCTION_NAME: 'carrier-test',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    CARRIER_DATA_DIR: await mkdtemp(join(tmpdir(), 'carrier-handler-log-')),
  });
  delete process.env.TURN_QUEUE_URL;
  lines = [];
  const capture = (chunk: unknown) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

const HANDLERS = [
  { name: 'api', load: () => import('#core/handlers/api.ts'), env: {}, refusal: /TURN_QUEUE_URL/ },
  {
    name: 'discord-interactions',
    load: () => import('#core/handlers/discord-interactions.ts'),
    env: {},
    refusal: /TURN_QUEUE_URL/,
  },
  {
    name: 'agent-runner',
    load: () => import('#core/handlers/agent-runner.ts'),
    env: { CARRIER_MAX_RECEIVE_COUNT: 'many' },
    refusal: /CARRIER_MAX_RECEIVE_COUNT/,
  },
  {
    name: 'instagram-publisher',
    load: () => import('#core/handlers/instagram-publisher.ts'),
    env: { INSTAGRAM_GRAPH_VERSION: 'latest' },
    refusal: /INSTAGRAM_GRAPH_VERSION/,
  },
  {
    name: 'instagram-token-refresh',
    load: () => import('#core/handlers/instagram-token-refresh.ts'),
    env: { INSTAGRAM_GRAPH_VERSION: 'latest' },
    refusal: /INSTAGRAM_GRAPH_VERSION/,
  },
  {
    name: 'dead-letters',
    load: () => import('#core/handlers/dead-letters.ts'),
    env: { CARRIER_KEY_BURST: 'lots' },
    refusal: /CARRIER_KEY_BURST/,
  },
  {
    name: 'turn-sweeper',
    load: () => import('#core/handlers/turn-sweeper.ts'),
    env: {},
    refusal: /TURN_QUEUE_URL/,
  },
];

describe('every Lambda handler logs as Powertools JSON with its invocation', () => {
  it.each(HANDLERS)('$name: the request id and the cold-start flag on each line', async (h) => {
    Object.assign(process.env, h.env);
    const { handler } = await h.load();
    const invoke = handler as unknown as (event: unknown, context: unknown) => Promise<unknown>;
    await expect(invoke({}, lambdaContext({ awsRequestId: 'req-cold' }))).rejects.toThrow(h.refusal);
    await expect(invoke({}, lambdaContext({ awsRequestId: 'req-warm' }))).rejects.toThrow(h.refusal);
    const errors = lines.filter((l) => l.level === 'ERROR');
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({ service: h.name, function_request_id: 'req-cold', cold_start: true });
    expect(errors[1]).toMatchObject({ service: h.name, function_request_id: 'req-warm', cold_start: false });
    expect(String(errors[0]?.message)).toMatch(/could not start|invocation failed/);
  });
});
