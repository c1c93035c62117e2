import { lookup } from 'node:dns/promises';
import { CarrierError } from '../errors.ts';
import {
  assertAddressesAllowed,
  OutboundRefusedError,
  outboundTarget,
  type OutboundReach,
} from '../outbound/address-policy.ts';

/** A webhook URL Carrier will not call: wrong scheme, or a host inside a private network. */
export class WebhookTargetError extends CarrierError {
  override name = 'WebhookTargetError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'webhook_target_refused', options);
  }
}

export interface WebhookTargetOptions {
  /** The local stack: http and loopback receivers (127.0.0.0/8, ::1) are fine there. */
  allowLocal?: boolean;
  /** Every address a host name resolves to. Default: node:dns lookup with `all`. */
  resolve?: (hostname: string) => Promise<string[]>;
}

/** Deployed, a webhook reaches the public internet only; the local stack's may be on loopback. */
export const webhookReach = (options: WebhookTargetOptions): OutboundReach =>
  options.allowLocal ? 'loopback' : 'public';

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

/** The message for a refused webhook host, with the fix. */
export function webhookRefusal(error: OutboundRefusedError): WebhookTargetError {
  return new WebhookTargetError(`webhookUrl host ${error.message}; use a public https URL`, { cause: error });
}

/**
 * Refuses a webhook whose host is, or resolves to, an address outside the outbound policy
 * (loopback, private, link-local, shared, reserved, in any spelling: see functions/outbound),
 * so an API caller cannot make the runner call the cloud metadata service or internal hosts.
 * Run it when the URL is accepted, for a 400 the caller can act on; the send itself goes through
 * the pinned fetch, which checks the address it connects to. Locally, loopback stays allowed.
 *
 * @example
 * await assertPublicWebhook('https://hooks.example.com/carrier', {});
 */
export async function assertPublicWebhook(url: string, options: WebhookTargetOptions): Promise<void> {
  const problem = webhookUrlProblem(url, options);
  if (problem) throw new WebhookTargetError(problem);
  const reach = webhookReach(options);
  try {
    const { host, literal } = outboundTarget(url, reach);
    if (literal) return;
    let addresses: string[];
    try {
      addresses = await (options.resolve ?? resolveAll)(host);
    } catch (error) {
      throw new WebhookTargetError(
        `webhookUrl host ${host} does not resolve (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    assertAddressesAllowed(host, addresses, reach);
  } catch (error) {
    throw error instanceof OutboundRefusedError ? webhookRefusal(error) : error;
  }
}
