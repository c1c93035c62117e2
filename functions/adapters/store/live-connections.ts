import type { Principal, Scope } from '../../ports/api-keys.ts';
import {
  MAX_CONNECTIONS_PER_TENANT,
  MAX_SUBSCRIPTIONS_PER_CONNECTION,
  type LiveConnectionRepository,
} from '../../ports/live-connections.ts';
import type { SqlStore } from '../../ports/sql.ts';

/**
 * WebSocket connections and their subscriptions through the SQL functions of migrations 0059 and 0060.
 *
 * @example
 * const connections = new SqlLiveConnections(store);
 * await connections.open('abc=', principal);
 */
export class SqlLiveConnections implements LiveConnectionRepository {
  constructor(private readonly store: SqlStore) {}

  async open(connectionId: string, principal: Principal, maxPerTenant = MAX_CONNECTIONS_PER_TENANT) {
    const [row] = await this.store.rpc<{ accepted: boolean }>('live_connection_open', {
      p_connection_id: connectionId,
      p_tenant: principal.tenant,
      p_key_id: principal.keyId,
      p_scopes: [...principal.scopes],
      p_limits: principal.limits ?? {},
      p_max_per_tenant: maxPerTenant,
      // A signed-in user's connection acts as that user alone (migration 0060).
      p_subject: principal.subject ?? null,
    });
    return row?.accepted === true;
  }

  async principal(connectionId: string): Promise<Principal | undefined> {
    const [row] = await this.store.rpc<{
      tenant: string;
      key_id: string;
      scopes: Scope[];
      limits: Principal['limits'] | null;
      subject: Principal['subject'] | null;
    }>('live_connection_get', { p_connection_id: connectionId });
    if (!row) return undefined;
    const limits = row.limits && Object.keys(row.limits).length > 0 ? { limits: row.limits } : {};
    const subject = row.subject ? { subject: row.subject } : {};
    return { keyId: row.key_id, tenant: row.tenant, scopes: row.scopes, ...limits, ...subject };
  }

  async close(connectionId: string): Promise<boolean> {
    const [row] = await this.store.rpc<{ closed: boolean }>('live_connection_close', {
      p_connection_id: connectionId,
    });
    return row?.closed === true;
  }

  async subscribe(connectionId: string, turnId: string, max = MAX_SUBSCRIPTIONS_PER_CONNECTION) {
    const [row] = await this.store.rpc<{ subscribed: boolean }>('live_subscribe', {
      p_connection_id: connectionId,
      p_turn_id: turnId,
      p_max: max,
    });
    return row?.subscribed === true;
  }

  async subscribers(turnId: string): Promise<string[]> {
    const rows = await this.store.rpc<{ connection_id: string }>('live_subscribers', { p_turn_id: turnId });
    return rows.map((r) => r.connection_id);
  }

  async unsubscribeTurn(turnId: string): Promise<number> {
    const [row] = await this.store.rpc<{ removed: number }>('live_unsubscribe_turn', { p_turn_id: turnId });
    return Number(row?.removed ?? 0);
  }
}
