import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createInteractions } from '../wiring/interactions.ts';
import { lambdaHandler } from './lambda-handler.ts';

const logger = new Logger({ serviceName: 'discord-interactions' });

/** Discord's interactions webhook: verify, answer PING, queue the command, defer — within 3 s. */
export const handler = lambdaHandler(
  logger,
  async () => createInteractions(process.env, logger),
  (interactions, event: APIGatewayProxyEventV2) => interactions(event),
);
