import { hasScope, type Principal } from '../../ports/api-keys.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';

/**
 * The agent `agentId`, or a 404 when it is not served here. The known agents are named only to
 * a key that may list them (`agents:read`): to any other key the deployment's characters stay
 * unlisted.
 */
export async function knownAgent(
  deps: Pick<ApiDeps, 'agents' | 'unknownAgentHint'>,
  agentId: string,
  principal: Principal,
): Promise<{ id: string; name: string }> {
  const agents = await deps.agents();
  const agent = agents.find((a) => a.id === agentId);
  if (agent) return agent;
  const known = hasScope(principal, 'agents:read')
    ? `; known agents: ${agents.map((a) => a.id).join(', ') || 'none'}`
    : '; a key with the agents:read scope can list them at GET /v1/agents';
  const hint = deps.unknownAgentHint ? `; ${deps.unknownAgentHint}` : '';
  throw new ApiError(404, 'unknown_agent', `no agent "${agentId.slice(0, 64)}"${known}${hint}`);
}
