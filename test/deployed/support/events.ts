import type { APIGatewayProxyEventV2, ScheduledEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { toApiGatewayEvent } from '#core/local/apigw-event.ts';

/**
 * What the HTTP API sends the API function for a request to `/v1/...` (payload 2.0, route
 * `ANY /v1/{proxy+}`), from a fetch Request.
 *
 * @example
 * const event = await apiEvent(new Request('https://api.example/v1/jobs/1', { headers }));
 */
export async function apiEvent(request: Request): Promise<APIGatewayProxyEventV2> {
  const path = new URL(request.url).pathname;
  const event = await toApiGatewayEvent(request, { proxy: path.replace(/^\/v1\//, '') }, '203.0.113.7');
  const routeKey = 'ANY /v1/{proxy+}';
  return { ...event, routeKey, requestContext: { ...event.requestContext, routeKey } };
}

/**
 * The event an EventBridge rule sends its target.
 *
 * @example scheduledEvent('eu-west-1', 'carrier-dev-instagram-publish');
 */
export function scheduledEvent(region: string, ruleName: string): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    region,
    resources: [`arn:aws:events:${region}:123456789012:rule/${ruleName}`],
    detail: {},
  };
}
