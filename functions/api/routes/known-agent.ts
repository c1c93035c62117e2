import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';

/** The agent `agentId`, or a 404 naming the known agents when it is not served here. */
export async function knownAgent(deps: ApiDeps, agentId: string): Promise<{ id: string; name: string }> {
  const agents = await deps.agents();
  const agent = agents.find((a) => a.id === agentId);
  if (!agent) {
    throw new ApiError(
      404,
      'unknown_agent',
      `no agent "${agentId}"; known agents: ${agents.map((a) => a.id).join(', ') || 'none'}`,
    );
  }
  return agent;
}
