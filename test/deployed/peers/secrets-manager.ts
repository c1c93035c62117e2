import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SecretsManagerPeer {
  /** `http://127.0.0.1:<port>`: the functions' AWS_ENDPOINT_URL_SECRETS_MANAGER. */
  endpoint: string;
  arn: string;
  /** The current value, parsed. */
  current(): Record<string, string>;
  /** Every PutSecretValue, in order. */
  readonly puts: Array<Record<string, string>>;
  /** Replaces the value (an operator filling the secret). */
  fill(value: Record<string, string>): void;
  close(): Promise<void>;
}

/**
 * Secrets Manager's GetSecretValue and PutSecretValue over its JSON protocol, on loopback, for
 * one secret (the environment's `carrier/<env>`), found by ARN or name like the real service.
 * Anything else is answered as the service answers an unknown action or secret.
 *
 * @example
 * const secrets = await startSecretsManager('carrier/dev', 'eu-west-1', { DATABASE_URL: url });
 */
export async function startSecretsManager(
  name: string,
  region: string,
  initial: Record<string, string>,
): Promise<SecretsManagerPeer> {
  const arn = `arn:aws:secretsmanager:${region}:123456789012:secret:${name}-AbCdEf`;
  let value = JSON.stringify(initial);
  let version = randomUUID();
  const puts: Array<Record<string, string>> = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const action = String(req.headers['x-amz-target'] ?? '').replace(/^secretsmanager\./, '');
      const input = (raw ? JSON.parse(raw) : {}) as { SecretId?: string; SecretString?: string };
      const reply = (status: number, body: object, type?: string) => {
        res.writeHead(status, {
          'content-type': 'application/x-amz-json-1.1',
          ...(type ? { 'x-amzn-errortype': type } : {}),
        });
        res.end(
          JSON.stringify(type ? { __type: type, message: (body as { message: string }).message } : body),
        );
      };
      if (input.SecretId !== arn && input.SecretId !== name) {
        return reply(
          400,
          { message: "Secrets Manager can't find the specified secret." },
          'ResourceNotFoundException',
        );
      }
      if (action === 'GetSecretValue') {
        return reply(200, {
          ARN: arn,
          Name: name,
          VersionId: version,
          SecretString: value,
          VersionStages: ['AWSCURRENT'],
          CreatedDate: Date.now() / 1000,
        });
      }
      if (action === 'PutSecretValue' && typeof input.SecretString === 'string') {
        value = input.SecretString;
        version = randomUUID();
        puts.push(JSON.parse(value) as Record<string, string>);
        return reply(200, { ARN: arn, Name: name, VersionId: version, VersionStages: ['AWSCURRENT'] });
      }
      reply(400, { message: `${action} is not supported here` }, 'InvalidRequestException');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    arn,
    current: () => JSON.parse(value) as Record<string, string>,
    puts,
    fill(next) {
      value = JSON.stringify(next);
      version = randomUUID();
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
