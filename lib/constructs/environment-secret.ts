import { Validations, type RemovalPolicy } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface EnvironmentSecretProps {
  environmentName: string;
  removalPolicy: RemovalPolicy;
}

/**
 * The environment's one secret: a JSON object of NAME: value pairs (model keys, database URL,
 * Instagram and FTP credentials) that functions read at cold start through CARRIER_SECRET_ARN.
 * The stack creates it holding only a generated CARRIER_WEBHOOK_SECRET; the operator adds the
 * rest after the first deploy, so no secret value ever passes through the template.
 *
 * @example
 * const secret = new EnvironmentSecret(this, 'Secret', { environmentName: 'dev', removalPolicy });
 * secret.secret.grantRead(runner.fn);
 */
export class EnvironmentSecret extends Construct {
  public readonly secret: Secret;
  /** `carrier/<env>`: what the operator passes to `aws secretsmanager` commands. */
  public readonly secretName: string;

  constructor(scope: Construct, id: string, props: EnvironmentSecretProps) {
    super(scope, id);
    this.secretName = `carrier/${props.environmentName}`;
    this.secret = new Secret(this, 'Secret', {
      secretName: this.secretName,
      description: `Carrier ${props.environmentName}: model keys, database URL, Instagram and FTP credentials (JSON object)`,
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'CARRIER_WEBHOOK_SECRET',
        passwordLength: 48,
        excludePunctuation: true,
      },
      removalPolicy: props.removalPolicy,
    });
    // On the CloudFormation resource itself, so the acknowledgement covers nothing else.
    Validations.of(this.secret.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Holds third-party credentials (model providers, database, FTP) that are rotated at their issuers, ' +
        'and an Instagram token the token-refresh function renews; there is no rotation Lambda to give it.',
    });
  }
}
