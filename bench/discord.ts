import { execFileSync } from 'node:child_process';
import { createInteractionsHandler } from '#core/discord/interactions.ts';
import { interactionsLambda } from '#core/adapters/lambda/interactions.ts';
import {
  askInteraction,
  pingInteraction,
  signedInteractionEvent,
  testDiscordApp,
  type TestDiscordApp,
} from '#test/factories/discord.ts';
import { lambdaNode } from '#test/deployed/support/node24.ts';
import { bundleHandler, INTERACTIONS_BUDGET_BYTES, writeBundle } from './bundles.ts';
import { ms, percentile, sampleMs, type BenchRow } from './table.ts';

/** Cold import of the interactions bundle on Lambda's Node 24 (measured ~110 ms idle with the AWS SDK inside). */
export const COLD_IMPORT_BUDGET_MS = 100;
const COLD_IMPORT_STRETCH_MS = 60;
const over = (value: number, budget: number) => (value > budget ? ' — OVER' : '');

/**
 * The interactions function against its budgets: handler time for a signed `/ask` with an
 * instant queue (verification included), and the shipped bundle's size and cold import time.
 */
export async function benchDiscord(): Promise<BenchRow[]> {
  const app = testDiscordApp();
  const handler = interactionsLambda(
    createInteractionsHandler({
      queue: { enqueue: async () => {} },
      characters: ['ada'],
      env: { DISCORD_PUBLIC_KEY: app.publicKey },
    }),
  );
  const runs = 2000;
  const events = Array.from({ length: runs + 200 }, (_, i) =>
    signedInteractionEvent(app, askInteraction(`question ${i}`)),
  );
  let next = 0;
  const samples = await sampleMs(() => handler(events[next++]!), runs, 200);

  const bundle = await bundleHandler('interactions');
  const node = lambdaNode();
  const rows: BenchRow[] = [
    {
      suite: 'discord',
      name: 'interactions /ask handler, median',
      value: ms(percentile(samples, 50)),
      note: `${runs} signed requests, Ed25519 verify included, instant queue`,
    },
    { suite: 'discord', name: 'interactions /ask handler, p99', value: ms(percentile(samples, 99)) },
    {
      suite: 'discord',
      name: 'interactions bundle, minified',
      value: `${(bundle.bytes / 1024).toFixed(0)} KB`,
      note: `budget ${INTERACTIONS_BUDGET_BYTES / 1024} KB${over(bundle.bytes, INTERACTIONS_BUDGET_BYTES)}`,
    },
  ];
  if ('missing' in node) {
    rows.push({
      suite: 'discord',
      name: 'interactions cold import',
      value: 'not measured',
      note: node.missing,
    });
    return rows;
  }
  const { file, remove } = writeBundle(bundle);
  const env = {
    PATH: process.env.PATH,
    TURN_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/turns.fifo',
    AWS_REGION: 'us-east-1',
    CARRIER_CHARACTERS: 'ada',
    DISCORD_PUBLIC_KEY: app.publicKey,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const imports = Array.from({ length: 9 }, () => coldRun(node.path, file, env));
  const pings = Array.from({ length: 5 }, () => coldRun(node.path, file, env, app));
  remove();
  const median = (key: 'wall' | 'cpu', of = imports) =>
    percentile(
      of.map((i) => i[key]),
      50,
    );
  const budget = (value: number) =>
    `budget ${COLD_IMPORT_BUDGET_MS} ms${over(value, COLD_IMPORT_BUDGET_MS)}, stretch ${COLD_IMPORT_STRETCH_MS} ms${value <= COLD_IMPORT_STRETCH_MS ? ' — met' : ''}`;
  rows.push(
    {
      suite: 'discord',
      name: `interactions cold import, median (Node ${node.version})`,
      value: ms(median('wall')),
      note: `9 fresh processes; ${budget(median('wall'))} (wall time grows with machine load)`,
    },
    {
      suite: 'discord',
      name: 'interactions cold import, CPU median',
      value: ms(median('cpu')),
      note: `user + system time of the same imports; ${budget(median('cpu'))}`,
    },
    {
      suite: 'discord',
      name: 'interactions cold import + first PING, median',
      value: ms(median('wall', pings)),
      note: '5 fresh processes: import, key import, verify, answer',
    },
  );
  return rows;
}

/**
 * Wall and CPU milliseconds for a fresh Node process to import `file` and, given an app, answer
 * one signed PING. Measured inside that process, so process start-up is not counted.
 */
function coldRun(
  node: string,
  file: string,
  env: NodeJS.ProcessEnv,
  app?: TestDiscordApp,
): { wall: number; cpu: number } {
  const ping = app
    ? `const r=await m.handler(JSON.parse(process.env.EVENT));if(r.statusCode!==200)throw new Error(r.body);`
    : '';
  const script = `const c=process.cpuUsage(),t=performance.now();const m=await import(${JSON.stringify(file)});${ping}
    const u=process.cpuUsage(c);console.log(JSON.stringify({wall:performance.now()-t,cpu:(u.user+u.system)/1000}))`;
  const event = app ? { EVENT: JSON.stringify(signedInteractionEvent(app, pingInteraction())) } : {};
  const out = execFileSync(node, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...env, ...event },
  });
  return JSON.parse(out) as { wall: number; cpu: number };
}
