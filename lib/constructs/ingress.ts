import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
  type HttpRoute,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Validations, type RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface IngressProps {
  environmentName: string;
  throttleRate: number;
  throttleBurst: number;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

/**
 * The environment's one public endpoint: an HTTP API whose default stage is throttled and writes
 * an access log line per request (ids, route, status, latency; never bodies or headers, which
 * carry Discord tokens and API keys). Routes are added per function.
 *
 * @example
 * const ingress = new Ingress(this, 'Ingress', { environmentName: 'dev', throttleRate: 20, ... });
 * ingress.addDiscordInteractions(interactions.fn);
 */
export class Ingress extends Construct {
  public readonly httpApi: HttpApi;
  public readonly stage: HttpStage;
  public readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: IngressProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'Api', {
      apiName: `carrier-${props.environmentName}`,
      description: `Carrier ${props.environmentName}: Discord interactions and the HTTPS API`,
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      logGroupName: `/aws/apigateway/carrier-${props.environmentName}`,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttleRate, burstLimit: props.throttleBurst },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTimeEpoch',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            responseLength: '$context.responseLength',
          }),
        ),
      },
    });
  }

  /** The stage's base URL, ending in `/`. */
  get url(): string {
    return this.stage.url;
  }

  /** `POST /discord/{character}/interactions`: Discord's Interactions Endpoint URL, one per character. */
  addDiscordInteractions(fn: IFunction): HttpRoute[] {
    return this.addRoutes('Interactions', fn, [['/discord/{character}/interactions', HttpMethod.POST]], {
      reason:
        'Discord cannot send AWS credentials or tokens; the function verifies the Ed25519 signature of every ' +
        'request with the application public key and answers 401 otherwise.',
    });
  }

  /**
   * `/v1/*`: the HTTPS API; the function authenticates each request with a hashed API key or an
   * OIDC access token (JWT) it verifies against the issuer's keys. `GET /console` and its files:
   * the console's static page, served by the same function; it holds no data and reads all it
   * shows from /v1 with the key or token the user gives it.
   */
  addApi(fn: IFunction): HttpRoute[] {
    const routes: Array<[string, HttpMethod]> = [
      ['/v1/{proxy+}', HttpMethod.ANY],
      ['/console', HttpMethod.GET],
      ['/console/{proxy+}', HttpMethod.GET],
    ];
    return this.addRoutes('Api', fn, routes, {
      reason:
        'The API authenticates every request itself: a bearer API key checked against hashed, revocable keys ' +
        'in the database, or an OIDC access token verified in the function (issuer, audience, expiry, scopes ' +
        'and signature against the issuer JWKS, the same code as the local stack); an API Gateway JWT ' +
        'authorizer cannot let API keys through on the same route and would be a second path. /console is ' +
        'static HTML, JS and CSS that holds no data: the page calls /v1 with the key the user enters, no cookie.',
    });
  }

  /** Routes to one function through one integration. */
  private addRoutes(
    id: string,
    fn: IFunction,
    paths: Array<[path: string, method: HttpMethod]>,
    auth: { reason: string },
  ): HttpRoute[] {
    const integration = new HttpLambdaIntegration(`${id}Integration`, fn);
    const routes = paths.flatMap(([path, method]) =>
      this.httpApi.addRoutes({ path, methods: [method], integration }),
    );
    for (const route of routes) {
      Validations.of(route.node.defaultChild!).acknowledge({ id: 'AwsSolutions-APIG4', reason: auth.reason });
    }
    return routes;
  }
}
