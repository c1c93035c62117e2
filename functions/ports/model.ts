import type { Model } from '@openai/agents';

export type ProviderName = 'openai' | 'anthropic' | 'offline';

/** A model chosen for a character, ready for the agents SDK. */
export interface ResolvedModel {
  model: Model;
  provider: ProviderName;
  /** The provider's model name, e.g. `gpt-4.1-mini`; `offline` for the offline model. */
  name: string;
  /** Shown to the user when the character's provider was swapped for the offline model. */
  notice?: string;
}
