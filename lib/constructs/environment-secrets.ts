import { Validations, type RemovalPolicy } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { GENERATED_SECRET_KEY, SECRET_CONCERNS, type SecretConcern } from '../config/secret-keys.ts';

export interface EnvironmentSecretsProps {
  environmentName: string;
  removalPolicy: RemovalPolicy;
  /** The concerns this environment has a secret for (`instagram` only when publishing is on). */
  concerns: readonly SecretConcern[];
}

/**
 * The environment's secrets, one per concern (`carrier/<env>/<concern>`: database, models,
 * webhooks, instagram), each a JSON object of NAME: value pairs. A function is granted only the
 * concerns it needs, and told their ARNs in CARRIER_SECRET_ARNS, so a leaked API function holds
 * no model key and the runner no Instagram token. Created holding `{}` (the webhooks secret a
 * generated CARRIER_WEBHOOK_SECRET); the operator fills the rest, so no secret value ever passes
 * through the template.
 *
 * @example
 * const secrets = new EnvironmentSecrets(this, 'Secrets', { environmentName: 'dev', removalPolicy, concerns });
 * secrets.grantRead(runner.fn, ['database', 'models', 'webhooks']);
 */
export class EnvironmentSecrets extends Construct {
  public readonly secrets: ReadonlyMap<SecretConcern, Secret>;

  constructor(scope: Construct, id: string, props: EnvironmentSecretsProps) {
    super(scope, id);
    const secrets = new Map<SecretConcern, Secret>();
    for (const concern of props.concerns) {
      const secret = new Secret(this, pascal(concern), {
        secretName: secretName(props.environmentName, concern),
        description: `Carrier ${props.environmentName}: ${SECRET_CONCERNS[concern]} (JSON object of NAME: value)`,
        ...(concern === 'webhooks'
          ? {
              generateSecretString: {
                secretStringTemplate: '{}',
                generateStringKey: GENERATED_SECRET_KEY,
                passwordLength: 48,
                excludePunctuation: true,
              },
            }
          : { secretObjectValue: {} }),
        removalPolicy: props.removalPolicy,
      });
      // On the CloudFormation resource itself, so the acknowledgement covers nothing else.
      Validations.of(secret.node.defaultChild!).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          concern === 'instagram'
            ? 'Holds FTP credentials rotated at the host and an Instagram token that the token-refresh function renews itself; there is no rotation Lambda to give it.'
            : `Holds ${SECRET_CONCERNS[concern]}, rotated at their issuers by the operator; there is no rotation Lambda to give it.`,
      });
      secrets.set(concern, secret);
    }
    this.secrets = secrets;
  }

  /** The secret of one concern; throws naming it when this environment has none. */
  secret(concern: SecretConcern): Secret {
    const secret = this.secrets.get(concern);
    if (!secret) throw new Error(`this environment has no ${concern} secret`);
    return secret;
  }

  /**
   * Lets `fn` read exactly these concerns' secrets and tells it where they are
   * (CARRIER_SECRET_ARNS, read in order at cold start).
   */
  grantRead(
    fn: IFunction & { addEnvironment(key: string, value: string): unknown },
    concerns: SecretConcern[],
  ): void {
    const granted = concerns.map((c) => this.secret(c));
    for (const secret of granted) secret.grantRead(fn);
    fn.addEnvironment('CARRIER_SECRET_ARNS', granted.map((s) => s.secretArn).join(','));
  }
}

/** `carrier/<env>/<concern>`: what the operator passes to `aws secretsmanager` commands. */
export function secretName(environmentName: string, concern: SecretConcern): string {
  return `carrier/${environmentName}/${concern}`;
}

function pascal(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
