import { Logger } from '@aws-lambda-powertools/logger';
import { SqlMemoryRepository } from '../adapters/store/memories.ts';
import { SqlTurnRepository } from '../adapters/store/turns.ts';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { SqsTurnQueue } from '../adapters/queue/sqs-queue.ts';
import { agentsDirectory } from '../api/agents-directory.ts';
import { createApiApp } from '../api/app.ts';
import { apiLambda } from '../adapters/lambda/api-gateway.ts';
import { memoryAdmin } from '../memory/memory-admin.ts';
import { settings } from '../wiring/settings.ts';
import { servedCharacters } from '../discord/served-characters.ts';
import { ConfigError } from '../errors.ts';
import { postsApi } from '../api/routes/posts.ts';
import { SqlApiKeyRepository } from '../adapters/store/api-keys.ts';
import { openStore } from '../adapters/store/open.ts';

// Built on the first request of a container (settings from Secrets Manager, one store) and reused.
let ready:
  | Promise<(event: APIGatewayProxyEventV2, context?: Context) => Promise<APIGatewayProxyStructuredResultV2>>
  | undefined;

async function build() {
  const s = await settings();
  const log = new Logger({ serviceName: 'api', logLevel: s.logLevel });
  if (!s.turnQueueUrl) {
    throw new ConfigError([
      { file: 'environment', path: 'TURN_QUEUE_URL', message: 'the API needs the turn queue URL' },
    ]);
  }
  const store = await openStore(s.env);
  const characters = servedCharacters(s.env);
  const keys = new SqlApiKeyRepository(store);
  return apiLambda(
    createApiApp({
      turns: new SqlTurnRepository(store),
      queue: new SqsTurnQueue({ queueUrl: s.turnQueueUrl }),
      authenticate: (key) => keys.verify(key),
      agents: agentsDirectory(characters),
      memories: memoryAdmin(new SqlMemoryRepository(store)),
      extraRoutes: [postsApi(store, characters)],
      log,
    }),
  );
}

// The context goes through so `?wait` can stop before the invocation times out.
export const handler = async (
  event: APIGatewayProxyEventV2,
  context?: Context,
): Promise<APIGatewayProxyStructuredResultV2> => {
  ready ??= build().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  return (await ready)(event, context);
};
