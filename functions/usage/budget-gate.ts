import type { Character } from '../characters/schema.ts';
import type { ResolvedModel } from '../ports/model.ts';
import type { CapName, UsageRepository } from '../ports/usage.ts';
import { microUsdAt } from './cost.ts';
import { budgetDay, characterBudget, type BudgetDefaults, type ReserveTokens } from './budget-policy.ts';
import { PRICES, priceOf } from './prices.ts';
import type { TurnUsage } from './turn-usage.ts';

/** Whether a turn may call its model: on which one, or the refusal to send instead. */
export type Admission =
  | { kind: 'run'; model: ResolvedModel; overCap?: CapName }
  | { kind: 'refused'; overCap: CapName; text: string };

/** What a budget counts a turn against: its id (one reservation each), character and user. */
export interface BudgetTurn {
  turnId: string;
  character: Character;
  userId: string;
  /** False: only the character's cap applies (an Instagram caption is the operator's, not a user's). */
  userCapped?: boolean;
}

export interface BudgetGateOptions {
  usage: UsageRepository;
  defaults: BudgetDefaults;
  now?: () => Date;
}

/**
 * Daily budgets around the model call: `admit` reserves the turn's worst case against the
 * character's and the user's caps (one SQL statement) before the model is called, `settle`
 * replaces it with what the SDK counted. Every turn goes through it, capped or not, so the
 * usage ledger has them all.
 *
 * @example
 * const admission = await gate.admit({ turnId, character, userId }, model, (f) => pickModel(f));
 * if (admission.kind === 'refused') return admission.text; // the model is never called
 * await gate.settle(turnId, result.usage);
 */
export class BudgetGate {
  constructor(private readonly options: BudgetGateOptions) {}

  /**
   * Admits a turn on the model `pick` chooses for its character, or over a cap on the
   * character's fallback model, chosen by `pick` the same way.
   */
  admitOn(turn: BudgetTurn, pick: (character: Character) => ResolvedModel): Promise<Admission> {
    return this.admit(turn, pick(turn.character), (fallback) =>
      pick({
        ...turn.character,
        model: fallback.model,
        ...(fallback.provider ? { modelProvider: fallback.provider } : {}),
      }),
    );
  }

  /** Where the budget day starts and ends: it resets at midnight in this IANA zone. */
  get timeZone(): string {
    return this.options.defaults.timeZone;
  }

  /** Today's budget day (YYYY-MM-DD) in the configured time zone. */
  today(): string {
    return budgetDay((this.options.now ?? (() => new Date()))(), this.options.defaults.timeZone);
  }

  async admit(
    turn: BudgetTurn,
    model: ResolvedModel,
    fallbackModel: (fallback: { model: string; provider?: string }) => ResolvedModel,
  ): Promise<Admission> {
    const budget = characterBudget(turn.character, this.options.defaults);
    const reserve = this.options.defaults.reserve;
    const fallback = budget.fallback ? fallbackModel(budget.fallback) : undefined;
    const outcome = await this.options.usage.reserve({
      turnId: turn.turnId,
      agentId: turn.character.id,
      userId: turn.userId,
      day: this.today(),
      provider: model.provider,
      model: model.name,
      reserveMicroUsd: worstCaseMicroUsd(model, reserve),
      ...(budget.characterCapMicroUsd === undefined ? {} : { agentCapMicroUsd: budget.characterCapMicroUsd }),
      ...(budget.userCapMicroUsd === undefined || turn.userCapped === false
        ? {}
        : { userCapMicroUsd: budget.userCapMicroUsd }),
      ...(fallback
        ? {
            fallback: {
              provider: fallback.provider,
              model: fallback.name,
              reserveMicroUsd: worstCaseMicroUsd(fallback, reserve),
            },
          }
        : {}),
    });
    if (outcome.outcome === 'refused')
      return { kind: 'refused', overCap: outcome.overCap ?? 'character', text: budget.refusal };
    if (outcome.outcome === 'fallback' && fallback)
      return { kind: 'run', model: fallback, overCap: outcome.overCap ?? 'character' };
    return { kind: 'run', model };
  }

  async settle(turnId: string, usage: TurnUsage): Promise<void> {
    await this.options.usage.settle(turnId, {
      requests: usage.requests,
      inputTokens: usage.inputTokens,
      cachedInputTokens: usage.cachedInputTokens,
      outputTokens: usage.outputTokens,
      costMicroUsd: usage.costMicroUsd,
      priceVersion: usage.priceVersion,
    });
  }
}

/**
 * What a turn may cost at most on `model`: the reserve tokens at its price. A model without a
 * price reserves at the dearest price in the table, so it cannot slip under a cap.
 */
export function worstCaseMicroUsd(model: { provider: string; name: string }, reserve: ReserveTokens): number {
  const tokens = { ...reserve, cachedInputTokens: 0 };
  const price = priceOf(model.provider, model.name);
  if (price) return microUsdAt(price, tokens);
  return Math.max(...PRICES.map((p) => microUsdAt(p, tokens)));
}
