import { Logger } from '@aws-lambda-powertools/logger';
import { SqsTurnQueue } from '../adapters/queue/sqs-queue.ts';
import { createInteractionsHandler } from '../discord/interactions.ts';
import { interactionsLambda } from '../adapters/lambda/interactions.ts';
import { servedCharacters } from '../discord/served-characters.ts';

// Discord gives 3 s including cold start: this bundle holds no zod, agents SDK, Discord REST
// client or database client (test/discord/bundle.test.ts keeps it under 400 KB).
const log = new Logger({ serviceName: 'discord-interactions' });
const queueUrl = process.env.TURN_QUEUE_URL;
if (!queueUrl)
  throw new Error('TURN_QUEUE_URL is not set: the interactions function needs the turn queue URL');

export const handler = interactionsLambda(
  createInteractionsHandler({
    queue: new SqsTurnQueue({ queueUrl }),
    characters: servedCharacters(process.env),
    env: process.env,
    log,
  }),
);
