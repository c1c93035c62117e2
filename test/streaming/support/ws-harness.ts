import { LocalTurnQueue } from '#core/adapters/queue/local-queue.ts';
import { ManagementApiPush } from '#core/adapters/websocket/management-api.ts';
import { createApiApp } from '#core/api/app.ts';
import { webSocketSinks, type LivePushDeps } from '#core/api/live-push.ts';
import { connectionTokens, handleWsEvent, type WsDeps, type WsEvent } from '#core/api/ws-session.ts';
import { loadCharacter } from '#core/characters/load.ts';
import { createRunnerHandler } from '#core/adapters/lambda/sqs-batch.ts';
import { InMemoryMemory } from '#core/adapters/memory/in-memory-memory.ts';
import type { Model } from '@openai/agents';
import { InMemoryApiKeyRepository } from '#test/fakes/in-memory-api-keys.ts';
import { InMemoryLiveConnections } from '#test/fakes/in-memory-live-connections.ts';
import { InMemoryTurnEvents } from '#test/fakes/in-memory-turn-events.ts';
import { InMemoryTurnRepository } from '#test/fakes/in-memory-turns.ts';
import { FakeManagementApi } from '#test/fakes/management-api.ts';
import { RecordingDelivery } from '../../runner/support/recording-delivery.ts';
import type { ResolvedModel } from '#core/ports/model.ts';

/**
 * The deployed WebSocket API's path in process: the use case as its Lambda runs it, the API app
 * it queues through, a local queue with a runner that pushes through a loopback Management API.
 * `ws(route, connectionId, …)` plays API Gateway; the fake's `received` is what a client got.
 */
export async function wsHarness(model: { resolved(): ResolvedModel } & Model) {
  const turns = new InMemoryTurnRepository();
  const events = new InMemoryTurnEvents(turns);
  const keys = new InMemoryApiKeyRepository();
  const connections = new InMemoryLiveConnections();
  const api = await FakeManagementApi.start();
  const pushDeps: LivePushDeps = {
    connections,
    push: new ManagementApiPush({ endpoint: api.endpoint, client: api.client() }),
  };
  const queue = new LocalTurnQueue({ visibilityTimeoutMs: 50 });
  queue.start(
    createRunnerHandler({
      turns,
      memory: new InMemoryMemory(),
      delivery: new RecordingDelivery(),
      character: (id) => loadCharacter(id),
      model: () => model.resolved(),
      leaseSeconds: 30,
      maxReceiveCount: 3,
      live: { events, liveSinks: webSocketSinks(pushDeps) },
    }),
  );
  const tokens = connectionTokens(connections);
  const app = createApiApp({
    turns,
    queue,
    authenticate: tokens.authenticate,
    agents: async () => [{ id: 'ada', name: 'Ada' }],
  });
  const deps: WsDeps = {
    ...pushDeps,
    authenticate: (key) => keys.verify(key),
    source: { events, turns },
    fetch: (request) => app.fetch(request),
    token: tokens.token,
  };
  return {
    api,
    turns,
    events,
    keys,
    connections,
    queue,
    deps,
    /** One WebSocket event as API Gateway delivers it; a `$connect` that succeeds opens the fake's side too. */
    async ws(route: string, connectionId: string, extra: Omit<WsEvent, 'route' | 'connectionId'> = {}) {
      const result = await handleWsEvent({ route, connectionId, ...extra }, deps);
      if (route === '$connect' && result.statusCode === 200) api.connect(connectionId);
      return result;
    },
    send(connectionId: string, frame: unknown) {
      return handleWsEvent(
        { route: '$default', connectionId, body: typeof frame === 'string' ? frame : JSON.stringify(frame) },
        deps,
      );
    },
    async close() {
      await queue.stop();
      await api.close();
    },
  };
}
