import { interactionsLambda, type InteractionsLambdaHandler } from '../adapters/lambda/interactions.ts';
import { SqsJsonQueue } from '../adapters/queue/sqs-json-queue.ts';
import { createInteractionsHandler } from '../discord/interactions.ts';
import { servedCharacters } from '../discord/served-characters.ts';
import { ConfigError } from '../errors.ts';
import type { Log } from '../ports/log.ts';

/**
 * The deployed interactions endpoint. Discord gives 3 s including a cold start, so this reads
 * only process env (public keys, the queue URL): no zod, agents SDK, Discord REST client or
 * database client reaches its bundle (test/discord/bundle.test.ts keeps it under 400 KB).
 *
 * @example
 * const handle = createInteractions(process.env, logger);
 */
export function createInteractions(env: NodeJS.ProcessEnv, log: Log): InteractionsLambdaHandler {
  const queueUrl = env.TURN_QUEUE_URL;
  if (!queueUrl) {
    throw new ConfigError([
      {
        file: 'environment',
        path: 'TURN_QUEUE_URL',
        message: 'the interactions function needs the turn queue URL',
      },
    ]);
  }
  return interactionsLambda(
    createInteractionsHandler({
      queue: new SqsJsonQueue({ queueUrl }),
      characters: servedCharacters(env),
      env,
      log,
    }),
  );
}
