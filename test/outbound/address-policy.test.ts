import { describe, expect, it } from 'vitest';
import {
  addressRefusal,
  assertAddressesAllowed,
  OutboundRefusedError,
  outboundTarget,
} from '#core/outbound/address-policy.ts';
import { parseIp } from '#core/outbound/ip-address.ts';
import { BLOCKED_SPELLINGS } from './blocked-spellings.ts';

describe('the outbound address policy', () => {
  it('has a table of at least 40 blocked spellings', () => {
    expect(BLOCKED_SPELLINGS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(BLOCKED_SPELLINGS)('refuses https://%s/ when deployed: it is %s', (host, kind) => {
    expect(() => outboundTarget(`https://${host}/hook`, 'public')).toThrow(OutboundRefusedError);
    expect(() => outboundTarget(`https://${host}/hook`, 'public')).toThrow(kind);
  });

  it.each(BLOCKED_SPELLINGS.filter(([host]) => !/localhost/i.test(host)))(
    'classifies %s by its value, without the URL parser: %s',
    (host, kind) => {
      expect(addressRefusal(host.replace(/^\[|\]$/g, ''), 'public')).toContain(kind);
    },
  );

  it.each([
    ['8.8.8.8'],
    ['157.240.1.35'],
    ['172.32.0.1'],
    ['100.128.0.1'],
    ['2a03:2880:f10d:83:face:b00c:0:25de'],
    ['::ffff:8.8.8.8'],
    ['64:ff9b::808:808'],
    ['2002:808:808::1'],
  ])('lets %s through: it is public', (address) => {
    expect(addressRefusal(address, 'public')).toBeUndefined();
  });

  it('lets the local stack reach loopback in every spelling, and nothing else private', () => {
    for (const [host, kind] of BLOCKED_SPELLINGS) {
      const url = `http://${host}/`;
      if (kind === 'loopback') expect(() => outboundTarget(url, 'loopback'), host).not.toThrow();
      else expect(() => outboundTarget(url, 'loopback'), host).toThrow(kind);
    }
  });

  it('checks resolved addresses: one private answer among public ones refuses the host', () => {
    expect(() => assertAddressesAllowed('mixed.example', ['8.8.8.8', '10.0.0.7'], 'public')).toThrow(
      'mixed.example resolves to 10.0.0.7, a private address (10.0.0.0/8)',
    );
    expect(() => assertAddressesAllowed('empty.example', [], 'public')).toThrow(
      'empty.example resolves to no address',
    );
    expect(() => assertAddressesAllowed('ok.example', ['8.8.8.8', '2a03:2880::1'], 'public')).not.toThrow();
  });

  it('names the IPv4 address an IPv6 form carries', () => {
    expect(() => outboundTarget('https://[64:ff9b::a9fe:a9fe]/', 'public')).toThrow(
      '64:ff9b::a9fe:a9fe is a link-local address (64:ff9b::/96 carrying 169.254.169.254, in 169.254.0.0/16)',
    );
  });

  it('refuses what is not an http(s) URL, and text a resolver should not answer with', () => {
    expect(() => outboundTarget('file:///etc/passwd', 'any')).toThrow(
      'file: URLs are not fetched; use http(s)',
    );
    expect(() => outboundTarget('not a url', 'any')).toThrow('not a url is not a URL');
    expect(addressRefusal('example.com', 'any')).toBe('not an IP address');
  });

  it('parses the spellings to the same value', () => {
    const loopback = { family: 4, value: 0x7f000001 };
    for (const spelling of ['127.0.0.1', '127.1', '0x7f.1', '017700000001', '2130706433', '0177.0.0.01']) {
      expect(parseIp(spelling), spelling).toEqual(loopback);
    }
    expect(parseIp('::ffff:127.0.0.1')).toEqual(parseIp('::ffff:7f00:1'));
    expect(parseIp('fe80::1%eth0')).toEqual(parseIp('fe80::1'));
    for (const invalid of [
      '256.0.0.1',
      '1.2.3.4.5',
      '0x1g',
      '08.0.0.1',
      '1:2:3:4:5:6:7:8:9',
      '1::2::3',
      'example',
    ]) {
      expect(parseIp(invalid), invalid).toBeUndefined();
    }
  });
});
