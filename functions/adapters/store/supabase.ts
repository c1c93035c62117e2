import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { SqlStore } from '../../ports/sql.ts';
import { SqlVector, SqlVectorList } from '../../ports/sql-vector.ts';
import { StoreError } from '../../ports/sql-errors.ts';
import { SqlFunctionError } from './sql-function-error.ts';

export interface SupabaseStoreOptions {
  /** The fetch supabase-js uses: tests route it to PGlite; production leaves it out. */
  fetch?: typeof fetch;
}

// Carrier never subscribes to Realtime, but supabase-js builds its client eagerly and, on
// Node 20 (no global WebSocket), refuses to start without a transport. This one is never
// constructed unless something subscribes.
class NoRealtime {
  constructor() {
    throw new StoreError('Supabase Realtime is not used by Carrier', 'store_realtime');
  }
}

/**
 * Supabase as the store: every operation is a SQL function called through PostgREST RPC
 * (`POST /rest/v1/rpc/<fn>`) with the service-role key. No SQL runs outside those functions, so
 * migrations are applied over DATABASE_URL instead (`npx carrier memory init`).
 *
 * @example
 * const store = SupabaseStore.open(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
 * await store.rpc('memory_stats', {});
 */
export class SupabaseStore implements SqlStore {
  private jsonParams?: Promise<Map<string, Set<string>>>;

  private constructor(
    private readonly client: SupabaseClient,
    private readonly url: string,
  ) {}

  static open(url: string, serviceRoleKey: string, options: SupabaseStoreOptions = {}): SupabaseStore {
    if (!/^https?:\/\//.test(url)) {
      throw new StoreError(
        `SUPABASE_URL is not a URL: ${url} (expected https://<project>.supabase.co)`,
        'store_config',
      );
    }
    const client = createClient(url, serviceRoleKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      realtime: { transport: NoRealtime as never },
      global: options.fetch ? { fetch: options.fetch } : {},
    });
    return new SupabaseStore(client, url);
  }

  async rpc<Row>(fn: string, args: Record<string, unknown> = {}): Promise<Row[]> {
    const body = await this.toJsonArgs(fn, args);
    const { data, error, status } = await this.client.rpc(fn, body);
    if (error) throw this.describe(fn, status, error);
    if (data === null || data === undefined) return [];
    return (Array.isArray(data) ? data : [data]) as Row[];
  }

  async close(): Promise<void> {}

  /**
   * Callers pass jsonb arguments either as values or as JSON text (PGlite and Postgres accept
   * both). PostgREST would store JSON text as a JSON string, so text given for a json/jsonb
   * parameter is parsed first; the store tells which parameters those are, once per process.
   */
  private async toJsonArgs(fn: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
    const body: Record<string, unknown> = {};
    let json: Set<string> | undefined;
    for (const [name, value] of Object.entries(args)) {
      if (value === undefined) continue;
      if (value instanceof SqlVector || value instanceof SqlVectorList) {
        // PostgREST hands a string argument to the parameter type's input: pgvector's text.
        body[name] = value.toText();
      } else if (typeof value === 'string' && /^\s*[[{"]/.test(value)) {
        json ??= (await this.jsonParameters()).get(fn) ?? new Set();
        body[name] = json.has(name) ? JSON.parse(value) : value;
      } else {
        body[name] = value;
      }
    }
    return body;
  }

  private jsonParameters(): Promise<Map<string, Set<string>>> {
    this.jsonParams ??= (async () => {
      const { data, error, status } = await this.client.rpc('store_json_params', {});
      if (error) {
        this.jsonParams = undefined;
        throw this.describe('store_json_params', status, error);
      }
      const map = new Map<string, Set<string>>();
      for (const row of (data ?? []) as Array<{ fn: string; param: string }>) {
        map.set(row.fn, (map.get(row.fn) ?? new Set()).add(row.param));
      }
      return map;
    })();
    return this.jsonParams;
  }

  private describe(
    fn: string,
    status: number,
    error: { message: string; code?: string; details?: string | null; hint?: string | null },
  ): Error {
    const at = `Supabase at ${this.url}`;
    if (
      status === 401 ||
      status === 403 ||
      error.code === 'PGRST301' ||
      /invalid api key|jwt/i.test(error.message)
    ) {
      return new StoreError(
        `${at} rejected SUPABASE_SERVICE_ROLE_KEY (${error.message}): copy the service_role key from Project Settings → API`,
        'store_auth',
      );
    }
    if (error.code === 'PGRST202') {
      return new StoreError(
        `${at} has no SQL function ${fn} with these arguments: apply the migrations with \`npx carrier memory init\` (DATABASE_URL set to the project's connection string)`,
        'store_not_migrated',
      );
    }
    if (!status) {
      return new StoreError(
        `cannot reach ${at}: ${error.message}; check SUPABASE_URL and the network`,
        'store_unreachable',
      );
    }
    return new SqlFunctionError(
      fn,
      error.message,
      error.code,
      error.details ?? undefined,
      error.hint ?? undefined,
    );
  }
}
