import { formatIpv4, type IpAddress } from './ip-address.ts';

/** What a non-public address is; `loopback` is the one the local stack may reach. */
export type AddressClass =
  | 'loopback'
  | 'unspecified'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'site-local'
  | 'unique-local'
  | 'multicast'
  | 'documentation'
  | 'benchmarking'
  | 'reserved';

export interface NonPublic {
  class: AddressClass;
  /** The range it falls in, as CIDR: `100.64.0.0/10`. */
  range: string;
  /** For an IPv6 form that carries an IPv4 address (mapped, NAT64, 6to4), that address. */
  embedded?: string;
}

type V4Range = [base: number, bits: number, cls: AddressClass, cidr: string];

const v4 = (cidr: string, cls: AddressClass): V4Range => {
  const [base, bits] = cidr.split('/') as [string, string];
  const value = base.split('.').reduce((sum, p) => sum * 256 + Number(p), 0);
  return [value, Number(bits), cls, cidr];
};

/** IPv4 ranges that are not the public internet (IANA special-purpose registry). */
const V4_RANGES: V4Range[] = [
  // 0.0.0.0 reaches this machine on Linux: "this network" is as good as loopback to an attacker.
  v4('0.0.0.0/8', 'unspecified'),
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'shared'),
  v4('127.0.0.0/8', 'loopback'),
  // Cloud metadata (169.254.169.254) lives here.
  v4('169.254.0.0/16', 'link-local'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'reserved'),
  v4('192.0.2.0/24', 'documentation'),
  v4('192.88.99.0/24', 'reserved'),
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'benchmarking'),
  v4('198.51.100.0/24', 'documentation'),
  v4('203.0.113.0/24', 'documentation'),
  v4('224.0.0.0/4', 'multicast'),
  // 240/4 is reserved and 255.255.255.255 is broadcast.
  v4('240.0.0.0/4', 'reserved'),
];

function classifyV4(value: number): NonPublic | undefined {
  for (const [base, bits, cls, range] of V4_RANGES) {
    const mask = bits === 0 ? 0 : (0xffff_ffff << (32 - bits)) >>> 0;
    if ((value & mask) >>> 0 === base) return { class: cls, range };
  }
  return undefined;
}

const inV6 = (value: bigint, base: bigint, bits: number) =>
  value >> BigInt(128 - bits) === base >> BigInt(128 - bits);
const low32 = (value: bigint) => Number(value & 0xffff_ffffn);

/**
 * IPv6 forms that carry an IPv4 address: the connection reaches that IPv4 host (or a gateway
 * that forwards to it), so the IPv4 address decides.
 */
const V6_CARRIERS: Array<
  [base: bigint, bits: number, range: string, v4: (value: bigint) => number, routed: boolean]
> = [
  [0xffff_0000_0000n, 96, '::ffff:0:0/96', low32, true],
  // SIIT's IPv4-translated form.
  [0xffff_0000_0000_0000n, 96, '::ffff:0:0:0/96', low32, true],
  [0x0064_ff9bn << 96n, 96, '64:ff9b::/96', low32, true],
  // 6to4: 2002:AABB:CCDD::/48 is the IPv4 host AA.BB.CC.DD.
  [0x2002n << 112n, 16, '2002::/16', (value) => Number((value >> 80n) & 0xffff_ffffn), true],
  // IPv4-compatible (::a.b.c.d, after :: and ::1, handled before): deprecated and never routed,
  // so refused even when the IPv4 address inside is public.
  [0n, 96, '::/96', low32, false],
];

const V6_RANGES: Array<[base: bigint, bits: number, cls: AddressClass, range: string]> = [
  [(0x64n << 112n) | (0xff9bn << 96n) | (1n << 80n), 48, 'private', '64:ff9b:1::/48'],
  [0x0100n << 112n, 64, 'reserved', '100::/64'],
  // Teredo (2001::/32, which tunnels to an IPv4 host), benchmarking and ORCHID.
  [0x2001n << 112n, 23, 'reserved', '2001::/23'],
  [(0x2001n << 112n) | (0xdb8n << 96n), 32, 'documentation', '2001:db8::/32'],
  [0x3fffn << 112n, 20, 'documentation', '3fff::/20'],
  [0xfc00n << 112n, 7, 'unique-local', 'fc00::/7'],
  [0xfe80n << 112n, 10, 'link-local', 'fe80::/10'],
  [0xfec0n << 112n, 10, 'site-local', 'fec0::/10'],
  [0xff00n << 112n, 8, 'multicast', 'ff00::/8'],
];

function classifyV6(value: bigint): NonPublic | undefined {
  if (value === 0n) return { class: 'unspecified', range: '::/128' };
  if (value === 1n) return { class: 'loopback', range: '::1/128' };
  for (const [base, bits, range, carried, routed] of V6_CARRIERS) {
    if (!inV6(value, base, bits)) continue;
    const embedded = formatIpv4(carried(value));
    const inner = classifyV4(carried(value));
    if (inner) return { ...inner, range: `${range} carrying ${embedded}, in ${inner.range}`, embedded };
    return routed ? undefined : { class: 'reserved', range, embedded };
  }
  for (const [base, bits, cls, range] of V6_RANGES) {
    if (inV6(value, base, bits)) return { class: cls, range };
  }
  // Only 2000::/3 is allocated as global unicast; everything else is reserved or special.
  if (!inV6(value, 0x2000n << 112n, 3)) return { class: 'reserved', range: 'outside 2000::/3' };
  return undefined;
}

/**
 * Why an address is not on the public internet, or undefined when it is.
 *
 * @example classifyIp({ family: 4, value: 0xa9fea9fe }) // { class: 'link-local', range: '169.254.0.0/16' }
 */
export function classifyIp(address: IpAddress): NonPublic | undefined {
  return address.family === 4 ? classifyV4(address.value) : classifyV6(address.value);
}
