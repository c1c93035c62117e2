import type { Character } from '../characters/schema.ts';
import type { MetricsSink } from '../ports/metrics.ts';
import type { ResolvedModel } from '../ports/model.ts';
import type { TurnRequest } from '../ports/turn-request.ts';
import type { StoredReply, TurnRepository } from '../ports/turns.ts';
import type { Admission, BudgetGate } from '../usage/budget-gate.ts';

/**
 * Asks the budget whether this turn may call its model, and on which: the character's own, or
 * its fallback model (chosen like any character model) once a cap is reached. No gate: always.
 */
export async function admitTurn(
  gate: BudgetGate | undefined,
  pick: (character: Character) => ResolvedModel,
  request: TurnRequest,
  character: Character,
): Promise<Admission> {
  if (!gate) return { kind: 'run', model: pick(character) };
  return gate.admitOn({ turnId: request.id, character, userId: request.user.id }, pick);
}

/**
 * Records the refusal as the turn's reply without calling the model: delivered like any
 * reply, but only to the asker where the channel allows it (Discord: ephemeral).
 */
export async function refuseTurn(
  request: TurnRequest,
  attempt: number,
  refusal: Extract<Admission, { kind: 'refused' }>,
  deps: { turns: TurnRepository; metrics?: MetricsSink },
): Promise<StoredReply> {
  const stored: StoredReply = {
    reply: refusal.text,
    model: { provider: 'none', name: 'budget' },
    notices: [`over the ${refusal.overCap} daily budget`],
    toolCalls: 0,
    ephemeral: true,
  };
  await deps.turns.answer(request.id, attempt, stored);
  deps.metrics?.record({ character: request.character, model: 'none' }, { RefusedTurns: 1 });
  return stored;
}
