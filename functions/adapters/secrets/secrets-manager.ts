import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '../../errors.ts';

/** Secrets Manager through Powertools Parameters: cached for 5 minutes, so warm starts skip the call. */
export async function readSecretsManager(
  arn: string,
  client?: SecretsManagerClient,
): Promise<Record<string, unknown>> {
  const { SecretsProvider } = await import('@aws-lambda-powertools/parameters/secrets');
  const provider = new SecretsProvider(client ? { awsSdkV3Client: client } : {});
  const value = await provider.get(arn, { transform: 'json', maxAge: 300 });
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError([
      { file: `secret ${arn}`, path: '', message: 'expected a JSON object of NAME: value pairs' },
    ]);
  }
  return value as Record<string, unknown>;
}
