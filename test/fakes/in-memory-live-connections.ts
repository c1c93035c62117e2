import type { Principal } from '#core/ports/api-keys.ts';
import {
  MAX_CONNECTIONS_PER_TENANT,
  MAX_SUBSCRIPTIONS_PER_CONNECTION,
  type LiveConnectionRepository,
} from '#core/ports/live-connections.ts';

/**
 * WebSocket connections in Maps, with the semantics of migration 0059 (held to them by
 * test/store/live-connections-contract.test.ts).
 */
export class InMemoryLiveConnections implements LiveConnectionRepository {
  readonly connections = new Map<string, Principal>();
  /** turn id → connection ids, in subscription order. */
  private readonly subscriptions = new Map<string, string[]>();

  async open(connectionId: string, principal: Principal, maxPerTenant = MAX_CONNECTIONS_PER_TENANT) {
    const open = [...this.connections.values()].filter((p) => p.tenant === principal.tenant).length;
    if (open >= maxPerTenant) return false;
    if (!this.connections.has(connectionId)) this.connections.set(connectionId, principal);
    return true;
  }

  async principal(connectionId: string): Promise<Principal | undefined> {
    return this.connections.get(connectionId);
  }

  async close(connectionId: string): Promise<boolean> {
    for (const [turn, ids] of this.subscriptions) {
      this.subscriptions.set(
        turn,
        ids.filter((id) => id !== connectionId),
      );
    }
    return this.connections.delete(connectionId);
  }

  async subscribe(connectionId: string, turnId: string, max = MAX_SUBSCRIPTIONS_PER_CONNECTION) {
    if (!this.connections.has(connectionId)) return false;
    const ids = this.subscriptions.get(turnId) ?? [];
    if (ids.includes(connectionId)) return true;
    const held = [...this.subscriptions.values()].filter((list) => list.includes(connectionId)).length;
    if (held >= max) return false;
    this.subscriptions.set(turnId, [...ids, connectionId]);
    return true;
  }

  async subscribers(turnId: string): Promise<string[]> {
    return [...(this.subscriptions.get(turnId) ?? [])];
  }

  async unsubscribeTurn(turnId: string): Promise<number> {
    const removed = this.subscriptions.get(turnId)?.length ?? 0;
    this.subscriptions.delete(turnId);
    return removed;
  }
}
