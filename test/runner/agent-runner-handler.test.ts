import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '#test/factories/lambda-context.ts';
import type * as AgentRunner from '#core/handlers/agent-runner.ts';
import { startWebhookReceiver, type WebhookReceiver } from '#test/fakes/webhook-receiver.ts';
import { seedMigratedDataDir } from '#test/support/pglite.ts';
import { PROVIDER_KEYS } from '../cli/run-cli.ts';
import { turnRequest } from './support/requests.ts';
import { sqsEvent, sqsRecord } from './support/sqs-event.ts';

const SECRET = 'whsec_runner_handler_test_01';
let receiver: WebhookReceiver;
const saved = { ...process.env };
let handler: typeof AgentRunner.handler;

beforeAll(async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'carrier-runner-'));
  // The deployed database is migrated by `carrier memory init`; here a PGlite folder stands in.
  await seedMigratedDataDir(dataDir);
  receiver = await startWebhookReceiver();
  // The handler reads process.env: a developer's provider keys or database must not reach it.
  for (const key of PROVIDER_KEYS) delete process.env[key];
  Object.assign(process.env, {
    AWS_LAMBDA_FUNCTION_NAME: 'carrier-test-runner',
    // Lambda sets it; Powertools reports a cold start only for on-demand environments.
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    CARRIER_DATA_DIR: dataDir,
    CARRIER_MODEL: 'offline',
    CARRIER_WEBHOOK_SECRET: SECRET,
    CARRIER_MAX_RECEIVE_COUNT: '3',
  });
  ({ handler } = await import('#core/handlers/agent-runner.ts'));
});
afterAll(async () => {
  await receiver.close();
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

describe('the agent-runner Lambda handler', () => {
  it('answers an SQS batch with the offline model once per request, and refuses a loopback webhook as deployed', async () => {
    const url = `https://127.0.0.1:${receiver.port}/hook`;
    const request = turnRequest({
      id: 'lambda-job-1',
      text: 'hello',
      reply: { kind: 'api', jobId: 'lambda-job-1', webhookUrl: url },
    });
    const garbage = sqsRecord('{"not":"a turn"}');
    // The Logger writes info to stdout and warnings and errors to stderr.
    const written: string[] = [];
    const capture = (chunk: unknown) => {
      written.push(String(chunk));
      return true;
    };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);

    const first = lambdaContext({ awsRequestId: 'req-first' });
    const second = lambdaContext({ awsRequestId: 'req-second' });
    expect(await handler(sqsEvent(sqsRecord(request), garbage), first)).toEqual({ batchItemFailures: [] });
    expect(await handler(sqsEvent(sqsRecord(request, 2)), second)).toEqual({ batchItemFailures: [] });
    out.mockRestore();
    err.mockRestore();

    // Deployed, a webhook on this machine's loopback is never called (signing is tested in test/api);
    // the turn is still answered and done, its webhook reported undeliverable.
    expect(receiver.requests).toHaveLength(0);
    const logged = written.join('');
    expect(logged).toMatch(/"message":"turn answered"[^\n]*"turnId":"lambda-job-1"/);
    expect(logged).toMatch(
      /"message":"reply undeliverable; memory kept"[^\n]*webhook refused: [^\n]*loopback/,
    );
    expect(logged).toMatch(/"message":"turn already finished; redelivery ignored"[^\n]*"status":"done"/);
    // Every line carries its invocation: the request id, and whether it was the container's first.
    const lines = logged
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const answered = lines.find((l) => l.message === 'turn answered');
    expect(answered).toMatchObject({ function_request_id: 'req-first', cold_start: true });
    const ignored = lines.find((l) => l.message === 'turn already finished; redelivery ignored');
    expect(ignored).toMatchObject({ function_request_id: 'req-second', cold_start: false });
  });

  it('emits one EMF document per turn in namespace Carrier, with only the character and model dimensions', async () => {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      out.push(String(chunk));
      return true;
    });
    const batch = sqsEvent(
      sqsRecord(turnRequest({ id: 'emf-1', text: 'first', user: { id: 'user-secret-1', name: 'Sam' } })),
      sqsRecord(turnRequest({ id: 'emf-2', text: 'second', user: { id: 'user-secret-2', name: 'Kim' } })),
    );
    try {
      expect(await handler(batch, lambdaContext({ awsRequestId: 'req-emf' }))).toEqual({
        batchItemFailures: [],
      });
    } finally {
      spy.mockRestore();
    }
    const documents = out
      .join('')
      .split('\n')
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as Record<string, unknown> & { _aws: EmfEnvelope });
    expect(documents).toHaveLength(2);
    for (const document of documents) {
      const [directive] = document._aws.CloudWatchMetrics;
      expect(directive?.Namespace).toBe('Carrier');
      expect(directive?.Dimensions).toEqual([['character', 'model'], ['character']]);
      expect(document).toMatchObject({
        character: 'ada',
        model: 'offline',
        AnsweredTurns: 1,
        CostMicroUsd: 0,
      });
      const names = directive!.Metrics.map((m) => m.Name);
      expect(names).toEqual(
        expect.arrayContaining([
          'TurnLatency',
          'TimeToFirstToken',
          'RecallMs',
          'ModelMs',
          'InputTokens',
          'CachedInputTokens',
          'OutputTokens',
          'CostMicroUsd',
          'ToolCalls',
          'ToolErrors',
        ]),
      );
      expect(directive!.Metrics.find((m) => m.Name === 'TurnLatency')?.Unit).toBe('Milliseconds');
      // Nothing else rides along: no service, no user id, anywhere in the document.
      const keys = Object.keys(document).filter((k) => k !== '_aws' && !names.includes(k));
      expect(keys.sort()).toEqual(['character', 'model']);
      expect(JSON.stringify(document)).not.toMatch(/user-secret/);
    }
  });
});

interface EmfEnvelope {
  CloudWatchMetrics: Array<{
    Namespace: string;
    Dimensions: string[][];
    Metrics: Array<{ Name: string; Unit: string }>;
  }>;
}
