import { randomUUID } from 'node:crypto';
import type { SQSEvent } from 'aws-lambda';
import { askInteraction, signedInteractionEvent } from '#test/factories/discord.ts';
import { turnRequest } from '#test/runner/support/requests.ts';
import { sqsEvent, sqsRecord } from '#test/runner/support/sqs-event.ts';
import {
  startDeployedEnvironment,
  type DeployedEnvironment,
  type FunctionKey,
} from '#test/deployed/support/deployed-environment.ts';
import { apiEvent, scheduledEvent } from '#test/deployed/support/events.ts';
import { ms, percentile, type BenchRow } from './table.ts';

const RUNS = 5;

/**
 * `npm run bench`: each deployed asset's cold start on Lambda's Node 24, as test/deployed runs it
 * (bundled synth, template variables, loopback peers): the init phase (importing index.mjs) and
 * the first invocation of a fresh execution environment, median of RUNS fresh processes.
 */
export async function benchColdInit(): Promise<BenchRow[]> {
  const d = await startDeployedEnvironment('dev');
  if ('skip' in d) return [{ suite: 'cold init', name: 'every asset', value: 'not measured', note: d.skip }];
  try {
    const key = (await d.pg.cli(['keys', 'create', '--name', 'bench', '--scope', 'agents:read'])).trim();
    const events: Record<FunctionKey, () => Promise<unknown>> = {
      interactions: async () =>
        signedInteractionEvent(
          d.discordApp,
          askInteraction('cold?', { applicationId: d.discordApp.applicationId }),
        ),
      api: () =>
        apiEvent(
          new Request('https://api.example/v1/agents', { headers: { authorization: `Bearer ${key}` } }),
        ),
      runner: async () => runnerEvent(d),
      publisher: async () => scheduledEvent(d.region, 'carrier-dev-instagram-publish'),
      tokenRefresh: async () => scheduledEvent(d.region, 'carrier-dev-instagram-token-refresh'),
    };
    const rows: BenchRow[] = [];
    for (const [name, event] of Object.entries(events) as Array<[FunctionKey, () => Promise<unknown>]>) {
      const fn = d.fn[name];
      const samples: Array<{ init: number; first: number; cpu: number }> = [];
      for (let i = 0; i < RUNS; i++) {
        const invocation = await fn.invoke(await event());
        await fn.stop(); // the next invocation starts a fresh execution environment
        samples.push({
          init: invocation.init!.ms,
          first: invocation.ms,
          cpu: invocation.init!.cpuMs + invocation.cpuMs,
        });
      }
      const median = (k: 'init' | 'first' | 'cpu') =>
        percentile(
          samples.map((s) => s[k]),
          50,
        );
      rows.push({
        suite: 'cold init',
        name: `${fn.spec.functionName}: import + first invoke`,
        value: ms(median('init') + median('first')),
        note: `import ${ms(median('init'))} + ${describe(name)} ${ms(median('first'))}; CPU ${ms(median('cpu'))}; median of ${RUNS} fresh Node ${d.nodeVersion} processes`,
      });
    }
    return rows;
  } finally {
    await d.stop();
  }
}

function describe(name: FunctionKey): string {
  return {
    interactions: 'signed /ask (queued on SQS)',
    api: 'GET /v1/agents',
    runner: 'one turn (model on loopback, no delivery)',
    publisher: 'a tick with nothing due',
    tokenRefresh: 'a refresh with no accounts',
  }[name];
}

function runnerEvent(d: DeployedEnvironment): SQSEvent {
  const request = turnRequest({ conversation: `bench-${randomUUID()}`, text: 'how cold is a cold start?' });
  return sqsEvent({ ...sqsRecord(request), eventSourceARN: d.turns.arn, awsRegion: d.region });
}
