/** `gone`: the client has disconnected (410); forget the connection. */
export type PushResult = 'sent' | 'gone';

/**
 * Sends one frame to a WebSocket connection the API Gateway WebSocket API holds. Implemented by
 * adapters/websocket/management-api.ts (PostToConnection) and, in tests, against
 * test/fakes/management-api.ts.
 */
export interface ConnectionPush {
  post(connectionId: string, frame: string): Promise<PushResult>;
}
