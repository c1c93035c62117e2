import { FunctionUrlAuthType, InvokeMode, type FunctionUrl } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { CarrierFunction, type CarrierFunctionProps } from './carrier-function.ts';

/**
 * GET /v1/jobs/{id}/events as a streamed response: HTTP APIs cannot stream, so the route is a
 * function URL in RESPONSE_STREAM mode. IAM auth (AWS_IAM): callers sign with SigV4 and need
 * `lambda:InvokeFunctionUrl` on it (`grantInvoke`); the API key then goes in `x-api-key`, checked
 * by the function with the HTTP API's tenant rules.
 *
 * @example
 * const events = new JobEventsStream(this, 'JobEvents', { ...common, entry, environment: {} });
 * events.url.url; // https://<id>.lambda-url.<region>.on.aws/
 */
export class JobEventsStream extends Construct {
  public readonly fn: CarrierFunction['fn'];
  public readonly url: FunctionUrl;

  constructor(scope: Construct, id: string, props: Omit<CarrierFunctionProps, 'name' | 'description'>) {
    super(scope, id);
    this.fn = new CarrierFunction(this, 'Function', {
      ...props,
      name: 'job-events',
      description: 'GET /v1/jobs/{id}/events as Server-Sent Events through a streaming function URL',
      environment: { ...props.environment, CARRIER_STREAM_TIMEOUT_SECONDS: String(props.timeoutSeconds) },
    }).fn;
    this.url = this.fn.addFunctionUrl({
      authType: FunctionUrlAuthType.AWS_IAM,
      invokeMode: InvokeMode.RESPONSE_STREAM,
    });
  }
}
