import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import type { ConnectionPush, PushResult } from '../../ports/connection-push.ts';

export interface ManagementApiPushOptions {
  /** The WebSocket stage's callback URL: `https://<api-id>.execute-api.<region>.amazonaws.com/<stage>`. */
  endpoint: string;
  client?: ApiGatewayManagementApiClient;
}

/**
 * Frames to WebSocket clients through the API Gateway Management API (`PostToConnection`); a
 * connection that is gone (410 GoneException) is reported as `gone`, any other failure throws.
 *
 * @example
 * const push = new ManagementApiPush({ endpoint: settings.env.CARRIER_WS_CALLBACK_URL });
 * await push.post(connectionId, JSON.stringify(frame)); // 'sent' | 'gone'
 */
export class ManagementApiPush implements ConnectionPush {
  private readonly client: ApiGatewayManagementApiClient;

  constructor(options: ManagementApiPushOptions) {
    this.client = options.client ?? new ApiGatewayManagementApiClient({ endpoint: options.endpoint });
  }

  async post(connectionId: string, frame: string): Promise<PushResult> {
    try {
      await this.client.send(
        new PostToConnectionCommand({ ConnectionId: connectionId, Data: new TextEncoder().encode(frame) }),
      );
      return 'sent';
    } catch (error) {
      if (error instanceof GoneException || (error as { name?: string }).name === 'GoneException')
        return 'gone';
      throw error;
    }
  }
}
