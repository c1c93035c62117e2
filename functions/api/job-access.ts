import type { Principal } from '../ports/api-keys.ts';
import type { TurnRepository, TurnRow } from '../ports/turns.ts';
import { callerIds } from './caller-ids.ts';
import { ApiError } from './errors.ts';

/**
 * The API job `id` if this key's tenant owns it (and, for a signed-in user, if it is that user's).
 * Another tenant's or user's job, or a turn that is not an API job, is reported as missing, so job
 * ids cannot be probed.
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
  // Another tenant's (or user's) job is reported as missing, so job ids cannot be probed.
  const theirs = (r: TurnRow) => principal.subject && callerIds(principal).shownUser(r.user_id) === null;
  if (!row || row.source !== 'api' || row.tenant !== principal.tenant || theirs(row)) {
    throw new ApiError(404, 'not_found', `no job ${id.slice(0, 128)} for this API key's tenant`);
  }
  return row;
}
