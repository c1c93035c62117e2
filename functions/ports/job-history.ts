import type { TurnRow } from './turns.ts';

/** One conversation of a tenant with an agent, as its latest job left it. */
export interface ConversationSummary {
  /** The stored id (`api:<tenant>:<id>`). */
  conversation: string;
  userId: string;
  jobs: number;
  lastAt: string;
  /** The latest message's text; empty once its user was forgotten. */
  lastText: string;
}

export interface JobFilter {
  agentId?: string;
  /** The stored conversation id. */
  conversation?: string;
  /** Only jobs created before this time. */
  before?: Date;
  /** The next page: the jobs after this one (the last row's id) in newest-first order. */
  afterId?: string;
  /** 1-200, default 50. */
  limit?: number;
}

/**
 * A tenant's API jobs, newest first, and its conversations: what the console lists. Reads only;
 * the turns table is written through TurnRepository. Implemented by adapters/store/job-history.ts
 * (migrations 0055, 0070) and test/fakes/in-memory-job-history.ts.
 */
export interface JobHistory {
  jobs(tenant: string, filter?: JobFilter): Promise<TurnRow[]>;
  conversations(tenant: string, agentId: string, limit?: number): Promise<ConversationSummary[]>;
}
