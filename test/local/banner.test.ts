import { describe, expect, it } from 'vitest';
import { startBanner } from '#core/local/banner.ts';
import type { LocalStack } from '#core/local/stack.ts';
import { testSettings } from './support/stack.ts';

describe('startBanner', () => {
  it('prints the URLs, the generated key, a curl that uses it and each interactions URL', async () => {
    const stack = {
      url: 'http://127.0.0.1:3000',
      devApiKey: 'ck_dev_generated_key_123',
      webhookSecret: 'whsec_generated_0123456',
      generated: { devApiKey: true, webhookSecret: true },
      requeued: 2,
      characters: ['ada', 'juniper'],
    } as LocalStack;
    const text = startBanner(stack, await testSettings(), 'offline');

    expect(text).toContain('API             http://127.0.0.1:3000/v1');
    expect(text).toContain(
      'ck_dev_generated_key_123  (generated for this run; set CARRIER_DEV_API_KEY to keep one)',
    );
    expect(text).toContain("curl -s -X POST 'http://127.0.0.1:3000/v1/agents/ada/messages?wait=20'");
    expect(text).toContain("-H 'authorization: Bearer ck_dev_generated_key_123'");
    expect(text).toContain('https://<your-tunnel-host>/discord/juniper/interactions');
    expect(text).toContain('Requeued        2 unfinished job(s) from the last run');
    expect(text).not.toContain('Access tokens');
    // The key rides in the fragment, which a browser never sends: not in the query.
    expect(text).toContain('Console         http://127.0.0.1:3000/console#key=ck_dev_generated_key_123');
  });

  it('names the issuers whose access tokens the stack accepts', async () => {
    const stack = { url: 'http://127.0.0.1:3000', generated: {}, characters: ['ada'] } as LocalStack;
    const oidc = {
      kc: {
        issuer: 'http://127.0.0.1:8080/realms/app',
        tenant: 'acme',
        audiences: ['carrier'],
        defaultScopes: ['messages'],
      },
    };
    const text = startBanner(stack, await testSettings({ CARRIER_OIDC: JSON.stringify(oidc) }), 'offline');
    expect(text).toContain('Access tokens   kc (http://127.0.0.1:8080/realms/app, tenant acme)');
  });

  it('names the variable instead of printing a key the user set', async () => {
    const stack = {
      url: 'http://127.0.0.1:3000',
      devApiKey: 'ck_dev_users_own_secret_key',
      webhookSecret: 'whsec_users_own_secret',
      generated: { devApiKey: false, webhookSecret: false },
      requeued: 0,
      characters: ['ada'],
    } as LocalStack;
    const text = startBanner(stack, await testSettings(), 'offline');

    expect(text).not.toContain('ck_dev_users_own_secret_key');
    expect(text).not.toContain('whsec_users_own_secret');
    expect(text).toContain('API key         CARRIER_DEV_API_KEY');
    expect(text).toContain('-H "authorization: Bearer $CARRIER_DEV_API_KEY"');
    expect(text).toContain(
      'Console         http://127.0.0.1:3000/console   (enter CARRIER_DEV_API_KEY in the page)',
    );
  });
});
