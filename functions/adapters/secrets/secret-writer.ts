import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { InstagramError } from '../../instagram/errors.ts';
import type { SecretWriter } from '../../ports/secrets.ts';

/**
 * The local secret store: `${CARRIER_DATA_DIR}/secrets.json`, a JSON object of NAME: value that
 * is read over `.env` at start-up. Written atomically (temp file + rename), readable by its owner only.
 *
 * @example await new LocalSecretsFile('.carrier/secrets.json').write('INSTAGRAM_ACCESS_TOKEN', token);
 */
export class LocalSecretsFile implements SecretWriter {
  constructor(readonly path: string) {}

  async read(): Promise<Record<string, string>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new InstagramError(
        `${this.path}: not valid JSON (${(error as Error).message}); fix it to a JSON object of NAME: value pairs, or delete it and set the values in .env`,
        'fix_input',
        undefined,
        { cause: error },
      );
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) {
      throw new InstagramError(`${this.path}: expected a JSON object of NAME: value pairs`, 'fix_input');
    }
    return Object.fromEntries(
      Object.entries(data).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  }

  async write(name: string, value: string): Promise<void> {
    const next = { ...(await this.read()), [name]: value };
    await mkdir(dirname(this.path), { recursive: true });
    const temp = `${this.path}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    await chmod(temp, 0o600);
    await rename(temp, this.path);
  }
}

/**
 * The deployed secret store: one Secrets Manager secret holding a JSON object of NAME: value
 * (the environment's secret). Writing reads the current object, sets one name and puts a new
 * version, so the other values stay. Only the daily refresh writes, so there is no race to lose.
 *
 * @example await new SecretsManagerWriter({ secretId: process.env.CARRIER_SECRET_ARN! }).write('INSTAGRAM_ACCESS_TOKEN', token);
 */
export class SecretsManagerWriter implements SecretWriter {
  private readonly client: SecretsManagerClient;

  constructor(readonly options: { secretId: string; client?: SecretsManagerClient }) {
    this.client = options.client ?? new SecretsManagerClient({});
  }

  async write(name: string, value: string): Promise<void> {
    const current = await this.client.send(new GetSecretValueCommand({ SecretId: this.options.secretId }));
    let data: Record<string, unknown> = {};
    if (current.SecretString) {
      const parsed: unknown = JSON.parse(current.SecretString);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new InstagramError(
          `secret ${this.options.secretId}: expected a JSON object of NAME: value pairs`,
          'fix_input',
        );
      }
      data = parsed as Record<string, unknown>;
    }
    await this.client.send(
      new PutSecretValueCommand({
        SecretId: this.options.secretId,
        SecretString: JSON.stringify({ ...data, [name]: value }),
      }),
    );
  }
}
