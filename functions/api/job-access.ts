import { hasScope, type Principal } from '../ports/api-keys.ts';
import type { TurnRepository, TurnRow } from '../ports/turns.ts';
import { ApiError } from './errors.ts';

/**
 * The API job `id` if this key may read it (its own, or any with the `*` scope). Another key's
 * job, or a turn that is not an API job, is reported as missing, so job ids cannot be probed.
 *
 * @example
 * const row = await ownedJob(deps.turns, c.req.param('id'), c.get('principal'));
 */
export async function ownedJob(
  turns: Pick<TurnRepository, 'get'>,
  id: string,
  principal: Principal,
): Promise<TurnRow> {
  const row = await turns.get(id);
  if (!row || row.source !== 'api' || (row.api_key_id !== principal.keyId && !hasScope(principal, '*'))) {
    throw new ApiError(404, 'not_found', `no job ${id} for this API key`);
  }
  return row;
}
