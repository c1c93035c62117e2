/**
 * A fetch for URLs that users or config choose (webhooks, post media, MCP servers, the Graph
 * base URL): it connects only to addresses the outbound policy allows, to exactly the address
 * it checked (no second DNS answer between the check and the connect), and checks every
 * redirect hop again. Domain code takes one as a dependency; the wiring builds it with
 * `pinnedFetch` from adapters/http.
 *
 * A refused request rejects with an OutboundRefusedError (functions/outbound), which is final:
 * retrying it cannot help.
 */
export type OutboundFetch = typeof globalThis.fetch;
