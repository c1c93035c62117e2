import { describe, expect, it } from 'vitest';
import { loadDeployment } from '../../lib/config/deployment.ts';
import { secretKeys } from '../../lib/config/secret-keys.ts';

describe('the keys an environment secret needs', () => {
  it('lists the database, model and publishing keys for dev, each with why', async () => {
    const keys = secretKeys(await loadDeployment('dev'));
    const names = keys.map((k) => k.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'OPENAI_API_KEY',
        'ANTHROPIC_API_KEY',
        'INSTAGRAM_ACCESS_TOKEN',
        'FTP_PASSWORD',
      ]),
    );
    expect(keys.find((k) => k.name === 'INSTAGRAM_ACCESS_TOKEN')).toEqual({
      name: 'INSTAGRAM_ACCESS_TOKEN',
      concern: 'instagram',
      why: 'instagram.enabled in the environment file',
    });
    // Each key lives in its concern's secret, read only by the functions that need it.
    expect(Object.fromEntries(keys.map((k) => [k.name, k.concern]))).toMatchObject({
      CARRIER_WEBHOOK_SECRET: 'webhooks',
      DATABASE_URL: 'database',
      OPENAI_API_KEY: 'models',
      FTP_PASSWORD: 'instagram',
    });
    expect(new Set(names).size).toBe(names.length);
  });
});
