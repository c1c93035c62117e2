import { lookup } from 'node:dns/promises';
import {
  assertAddressesAllowed,
  OutboundRefusedError,
  outboundTarget,
  type AddressRule,
  type OutboundReach,
} from '../../outbound/address-policy.ts';
import type { OutboundFetch } from '../../ports/outbound.ts';
import { newAgents, sendPinned } from './node-request.ts';

/*
 * Why node:http(s) with a `lookup` hook, and not fetch with an undici dispatcher. Measured here
 * against a loopback server, 300 sequential requests, pinning through `connect.lookup`:
 *   - Node 20.20 (bundled undici 6.24): global fetch + npm undici@7 Agent works (2.2 ms/req);
 *     npm undici@8 does not load at all (it needs Node >= 22.19).
 *   - Node 24.22 (bundled undici 7.30): global fetch + undici@7 Agent works (1.8 ms/req);
 *     global fetch + undici@8 Agent fails every request ("invalid onRequestStart method").
 *   - node:http with `lookup` (keep-alive agent): works on both, 0.5 ms/req, no dependency.
 * A dispatcher only works while its major version matches the undici inside the running Node,
 * which Lambda upgrades under us; npm undici's own fetch would work but adds a dependency to
 * every bundle. node:http(s) pins the same way on every Node, and TLS still checks the
 * certificate against the URL's host name.
 */

export interface PinnedFetchOptions {
  /**
   * Which addresses may be connected to (see OutboundReach), or a rule of one's own (tests let
   * a second loopback address stand in for a public host with it).
   */
  reach: OutboundReach | AddressRule;
  /**
   * Every address a host name resolves to. Default: the system resolver (getaddrinfo, so
   * /etc/hosts counts), asked once per connection; the connection uses exactly its answer.
   */
  resolve?: (hostname: string) => Promise<string[]>;
  /** Redirects followed for `redirect: 'follow'` (the default), each checked again. Default 5. */
  maxRedirects?: number;
}

const systemResolve = async (hostname: string) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * A fetch pinned to checked addresses (the OutboundFetch port): each request resolves its host
 * once, refuses it unless every address is allowed, and connects to exactly those addresses.
 * Redirects are followed by hand for GET and HEAD, re-checking each hop; other methods get the
 * redirect refused (their bodies are not replayed to a new host) unless `redirect: 'manual'`.
 *
 * @example
 * const fetch = pinnedFetch({ reach: 'public' });
 * await fetch('https://hooks.example.com/carrier', { method: 'POST', body });
 */
export function pinnedFetch(options: PinnedFetchOptions): OutboundFetch {
  const resolve = options.resolve ?? systemResolve;
  const maxRedirects = options.maxRedirects ?? 5;
  const agents = newAgents();

  const { reach } = options;

  const addressesFor = async (target: URL): Promise<string[]> => {
    // A rule of one's own decides every address, the localhost names' too.
    const { host, literal } = outboundTarget(target, typeof reach === 'function' ? 'any' : reach);
    const addresses = literal ? [host] : await resolve(host);
    assertAddressesAllowed(host, addresses, reach);
    return addresses;
  };

  return async (input, init) => {
    const request = new Request(input, init);
    let url = new URL(request.url);
    const method = request.method;
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const headers = Object.fromEntries(request.headers);
    for (let hop = 0; ; hop++) {
      const addresses = await addressesFor(url);
      const response = await sendPinned(
        url,
        addresses,
        { method, headers, body, signal: request.signal },
        agents,
      );
      const location = response.headers.get('location');
      if (!REDIRECTS.has(response.status) || !location || request.redirect === 'manual') return response;
      await response.body?.cancel();
      const next = new URL(location, url);
      if (request.redirect === 'error' || !['GET', 'HEAD'].includes(method)) {
        throw new OutboundRefusedError(
          `${url.host} redirected ${method} ${url.pathname} to ${next.origin}${next.pathname}; the redirect is not followed: use the final URL`,
          url.hostname,
        );
      }
      if (hop >= maxRedirects) {
        throw new OutboundRefusedError(
          `${url.host}: more than ${maxRedirects} redirects; use the final URL`,
          url.hostname,
        );
      }
      // Credentials stay with the origin they were given for (as fetch does).
      if (next.origin !== url.origin) delete headers.authorization;
      // Only GET and HEAD get here, and they have no body to carry over.
      url = next;
    }
  };
}

/**
 * A reach with its pinned fetch, for users that also check URLs up front (the MCP pool).
 *
 * @example new McpPool(config, { allowStdio: false, outbound: pinnedOutbound('public') });
 */
export function pinnedOutbound(reach: OutboundReach): { reach: OutboundReach; fetch: OutboundFetch } {
  return { reach, fetch: pinnedFetch({ reach }) };
}
