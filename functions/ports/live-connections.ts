import type { Principal } from './api-keys.ts';

/** A tenant holds at most this many open WebSocket connections; more are refused at $connect. */
export const MAX_CONNECTIONS_PER_TENANT = 200;
/** A connection follows at most this many jobs at once; more subscriptions are refused. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 20;

/**
 * The deployed WebSocket API's connections (who holds each, checked at $connect) and the jobs
 * each follows. Implemented by adapters/store/live-connections.ts (SQL, migration 0059) and
 * test/fakes/in-memory-live-connections.ts.
 */
export interface LiveConnectionRepository {
  /** Opens `connectionId` for `principal`; false when its tenant already holds `maxPerTenant`. */
  open(connectionId: string, principal: Principal, maxPerTenant?: number): Promise<boolean>;
  /** Who holds the connection; undefined when it is unknown or closed (SQL: or its key was revoked since). */
  principal(connectionId: string): Promise<Principal | undefined>;
  /** Forgets the connection and its subscriptions; true when it was open. */
  close(connectionId: string): Promise<boolean>;
  /** Follows `turnId`; false when the connection is not open or already follows `max` jobs. */
  subscribe(connectionId: string, turnId: string, max?: number): Promise<boolean>;
  /** The connections following `turnId`. */
  subscribers(turnId: string): Promise<string[]>;
  /** Ends every subscription to `turnId` (its stream has ended); returns how many. */
  unsubscribeTurn(turnId: string): Promise<number>;
}
