import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { functionId, functionVariables, type Synthesized } from '../synth.ts';

/** Ingress: routes, throttling, access logs, outputs. */
export function ingressChecks(synth: () => Promise<Synthesized>): void {
  describe('ingress', () => {
    it.each([
      ['POST /discord/{character}/interactions', 'discord-interactions'],
      ['ANY /v1/{proxy+}', 'api'],
      ['GET /console', 'api'],
      ['GET /console/{proxy+}', 'api'],
    ])('routes %s to the %s function', async (routeKey, name) => {
      const { template } = await synth();
      const integrations = template.findResources('AWS::ApiGatewayV2::Integration', {
        Properties: {
          IntegrationUri: { 'Fn::GetAtt': [functionId(template, name), 'Arn'] },
          PayloadFormatVersion: '2.0',
        },
      });
      expect(Object.keys(integrations)).toHaveLength(1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: routeKey,
        Target: { 'Fn::Join': ['', ['integrations/', { Ref: Object.keys(integrations)[0] }]] },
      });
    });

    it('verifies access tokens in the API function, beside API keys, with the environment’s issuers', async () => {
      const { template, deployment } = await synth();
      // No API Gateway authorizer: keys and tokens share /v1, checked by one code path in the app.
      template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: 'ANY /v1/{proxy+}',
        AuthorizationType: 'NONE',
      });
      const issuers = Object.keys(deployment.config.oidc);
      // The WebSocket API's $connect and the event stream take tokens as the API does.
      for (const fn of ['api', 'websocket', 'job-events']) {
        const variables = functionVariables(template, fn);
        if (!issuers.length) expect(variables.CARRIER_OIDC).toBeUndefined();
        else expect(JSON.parse(String(variables.CARRIER_OIDC))).toEqual(deployment.config.oidc);
      }
    });

    it('has no other routes', async () => {
      const { template } = await synth();
      const http = Object.keys(
        template.findResources('AWS::ApiGatewayV2::Api', { Properties: { ProtocolType: 'HTTP' } }),
      );
      const routes = template.findResources('AWS::ApiGatewayV2::Route', {
        Properties: { ApiId: { Ref: http[0] } },
      });
      expect(Object.keys(routes)).toHaveLength(4);
    });

    it('throttles the default stage and writes a JSON access log line per request', async () => {
      const { template, deployment } = await synth();
      const env = deployment.name;
      const stage = template.findResources('AWS::ApiGatewayV2::Stage', {
        Properties: { StageName: '$default' },
      });
      expect(Object.values(stage)).toHaveLength(1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: {
          ThrottlingRateLimit: deployment.config.api.throttleRate,
          ThrottlingBurstLimit: deployment.config.api.throttleBurst,
        },
        AccessLogSettings: {
          DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IngressAccessLogs'), 'Arn'] },
          Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
        },
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/apigateway/carrier-${env}`,
        RetentionInDays: deployment.config.logRetentionDays,
      });
    });

    it('prints the Interactions Endpoint URL of every deployed character', async () => {
      const { template, deployment } = await synth();
      for (const id of deployment.config.characters) {
        const outputs = template.findOutputs('*', {
          Value: { 'Fn::Join': ['', Match.arrayWith([`/discord/${id}/interactions`])] },
        });
        expect(Object.keys(outputs), id).toHaveLength(1);
      }
    });
  });
}
