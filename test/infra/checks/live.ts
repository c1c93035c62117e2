import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { functionId, functionVariables, roleStatements, type Synthesized } from '../synth.ts';

type Resources = Record<string, { Properties: Record<string, unknown> }>;

/** Live replies deployed: the WebSocket API, its routes, who may push, and the streaming function URL. */
export function liveChecks(synth: () => Promise<Synthesized>): void {
  describe('live replies', () => {
    it('has a WebSocket API routed on the frame action, every route on the websocket function', async () => {
      const { template } = await synth();
      const apis = template.findResources('AWS::ApiGatewayV2::Api', {
        Properties: { ProtocolType: 'WEBSOCKET' },
      });
      expect(Object.values(apis).map((a) => a.Properties.RouteSelectionExpression)).toEqual([
        '$request.body.action',
      ]);
      const apiId = Object.keys(apis)[0]!;
      const integrations = template.findResources('AWS::ApiGatewayV2::Integration', {
        Properties: { ApiId: { Ref: apiId }, IntegrationType: 'AWS_PROXY' },
      }) as Resources;
      expect(Object.keys(integrations)).toHaveLength(1);
      expect(JSON.stringify(Object.values(integrations)[0]!.Properties.IntegrationUri)).toContain(
        functionId(template, 'websocket'),
      );
      const routes = template.findResources('AWS::ApiGatewayV2::Route', {
        Properties: { ApiId: { Ref: apiId } },
      }) as Resources;
      expect(
        Object.values(routes)
          .map((r) => r.Properties.RouteKey)
          .sort(),
      ).toEqual(['$connect', '$default', '$disconnect', 'message', 'subscribe'].sort());
      for (const route of Object.values(routes)) {
        expect(route.Properties.Target).toEqual({
          'Fn::Join': ['', ['integrations/', { Ref: Object.keys(integrations)[0] }]],
        });
      }
    });

    it('throttles its stage and writes an access log line per event', async () => {
      const { template, deployment } = await synth();
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: 'live',
        DefaultRouteSettings: {
          ThrottlingRateLimit: deployment.config.api.throttleRate,
          ThrottlingBurstLimit: deployment.config.api.throttleBurst,
        },
        AccessLogSettings: { Format: Match.stringLikeRegexp('"connectionId":"\\$context.connectionId"') },
      });
    });

    it('lets only the runner, the websocket function and the dead-letter consumer post, to this API’s connections on its stage', async () => {
      const { template } = await synth();
      const apiId = Object.keys(
        template.findResources('AWS::ApiGatewayV2::Api', { Properties: { ProtocolType: 'WEBSOCKET' } }),
      )[0]!;
      for (const name of [
        'runner',
        'websocket',
        'api',
        'dead-letters',
        'job-events',
        'discord-interactions',
      ]) {
        const push = roleStatements(template, name).filter((s) =>
          JSON.stringify(s.Action).includes('execute-api'),
        );
        if (!['runner', 'websocket', 'dead-letters'].includes(name)) {
          expect(push, name).toEqual([]);
          continue;
        }
        expect(push, name).toHaveLength(1);
        expect(push[0]!.Action).toBe('execute-api:ManageConnections');
        const resource = JSON.stringify(push[0]!.Resource);
        expect(resource).toContain(`{"Ref":"${apiId}"}`);
        expect(resource).toContain('/live/POST/@connections/*');
        expect(String(functionVariables(template, name).CARRIER_WS_CALLBACK_URL ? 'set' : '')).toBe('set');
      }
    });

    it('serves the event stream from a function URL in response-streaming mode with IAM auth only', async () => {
      const { template } = await synth();
      const urls = template.findResources('AWS::Lambda::Url') as Resources;
      expect(Object.values(urls).map((u) => u.Properties)).toEqual([
        {
          AuthType: 'AWS_IAM',
          InvokeMode: 'RESPONSE_STREAM',
          TargetFunctionArn: { 'Fn::GetAtt': [functionId(template, 'job-events'), 'Arn'] },
        },
      ]);
      const publicUrl = template.findResources('AWS::Lambda::Permission', {
        Properties: { Action: 'lambda:InvokeFunctionUrl', Principal: '*' },
      });
      expect(publicUrl).toEqual({});
      expect(Object.keys(template.findOutputs('JobEventsUrl'))).toHaveLength(1);
      expect(Object.keys(template.findOutputs('WebSocketUrl'))).toHaveLength(1);
    });
  });
}
