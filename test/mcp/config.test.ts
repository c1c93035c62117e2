import { describe, expect, it } from 'vitest';
import { mcpConfigSchema, resolveHeaders } from '#core/mcp/config.ts';

const lookup = {
  env: (name: string) => ({ REGION: 'eu' })[name],
  secret: (name: string) => ({ TOKEN: 's3cret' })[name],
};

describe('MCP server config', () => {
  it('fills ${env:NAME} and ${secret:NAME} in header values', () => {
    const headers = resolveHeaders(
      'search',
      { Authorization: 'Bearer ${secret:TOKEN}', 'X-Region': '${env:REGION}' },
      lookup,
    );
    expect(headers).toEqual({ Authorization: 'Bearer s3cret', 'X-Region': 'eu' });
  });

  it('names the server, header and secret when a value is missing, never a value', () => {
    expect(() => resolveHeaders('search', { Authorization: 'Bearer ${secret:MISSING}' }, lookup)).toThrow(
      'MCP server "search": header Authorization needs secret MISSING; set it in the secrets store (.env locally)',
    );
  });

  it('applies defaults and rejects unknown fields', () => {
    const parsed = mcpConfigSchema.parse({
      mcpServers: { a: { type: 'sse', url: 'http://127.0.0.1:1/sse' } },
    });
    expect(parsed.mcpServers.a).toMatchObject({ cache_tools_list: true, timeout_ms: 10_000 });
    const typo = mcpConfigSchema.safeParse({
      mcpServers: { a: { type: 'sse', url: 'http://x/sse', timeout: 5 } },
    });
    expect(typo.success).toBe(false);
  });
});
