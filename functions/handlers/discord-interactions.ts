import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createInteractions } from '../wiring/interactions.ts';
import { lambdaHandler } from './lambda-handler.ts';
import { observability } from './observability.ts';

// No tracer: the X-Ray SDK's import would eat into Discord's 3 s, cold start included.
const observed = observability('discord-interactions');
const { logger } = observed;

/** Discord's interactions webhook: verify, answer PING, queue the command, defer — within 3 s. */
export const handler = lambdaHandler(
  observed,
  async () => createInteractions(process.env, logger),
  (interactions, event: APIGatewayProxyEventV2) => interactions(event),
);
