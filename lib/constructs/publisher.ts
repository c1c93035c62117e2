import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { NATIVE_MODULES } from '../config/bundle-options.ts';
import { CarrierFunction, type CarrierFunctionProps } from './carrier-function.ts';

type FunctionProps = Omit<CarrierFunctionProps, 'name' | 'description' | 'retryAttempts'>;

export interface PublisherProps {
  environmentName: string;
  /** The Instagram secret: the token refresh writes renewed tokens into it. */
  instagramSecret: ISecret;
  /** The publish pipeline, ticking every `publishEveryMinutes`. */
  publisher: FunctionProps;
  publishEveryMinutes: number;
  /** The long-lived Instagram token refresh, daily at `tokenRefreshHourUtc`. */
  tokenRefresh: FunctionProps;
  tokenRefreshHourUtc: number;
}

/** Time kept back from the publisher's timeout so a tick hands back unfinished posts cleanly. */
const TICK_MARGIN_SECONDS = 10;

/**
 * Instagram publishing on EventBridge schedules: a publisher tick every few minutes (claims due
 * posts and moves each one step of its state machine; container status is polled across ticks)
 * and a daily refresh of the long-lived tokens, which it writes back to the Instagram secret.
 * Lambda does not retry either: the next tick redoes the work, and the posts' leases make
 * overlapping runs harmless.
 *
 * @example
 * new Publisher(this, 'Instagram', { environmentName: 'dev', instagramSecret, publishEveryMinutes: 5, ... });
 */
export class Publisher extends Construct {
  public readonly publisher: CarrierFunction;
  public readonly tokenRefresh: CarrierFunction;
  /** The publisher's tick, for alarms that count failures per run. */
  public readonly publishPeriod: Duration;

  constructor(scope: Construct, id: string, props: PublisherProps) {
    super(scope, id);
    this.publishPeriod = Duration.minutes(props.publishEveryMinutes);
    const budgetMs = Math.max(1, props.publisher.timeoutSeconds - TICK_MARGIN_SECONDS) * 1000;
    this.publisher = this.scheduled('Publisher', props, {
      ...props.publisher,
      name: 'instagram-publisher',
      description: 'Moves due Instagram posts one step each: host media, create container, check, publish',
      nativeModules: NATIVE_MODULES.publisher,
      environment: { ...props.publisher.environment, CARRIER_PUBLISH_BUDGET_MS: String(budgetMs) },
      schedule: Schedule.rate(this.publishPeriod),
      ruleName: 'instagram-publish',
    });
    this.tokenRefresh = this.scheduled('TokenRefresh', props, {
      ...props.tokenRefresh,
      name: 'instagram-token-refresh',
      description: 'Refreshes the long-lived Instagram tokens and stores them in the secret',
      schedule: Schedule.cron({ minute: '0', hour: String(props.tokenRefreshHourUtc) }),
      ruleName: 'instagram-token-refresh',
      environment: {
        ...props.tokenRefresh.environment,
        CARRIER_INSTAGRAM_SECRET_ARN: props.instagramSecret.secretArn,
      },
    });
    // Only PutSecretValue: a new version of the value, never UpdateSecret (key, description, policy).
    this.tokenRefresh.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['secretsmanager:PutSecretValue'],
        resources: [props.instagramSecret.secretArn],
      }),
    );
  }

  /** A function started by an EventBridge rule; the stack grants it its secrets. */
  private scheduled(
    id: string,
    props: PublisherProps,
    options: Omit<CarrierFunctionProps, 'retryAttempts'> & { schedule: Schedule; ruleName: string },
  ): CarrierFunction {
    const { schedule, ruleName, ...functionProps } = options;
    const fn = new CarrierFunction(this, id, { ...functionProps, retryAttempts: 0 });
    new Rule(this, `${id}Schedule`, {
      ruleName: `carrier-${props.environmentName}-${ruleName}`,
      description: `Starts ${functionProps.name}`,
      schedule,
      targets: [new LambdaFunction(fn.fn, { retryAttempts: 2 })],
    });
    return fn;
  }
}
