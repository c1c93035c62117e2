import { EmbeddingError, type Embedder } from '../ports/embedder.ts';
import type { CompletedTurn, MemoryPort, RecallQuery, Recollection } from '../ports/memory.ts';
import { fitToBudget, type MemoryBudget } from './budget.ts';
import type { FactExtractor } from '../ports/memory-records.ts';
import type { MemoryRepository } from '../ports/memory-records.ts';

export interface StoreMemoryOptions {
  /** With none, recall is full-text only and nothing is embedded. */
  embedder?: Embedder;
  /** Reflection: finds facts about the user in each stored exchange. With none, no facts are added. */
  extractFacts?: FactExtractor;
  /** What recall may add to the instructions. */
  budget?: MemoryBudget;
  /** Start reflection from remember() without awaiting it. Default true; settle() awaits it. */
  reflectInBackground?: boolean;
  /**
   * How long recall waits for the question's embedding, in ms, before it recalls by full text
   * alone. Default RECALL_EMBEDDING_TIMEOUT_MS.
   */
  recallEmbeddingTimeoutMs?: number;
  /** Where failures off the reply's path go (background reflection, an embedder down at recall). */
  onError?: (error: unknown, stage: 'recall' | 'reflect') => void;
}

/**
 * Recall is on the reply's path: one attempt, this long, and a slow or down embedder costs the
 * turn its vector half of recall, not the turn (the embedder's own default is 30 s × 4 attempts).
 */
export const RECALL_EMBEDDING_TIMEOUT_MS = 2_000;

/**
 * The memory port backed by the SQL store (PGlite, Postgres or Supabase). Recall is one round
 * trip (plus one embedding of the question, cached); remember stores the exchange in one,
 * idempotent by turn id, and then reflects off the reply's path: it embeds the new messages and
 * adds, skips or supersedes facts about the user.
 *
 * @example
 * const memory = new StoreMemory(new SqlMemoryRepository(await openStore()), { extractFacts: modelFactExtractor(() => model) });
 * await runTurn(input, { model, memory });
 * await memory.settle();
 */
export class StoreMemory implements MemoryPort {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    readonly repository: MemoryRepository,
    private readonly options: StoreMemoryOptions = {},
  ) {}

  async recall(query: RecallQuery): Promise<Recollection> {
    const embedding = await this.embedQuestion(query.text);
    const rows = await this.repository.recall({
      agentId: query.agentId,
      userId: query.userId,
      roomId: query.roomId,
      query: query.text,
      ...(embedding ? { embedding } : {}),
      ...(query.limit === undefined ? {} : { limit: query.limit }),
      ...(query.recentLimit === undefined ? {} : { recentLimit: query.recentLimit }),
    });
    return fitToBudget(
      {
        recent: rows.recent.map(({ id: _id, ...message }) => message),
        memories: [...rows.facts, ...rows.recalled],
      },
      this.options.budget,
    );
  }

  async remember(turn: CompletedTurn): Promise<void> {
    const stored = await this.repository.insert([
      {
        agentId: turn.agentId,
        userId: turn.userId,
        roomId: turn.roomId,
        type: 'message',
        text: turn.userText,
        content: { role: 'user', ...(turn.userName ? { name: turn.userName } : {}) },
        sourceId: `turn:${turn.turnId}:user`,
        createdAt: turn.at,
      },
      {
        agentId: turn.agentId,
        userId: turn.userId,
        roomId: turn.roomId,
        type: 'message',
        text: turn.replyText,
        content: { role: 'assistant' },
        sourceId: `turn:${turn.turnId}:reply`,
        // A millisecond later, so the reply sorts after the message it answers.
        createdAt: new Date(Date.parse(turn.at) + 1).toISOString(),
      },
    ]);
    // Stored before: a redelivered turn was reflected on already.
    if (!stored.some((s) => s.inserted)) return;
    const messages = stored.map((s, i) => ({ id: s.id, text: i === 0 ? turn.userText : turn.replyText }));
    if (this.options.reflectInBackground === false) return this.reflect(turn, messages);
    const job = this.reflect(turn, messages).catch((error: unknown) =>
      this.options.onError?.(error, 'reflect'),
    );
    this.pending.add(job);
    void job.finally(() => this.pending.delete(job));
  }

  /**
   * Reflection on one stored exchange: embeds its messages (when there is an embedder) and
   * stores the facts the extractor finds, each added, skipped as a duplicate, or superseding
   * the fact with the same key. Facts are idempotent by turn id and key.
   */
  async reflect(turn: CompletedTurn, messages: Array<{ id: string; text: string }> = []): Promise<void> {
    const { embedder, extractFacts } = this.options;
    if (embedder && messages.length) {
      const vectors = await embedder.embed(messages.map((m) => m.text));
      await this.repository.setEmbeddings(
        embedder.model,
        messages.map((m, i) => ({ id: m.id, embedding: vectors[i]! })),
      );
    }
    if (!extractFacts) return;
    const facts = await extractFacts(turn, () => this.repository.facts(turn.agentId, turn.userId));
    const vectors = embedder && facts.length ? await embedder.embed(facts.map((f) => f.text)) : [];
    for (const [i, fact] of facts.entries()) {
      await this.repository.addFact({
        agentId: turn.agentId,
        userId: turn.userId,
        roomId: turn.roomId,
        text: fact.text,
        ...(fact.key ? { key: fact.key } : {}),
        ...(fact.value ? { value: fact.value } : {}),
        sourceId: `turn:${turn.turnId}:fact:${fact.key ?? i}`,
        metadata: { turnId: turn.turnId },
        ...(vectors[i] && embedder ? { embedding: vectors[i], embeddingModel: embedder.model } : {}),
      });
    }
  }

  /** Waits for reflection started by remember(): call it before the process or invocation ends. */
  async settle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  private async embedQuestion(text: string): Promise<number[] | undefined> {
    const { embedder } = this.options;
    if (!embedder) return undefined;
    const timeoutMs = this.options.recallEmbeddingTimeoutMs ?? RECALL_EMBEDDING_TIMEOUT_MS;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      return (await untilAborted(embedder.embed([text], { signal, maxRetries: 0 }), signal))[0];
    } catch (error) {
      // An embedder that is slow or down must not cost the user their answer: recall by full text.
      this.options.onError?.(
        signal.aborted
          ? new EmbeddingError(
              `embedding the question took over ${timeoutMs} ms: recalled by full text only`,
              'embedding_timeout',
              { cause: error },
            )
          : error,
        'recall',
      );
      return undefined;
    }
  }
}

/**
 * `work`, or a rejection when `signal` aborts first: the embedder honours the signal for its
 * HTTP call, but not every step does (the embedding cache's lookup in the store).
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => undefined); // a late failure after the abort has no one to report to
  return Promise.race([
    work,
    new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
    ),
  ]);
}
