import { Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { LogGroupLogDestination, WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './acknowledge-wildcard-resource.ts';
import { CarrierFunction, type CarrierFunctionProps } from './carrier-function.ts';

export interface LiveApiProps {
  /** The WebSocket function (its name and description are set here). */
  function: Omit<CarrierFunctionProps, 'name' | 'description'>;
  throttleRate: number;
  throttleBurst: number;
}

/** The one stage; the callback URL (and the push permission) name it. */
const STAGE = 'live';

/**
 * The WebSocket API of live replies: `$connect` (the function checks the API key, as the HTTP
 * API does), `$disconnect`, `message` and `subscribe` (routed on the frame's `action`), and
 * `$default` for any other frame (answered with an error naming the fix), all on one function.
 * A throttled stage with an access log. `grantPush` lets a function post to this API's
 * connections on this stage and nothing else; the WebSocket function has it for its answers.
 *
 * @example
 * const live = new LiveApi(this, 'Live', { function: { ...common, entry, environment }, throttleRate: 5, throttleBurst: 10 });
 * live.grantPush(runner.fn);
 */
export class LiveApi extends Construct {
  public readonly api: WebSocketApi;
  public readonly stage: WebSocketStage;
  public readonly fn: CarrierFunction['fn'];

  constructor(scope: Construct, id: string, props: LiveApiProps) {
    super(scope, id);
    const env = props.function.environmentName;
    this.api = new WebSocketApi(this, 'Api', {
      apiName: `carrier-${env}-live`,
      description: `Carrier ${env}: live replies over WebSocket`,
      routeSelectionExpression: '$request.body.action',
    });
    const fn = new CarrierFunction(this, 'Function', {
      ...props.function,
      name: 'websocket',
      description: 'WebSocket API: checks keys at $connect, queues messages, subscribes connections to jobs',
    });
    this.fn = fn.fn;
    const integration = new WebSocketLambdaIntegration('Integration', this.fn);
    for (const route of ['$connect', '$disconnect', '$default', 'message', 'subscribe']) {
      const added = this.api.addRoute(route, { integration });
      // Only $connect can carry an authorizer on a WebSocket API; the others run on its connection.
      Validations.of(added.node.defaultChild!).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'The WebSocket function checks the API key at $connect against the hashed, revocable keys in the ' +
          'database (the HTTP API check) and refuses the upgrade otherwise; later frames come on that connection.',
      });
    }
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      logGroupName: `/aws/apigateway/carrier-${env}-live`,
      retention: props.function.logRetention,
      removalPolicy: props.function.removalPolicy,
    });
    this.stage = new WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: STAGE,
      autoDeploy: true,
      throttle: { rateLimit: props.throttleRate, burstLimit: props.throttleBurst },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            connectionId: '$context.connectionId',
            routeKey: '$context.routeKey',
            eventType: '$context.eventType',
            status: '$context.status',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    this.fn.addEnvironment('CARRIER_WS_CALLBACK_URL', this.stage.callbackUrl);
    this.grantPush(this.fn);
  }

  /** `wss://…/live`: where clients connect. */
  get url(): string {
    return this.stage.url;
  }

  /** May post frames to this API's connections on its stage (PostToConnection), nothing else. */
  grantPush(fn: IFunction): void {
    const connections = Stack.of(this).formatArn({
      service: 'execute-api',
      resource: this.api.apiId,
      resourceName: `${STAGE}/POST/@connections/*`,
    });
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['execute-api:ManageConnections'], resources: [connections] }),
    );
    // The wildcard is the connection ids of one API and stage.
    acknowledgeWildcardResource(
      fn,
      connections,
      'Connection ids are made by API Gateway as clients connect; the grant is POST to the connections of ' +
        "this environment's WebSocket API on its one stage, nothing else.",
    );
  }
}
