import { describe, expect, it } from 'vitest';
import { ConfigError } from '#core/errors.ts';
import { parseInstagramSettings } from '#core/instagram/settings.ts';

const problems = (env: Record<string, string>) => {
  try {
    parseInstagramSettings(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
};

describe('Instagram settings from the environment', () => {
  it('defaults to Instagram Login on graph.instagram.com', () => {
    const s = parseInstagramSettings({});
    expect(s.graph).toEqual({ api: 'instagram', version: 'v24.0', baseUrl: 'https://graph.instagram.com' });
    expect(s.ftp).toBeUndefined();
    expect(s.account('ada')).toBeUndefined();
  });

  it('uses graph.facebook.com for Facebook Login, and INSTAGRAM_GRAPH_URL over both', () => {
    expect(
      parseInstagramSettings({ INSTAGRAM_API: 'facebook', INSTAGRAM_GRAPH_VERSION: 'v23.0' }).graph,
    ).toEqual({
      api: 'facebook',
      version: 'v23.0',
      baseUrl: 'https://graph.facebook.com',
    });
    expect(parseInstagramSettings({ INSTAGRAM_GRAPH_URL: 'http://127.0.0.1:9/' }).graph.baseUrl).toBe(
      'http://127.0.0.1:9',
    );
  });

  it('reads FTP hosting with its public URL', () => {
    const s = parseInstagramSettings({
      FTP_SERVER: 'ftp.example.com',
      FTP_PORT: '2121',
      FTP_USERNAME: 'u',
      FTP_PASSWORD: 'p',
      FTP_DIRECTORY: '/public/ig',
      FTP_SECURE: 'true',
      HTTP_SERVER: 'https://media.example.com/ig/',
    });
    expect(s.ftp).toEqual({
      host: 'ftp.example.com',
      port: 2121,
      user: 'u',
      password: 'p',
      directory: '/public/ig',
      secure: true,
      insecureTls: false,
      httpServer: 'https://media.example.com/ig',
    });
  });

  it('reads how many dying claims a post survives, and names CARRIER_POST_MAX_CLAIMS when it is wrong', () => {
    expect(parseInstagramSettings({}).postMaxClaims).toBe(5);
    expect(parseInstagramSettings({ CARRIER_POST_MAX_CLAIMS: '3' }).postMaxClaims).toBe(3);
    expect(problems({ CARRIER_POST_MAX_CLAIMS: 'many' })).toEqual([
      'CARRIER_POST_MAX_CLAIMS: expected a whole number of claims, like 5',
    ]);
    expect(problems({ CARRIER_POST_MAX_CLAIMS: '0' })).toEqual([
      'CARRIER_POST_MAX_CLAIMS: expected at least 1',
    ]);
  });

  it('reads the publisher budget, and names CARRIER_PUBLISH_BUDGET_MS when it is not a number', () => {
    expect(parseInstagramSettings({}).publishBudgetMs).toBe(120_000);
    expect(parseInstagramSettings({ CARRIER_PUBLISH_BUDGET_MS: '45000' }).publishBudgetMs).toBe(45_000);
    expect(problems({ CARRIER_PUBLISH_BUDGET_MS: '2m' })).toEqual([
      'CARRIER_PUBLISH_BUDGET_MS: expected a whole number of milliseconds, like 120000',
    ]);
    expect(problems({ CARRIER_PUBLISH_BUDGET_MS: '5' })).toEqual([
      'CARRIER_PUBLISH_BUDGET_MS: expected at least 1000 (milliseconds)',
    ]);
    expect(() => parseInstagramSettings({ CARRIER_PUBLISH_BUDGET_MS: 'NaN' })).toThrow(
      'environment: CARRIER_PUBLISH_BUDGET_MS: expected a whole number of milliseconds, like 120000',
    );
  });

  it('prefers a character own account, upper-cased with other characters as _', () => {
    const s = parseInstagramSettings({
      INSTAGRAM_ACCOUNT_ID: '1',
      INSTAGRAM_ACCESS_TOKEN: 'shared',
      INSTAGRAM_SIR_BOT_ACCOUNT_ID: '2',
      INSTAGRAM_SIR_BOT_ACCESS_TOKEN: 'own',
    });
    expect(s.account('sir-bot')).toEqual({
      accountId: '2',
      accessToken: 'own',
      tokenKey: 'INSTAGRAM_SIR_BOT_ACCESS_TOKEN',
    });
    expect(s.account('ada')).toEqual({
      accountId: '1',
      accessToken: 'shared',
      tokenKey: 'INSTAGRAM_ACCESS_TOKEN',
    });
    expect(s.accounts()).toHaveLength(2);
  });

  it('rejects typos, bad values and half-set pairs, one line each', () => {
    expect(
      problems({
        INSTAGRAM_ACESS_TOKEN: 'x',
        FTP_PORT: '99999',
        INSTAGRAM_API: 'tiktok',
        INSTAGRAM_GRAPH_VERSION: '24',
        HTTP_SERVER: 'ftp://x',
      }),
    ).toEqual([
      'FTP_PORT: expected a port number from 1 to 65535',
      'HTTP_SERVER: expected an http(s) URL',
      'INSTAGRAM_API: expected instagram or facebook',
      'INSTAGRAM_GRAPH_VERSION: expected a Graph API version like v24.0',
      expect.stringMatching(/^INSTAGRAM_ACESS_TOKEN: unknown setting; known: FTP_SERVER, /),
    ]);
    expect(problems({ INSTAGRAM_ACCOUNT_ID: '1' })).toEqual([
      'INSTAGRAM_ACCESS_TOKEN: missing: set both INSTAGRAM_ACCOUNT_ID and INSTAGRAM_ACCESS_TOKEN, or neither',
    ]);
    expect(problems({ INSTAGRAM_ADA_ACCESS_TOKEN: 't' })).toEqual([
      'INSTAGRAM_ADA_ACCOUNT_ID: missing: set both the account id and the access token, or neither',
    ]);
    expect(problems({ FTP_SERVER: 'ftp.example.com' })).toEqual([
      'FTP_USERNAME: missing: media hosting needs FTP_SERVER, FTP_USERNAME, FTP_PASSWORD, HTTP_SERVER (set with FTP_SERVER)',
      'FTP_PASSWORD: missing: media hosting needs FTP_SERVER, FTP_USERNAME, FTP_PASSWORD, HTTP_SERVER (set with FTP_SERVER)',
      'HTTP_SERVER: missing: media hosting needs FTP_SERVER, FTP_USERNAME, FTP_PASSWORD, HTTP_SERVER (set with FTP_SERVER)',
    ]);
  });
});
