import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Addresses a media URL must not reach: this machine, private networks, link-local (the cloud
 * metadata service at 169.254.169.254), shared and reserved ranges, multicast.
 */
const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');
}

/**
 * Whether an IP address is reachable only from inside a network (or this machine).
 *
 * @example isPrivateAddress('169.254.169.254') // true; isPrivateAddress('::ffff:10.0.0.1') // true
 */
export function isPrivateAddress(address: string): boolean {
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1) reaches the IPv4 host.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return NOT_PUBLIC.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A connection refused because its target is not public; `address` is the IP it resolved to. */
export class PrivateAddressError extends Error {
  override name = 'PrivateAddressError';
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(
      `${host === address ? `${address} is` : `${host} resolves to ${address},`} a private, loopback or link-local address`,
    );
  }
}

/**
 * A DNS lookup for `http.request({ lookup })` that fails when any address the name resolves to
 * is private. The check runs on the addresses the socket then connects to, so a name that
 * resolves differently on a second lookup (DNS rebinding) cannot slip past it.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, options, (error, address: string | LookupAddress[], family?: number) => {
    if (error) return callback(error, '', 0);
    const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
    const refused = addresses.find(isPrivateAddress);
    if (refused !== undefined) return callback(new PrivateAddressError(hostname, refused), '', 0);
    // Node calls with `all: true` (an array back) when it may race IPv4 and IPv6.
    (callback as (e: null, a: string | LookupAddress[], f?: number) => void)(null, address, family);
  });
};
