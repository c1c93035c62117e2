import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';

/** Throws a 404 naming the known agents when `agentId` is not served here. */
export async function knownAgent(deps: ApiDeps, agentId: string): Promise<void> {
  const agents = await deps.agents();
  if (!agents.some((a) => a.id === agentId)) {
    throw new ApiError(
      404,
      'unknown_agent',
      `no agent "${agentId}"; known agents: ${agents.map((a) => a.id).join(', ') || 'none'}`,
    );
  }
}
