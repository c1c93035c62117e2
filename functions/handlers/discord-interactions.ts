import { Logger } from '@aws-lambda-powertools/logger';
import { SqsJsonQueue } from '../adapters/sqs-json-queue.ts';
import { createInteractionsHandler } from '../discord/interactions.ts';
import { interactionsLambda } from '../discord/interactions-lambda.ts';
import { servedCharacters } from '../discord/served-characters.ts';

// Discord gives 3 s including cold start: this bundle holds no zod, agents SDK, Discord REST
// client, database client or AWS SDK (test/discord/bundle.test.ts keeps it small).
const log = new Logger({ serviceName: 'discord-interactions' });
const queueUrl = process.env.TURN_QUEUE_URL;
if (!queueUrl)
  throw new Error('TURN_QUEUE_URL is not set: the interactions function needs the turn queue URL');

export const handler = interactionsLambda(
  createInteractionsHandler({
    queue: new SqsJsonQueue({ queueUrl }),
    characters: servedCharacters(process.env),
    env: process.env,
    log,
  }),
);
