/**
 * An IP address as a number, whatever spelling it came in: the classification works on the
 * value, so `0x7f.1`, `017700000001`, `2130706433` and `127.0.0.1` are one address.
 */
export type IpAddress = { family: 4; value: number } | { family: 6; value: bigint };

/**
 * Parses an IPv4 address the way inet_aton and the WHATWG URL parser do: one to four parts,
 * each decimal, `0x` hex or `0` octal, the last part filling the remaining bytes (`127.1` is
 * 127.0.0.1, `10.65535` is 10.0.255.255), an optional trailing dot.
 *
 * @example parseIpv4('0x7f.1') // 2130706433 (127.0.0.1)
 */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length > 1 && parts.at(-1) === '') parts.pop();
  if (parts.length < 1 || parts.length > 4) return undefined;
  const numbers = parts.map(parseIpv4Part);
  if (numbers.some((n) => n === undefined)) return undefined;
  const values = numbers as number[];
  const last = values.pop()!;
  if (values.some((n) => n > 255) || last >= 256 ** (4 - values.length)) return undefined;
  return values.reduce((sum, n, i) => sum + n * 256 ** (3 - i), 0) + last;
}

function parseIpv4Part(part: string): number | undefined {
  let digits = part;
  let radix = 10;
  if (/^0x/i.test(part)) [digits, radix] = [part.slice(2), 16];
  else if (part.length > 1 && part.startsWith('0')) [digits, radix] = [part.slice(1), 8];
  // `0x` alone is 0 to the URL parser; an empty part otherwise is no number.
  if (digits === '') return radix === 16 ? 0 : undefined;
  const valid = radix === 16 ? /^[0-9a-f]+$/i : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return undefined;
  const value = parseInt(digits, radix);
  // Past 2^32 no part can be valid; stop before precision runs out.
  return value <= 0xffff_ffff ? value : undefined;
}

/**
 * Parses an IPv6 address: `::` shortening, an embedded dotted IPv4 tail (`::ffff:127.0.0.1`),
 * any case, optional brackets and a zone (`fe80::1%eth0`, which names an interface, not an
 * address).
 *
 * @example parseIpv6('[::ffff:7f00:1]') // 0xffff7f000001n
 */
export function parseIpv6(text: string): bigint | undefined {
  let body = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  body = body.replace(/%.*$/s, '');
  if (!/^[0-9a-f:.]+$/i.test(body) || !body.includes(':')) return undefined;
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const words: number[] = [];
  for (const [i, group] of [...head, ...tail].entries()) {
    const lastGroup = i === head.length + tail.length - 1;
    if (lastGroup && group.includes('.')) {
      const v4 = parseDottedQuad(group);
      if (v4 === undefined) return undefined;
      words.push(v4 >>> 16, v4 & 0xffff);
    } else if (/^[0-9a-f]{1,4}$/i.test(group)) {
      words.push(parseInt(group, 16));
    } else {
      return undefined;
    }
  }
  const headWords = words.length - tailWordCount(tail);
  if (halves.length === 1 ? words.length !== 8 : words.length > 7) return undefined;
  const full = [...words.slice(0, headWords), ...Array(8 - words.length).fill(0), ...words.slice(headWords)];
  return full.reduce((sum: bigint, word: number) => (sum << 16n) | BigInt(word), 0n);
}

/** How many 16-bit words the groups after `::` make (a dotted IPv4 tail is two). */
function tailWordCount(tail: string[]): number {
  return tail.reduce((n, group) => n + (group.includes('.') ? 2 : 1), 0);
}

/** An IPv4 tail inside IPv6 is four decimal parts only. */
function parseDottedQuad(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((sum, p) => sum * 256 + Number(p), 0);
}

/**
 * Either family, from any spelling; undefined for a host name.
 *
 * @example parseIp('017700000001') // { family: 4, value: 2130706433 }
 */
export function parseIp(text: string): IpAddress | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = parseIpv6(text);
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

/** Dotted decimal, for messages. */
export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}
