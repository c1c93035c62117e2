import { CarrierError } from '../errors.ts';
import { classifyIp, type AddressClass } from './address-ranges.ts';
import { parseIp } from './ip-address.ts';

/**
 * Where outbound requests may go. `public`: the public internet only (every deployed use);
 * `loopback`: that and 127.0.0.0/8 and ::1 (the local stack's webhook receivers); `any`: no
 * address limit (the local stack's media and tool servers, on this machine or the LAN).
 */
export type OutboundReach = 'public' | 'loopback' | 'any';

/** A request Carrier will not make: wrong scheme, or a host that is or resolves to a non-public address. */
export class OutboundRefusedError extends CarrierError {
  override name = 'OutboundRefusedError';
  constructor(
    message: string,
    readonly host: string,
    readonly address?: string,
  ) {
    super(message, 'outbound_refused');
  }
}

const LABELS: Record<AddressClass, string> = {
  loopback: 'a loopback',
  unspecified: 'an unspecified ("this host")',
  private: 'a private',
  shared: 'a shared (carrier-grade NAT)',
  'link-local': 'a link-local',
  'site-local': 'a site-local',
  'unique-local': 'a unique local (private)',
  multicast: 'a multicast',
  documentation: 'a documentation',
  benchmarking: 'a benchmarking',
  reserved: 'a reserved',
};

/**
 * Why `reach` does not allow connecting to `address` (any spelling), or undefined when it does.
 * Text that is not an IP address is refused: a resolver must answer with addresses.
 *
 * @example addressRefusal('0x7f.1', 'public') // 'a loopback address (127.0.0.0/8)'
 * @example addressRefusal('127.0.0.1', 'loopback') // undefined
 */
export function addressRefusal(address: string, reach: OutboundReach): string | undefined {
  const ip = parseIp(address);
  if (!ip) return 'not an IP address';
  const range = classifyIp(ip);
  if (!range || reach === 'any' || (reach === 'loopback' && range.class === 'loopback')) return undefined;
  return `${LABELS[range.class]} address (${range.range})`;
}

/** `localhost` and `*.localhost` are loopback by definition (RFC 6761), whatever DNS says. */
export function isLocalhostName(host: string): boolean {
  return /(^|\.)localhost\.?$/i.test(host);
}

export interface OutboundTarget {
  url: URL;
  /** The host without IPv6 brackets, as the URL parser normalised it. */
  host: string;
  /** The host is an IP address: connect to it as is, no resolution. */
  literal: boolean;
}

/**
 * Checks what can be checked without DNS: an http(s) URL whose host, if it is an address in any
 * spelling or a localhost name, is one `reach` allows. A host name still needs its resolved
 * addresses checked ({@link assertAddressesAllowed}) on the connection that uses them.
 *
 * @example outboundTarget('https://0x7f.1/hook', 'public') // throws: 127.0.0.1 is a loopback address (127.0.0.0/8)
 */
export function outboundTarget(url: string | URL, reach: OutboundReach): OutboundTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OutboundRefusedError(`${String(url)} is not a URL`, String(url));
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new OutboundRefusedError(`${parsed.protocol} URLs are not fetched; use http(s)`, parsed.hostname);
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = parseIp(host) !== undefined;
  const why = literal
    ? addressRefusal(host, reach)
    : isLocalhostName(host) && reach === 'public'
      ? 'a loopback name'
      : undefined;
  if (why) throw new OutboundRefusedError(`${host} is ${why}`, host, literal ? host : undefined);
  return { url: parsed, host, literal };
}

/** Why an address is refused, or undefined; a reach is the usual rule. */
export type AddressRule = (address: string) => string | undefined;

/**
 * Refuses a host whose addresses include any that the rule does not allow (a name that answers
 * with one public and one private address is treated as private), or none.
 *
 * @example assertAddressesAllowed('rebind.example', ['127.0.0.1'], 'public') // throws: rebind.example resolves to 127.0.0.1, a loopback address (127.0.0.0/8)
 */
export function assertAddressesAllowed(
  host: string,
  addresses: readonly string[],
  rule: OutboundReach | AddressRule,
): void {
  if (addresses.length === 0) throw new OutboundRefusedError(`${host} resolves to no address`, host);
  for (const address of addresses) {
    const why = typeof rule === 'function' ? rule(address) : addressRefusal(address, rule);
    if (!why) continue;
    const subject = address === host ? host : `${host} resolves to ${address},`;
    throw new OutboundRefusedError(`${subject} ${address === host ? 'is ' : ''}${why}`, host, address);
  }
}
