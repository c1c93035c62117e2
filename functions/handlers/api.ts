import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createApi } from '../wiring/api.ts';
import { loadedSettings } from '../wiring/settings.ts';
import { lambdaHandler } from './lambda-handler.ts';
import { traced } from './traced.ts';

const observed = traced('api');
const { logger } = observed;

/** API Gateway HTTP API → the Hono app. The context goes through so `?wait` stops before the timeout. */
export const handler = lambdaHandler(
  observed,
  async () => createApi(await loadedSettings(logger), logger),
  (api, event: APIGatewayProxyEventV2, context) => api(event, context),
);
