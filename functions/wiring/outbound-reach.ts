import type { OutboundReach } from '../outbound/address-policy.ts';

/**
 * Where a function's outbound requests may go: deployed, public addresses only (loopback for the
 * bundles' own tests, which set CARRIER_OUTBOUND_LOOPBACK=allow; never a template or a secret);
 * locally, any address, so peers on this machine or the LAN work.
 *
 * @example
 * pinnedFetch({ reach: outboundReach(settings.runtime === 'lambda', settings.env) });
 */
export function outboundReach(
  deployed: boolean,
  env: Readonly<Record<string, string | undefined>>,
): OutboundReach {
  if (!deployed) return 'any';
  return env.CARRIER_OUTBOUND_LOOPBACK === 'allow' ? 'loopback' : 'public';
}
