import type { WebSocketLambdaEvent } from '../adapters/lambda/websocket.ts';
import { createWebSocket } from '../wiring/websocket.ts';
import { loadedSettings } from '../wiring/settings.ts';
import { lambdaHandler } from './lambda-handler.ts';
import { traced } from './traced.ts';

const observed = traced('websocket');
const { logger } = observed;

/** API Gateway WebSocket API ($connect, $disconnect, message, subscribe, $default) → the use case. */
export const handler = lambdaHandler(
  observed,
  async () => createWebSocket(await loadedSettings(logger), logger),
  (ws, event: WebSocketLambdaEvent) => ws(event),
);
