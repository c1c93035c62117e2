import { oidcSchema } from '../api/oidc-config.ts';
import type { Settings } from '../config/settings.ts';
import type { LocalStack } from './stack.ts';

/**
 * What `npm start` prints once it listens: where things are, the key to use, a curl to try,
 * and the interactions URL to give Discord through a tunnel.
 */
export function startBanner(stack: LocalStack, settings: Settings, model: string): string {
  const first = stack.characters[0] ?? '<character>';
  // A key the user set is theirs to keep out of terminals and logs: name its variable only.
  const key = stack.generated.devApiKey
    ? `${stack.devApiKey}  (generated for this run; set CARRIER_DEV_API_KEY to keep one)`
    : 'CARRIER_DEV_API_KEY';
  const bearer = stack.generated.devApiKey
    ? `'authorization: Bearer ${stack.devApiKey}'`
    : '"authorization: Bearer $CARRIER_DEV_API_KEY"';
  const secret = stack.generated.webhookSecret
    ? `${stack.webhookSecret}  (generated; set CARRIER_WEBHOOK_SECRET to keep one)`
    : 'CARRIER_WEBHOOK_SECRET';
  return [
    `Carrier local stack on ${stack.url}`,
    `  API             ${stack.url}/v1   (OpenAPI: ${stack.url}/v1/openapi.json)`,
    `  API key         ${key}`,
    // The key rides in the fragment, which browsers never send to a server or in a Referer.
    `  Console         ${stack.url}/console${stack.generated.devApiKey ? `#key=${encodeURIComponent(stack.devApiKey)}` : '   (enter CARRIER_DEV_API_KEY in the page)'}`,
    `  Webhook secret  ${secret}`,
    ...issuersLine(settings),
    `  Characters      ${stack.characters.join(', ') || 'none (add characters/<id>.json)'}`,
    `  Model           ${model}`,
    `  Data            ${settings.dataDir}`,
    ...(stack.requeued ? [`  Requeued        ${stack.requeued} unfinished job(s) from the last run`] : []),
    '',
    'Try it:',
    `  curl -s -X POST '${stack.url}/v1/agents/${first}/messages?wait=20' \\`,
    `    -H ${bearer} -H 'content-type: application/json' \\`,
    `    -d '{"text":"hello"}'`,
    '',
    'Discord: expose this port through a tunnel (e.g. `cloudflared tunnel --url ' + stack.url + '`) and set',
    "each application's Interactions Endpoint URL to",
    ...stack.characters.map((id) => `  https://<your-tunnel-host>/discord/${id}/interactions`),
    '',
    'Ctrl-C stops the stack; queued jobs are picked up again at the next start.',
  ].join('\n');
}

/** The issuers whose access tokens the stack accepts (CARRIER_OIDC, checked when the stack started). */
function issuersLine(settings: Settings): string[] {
  const parsed = oidcSchema.safeParse(JSON.parse(settings.env.CARRIER_OIDC?.trim() || '{}'));
  const issuers = parsed.success ? Object.entries(parsed.data) : [];
  if (!issuers.length) return [];
  const named = issuers.map(([name, entry]) => `${name} (${entry.issuer}, tenant ${entry.tenant})`);
  return [`  Access tokens   ${named.join(', ')}`];
}
