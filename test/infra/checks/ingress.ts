import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { functionId, type Synthesized } from '../synth.ts';

/** Ingress: routes, throttling, access logs, outputs. */
export function ingressChecks(synth: () => Promise<Synthesized>): void {
  describe('ingress', () => {
    it('routes POST /discord/{character}/interactions to the interactions function', async () => {
      const { template } = await synth();
      const integrations = template.findResources('AWS::ApiGatewayV2::Integration', {
        Properties: {
          IntegrationUri: { 'Fn::GetAtt': [functionId(template, 'discord-interactions'), 'Arn'] },
          PayloadFormatVersion: '2.0',
        },
      });
      const [integration] = Object.keys(integrations);
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: 'POST /discord/{character}/interactions',
        Target: { 'Fn::Join': ['', ['integrations/', { Ref: integration }]] },
      });
    });

    it('throttles the default stage and writes a JSON access log line per request', async () => {
      const { template, deployment } = await synth();
      const env = deployment.name;
      const stage = template.findResources('AWS::ApiGatewayV2::Stage');
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
