import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { CarrierError } from '../errors.ts';
import { isPrivateAddress } from '../media/public-address.ts';

/** A webhook URL Carrier will not call: wrong scheme, or a host inside a private network. */
export class WebhookTargetError extends CarrierError {
  override name = 'WebhookTargetError';
  constructor(message: string) {
    super(message, 'webhook_target_refused');
  }
}

export interface WebhookTargetOptions {
  /** The local stack: http and loopback receivers (127.0.0.0/8, ::1) are fine there. */
  allowLocal?: boolean;
  /** Every address a host name resolves to. Default: node:dns lookup with `all`. */
  resolve?: (hostname: string) => Promise<string[]>;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

const resolveAll = async (hostname: string) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Checks the scheme of a webhook URL, case-insensitively through the URL parser (`HTTP://` is
 * http): https only, unless `allowLocal`.
 *
 * @example
 * webhookUrlProblem('HTTP://169.254.169.254/', {}); // 'webhookUrl must use https'
 */
export function webhookUrlProblem(url: string, options: WebhookTargetOptions): string | undefined {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return 'webhookUrl is not a URL';
  }
  if (protocol === 'https:' || (protocol === 'http:' && options.allowLocal)) return undefined;
  return 'webhookUrl must use https';
}

/**
 * Refuses a webhook whose host is, or resolves to, a loopback, private (10/8, 172.16/12,
 * 192.168/16, fc00::/7) or link-local (169.254/16, fe80::/10) address, so an API caller cannot
 * make the runner call the cloud metadata service or internal hosts. Run it when the URL is
 * accepted and again before each send (DNS may answer differently later). Locally, loopback
 * stays allowed so a receiver on 127.0.0.1 works.
 *
 * @example
 * await assertPublicWebhook('https://hooks.example.com/carrier', {});
 */
export async function assertPublicWebhook(url: string, options: WebhookTargetOptions): Promise<void> {
  const problem = webhookUrlProblem(url, options);
  if (problem) throw new WebhookTargetError(problem);
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await (options.resolve ?? resolveAll)(host);
  } catch (error) {
    throw new WebhookTargetError(
      `webhookUrl host ${host} does not resolve (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  for (const address of addresses) {
    if (!isPrivateAddress(address)) continue;
    if (options.allowLocal && isLoopback(address)) continue;
    throw new WebhookTargetError(
      `webhookUrl host ${host}${host === address ? '' : ` resolves to ${address}, which`} is a private, loopback or link-local address; use a public https URL`,
    );
  }
}

function isLoopback(address: string): boolean {
  const family = isIP(address);
  return family !== 0 && LOOPBACK.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
