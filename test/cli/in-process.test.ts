import { tmpdir } from 'node:os';
import { describe, expect, it, vi } from 'vitest';
import { inProject } from './in-process.ts';

describe('inProject', () => {
  it('keeps provider keys from a command in this process unless the test gives them, and puts all back', async () => {
    vi.stubEnv('OPENAI_API_KEY', 'sk-developer');
    vi.stubEnv('DATABASE_URL', 'postgres://developer@db/prod');
    vi.stubEnv('CARRIER_MODEL', 'openai');
    vi.stubEnv('ANTHROPIC_API_KEY', undefined);
    const cwd = process.cwd();
    const seen = await inProject(
      tmpdir(),
      { ANTHROPIC_API_KEY: 'sk-ant-test', CARRIER_MODEL: undefined, CARRIER_DATA_DIR: '/data' },
      async () => ({ ...process.env, cwd: process.cwd() }),
    );
    expect(seen).toMatchObject({
      ANTHROPIC_API_KEY: 'sk-ant-test',
      CARRIER_DATA_DIR: '/data',
      cwd: tmpdir(),
    });
    expect(seen).not.toHaveProperty('OPENAI_API_KEY');
    expect(seen).not.toHaveProperty('DATABASE_URL');
    expect(seen).not.toHaveProperty('CARRIER_MODEL');

    expect(process.cwd()).toBe(cwd);
    expect(process.env.OPENAI_API_KEY).toBe('sk-developer');
    expect(process.env.DATABASE_URL).toBe('postgres://developer@db/prod');
    expect(process.env.CARRIER_MODEL).toBe('openai');
    expect(process.env.ANTHROPIC_API_KEY).toBeUndefined();
    vi.unstubAllEnvs();
  });
});
