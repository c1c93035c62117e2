import MiniSearch from 'minisearch';
import { stemmer } from 'stemmer';
import { eng, removeStopwords } from 'stopword';

export interface BaselineDoc {
  id: string;
  text: string;
  /** Who said it: a field the baseline can match too, so naming a user is not Carrier's edge alone. */
  speaker: string;
  /** null for shared knowledge, seen from every user. */
  userId: string | null;
}

/**
 * The baseline the recall bench compares with: BM25 as MiniSearch scores it (BM25+, k = 1.2,
 * b = 0.7), over the turn's text and its speaker, with English stop words removed and the
 * Porter stemmer; no fuzzy or prefix matching. Per-user questions see that user's turns and
 * shared knowledge, as Carrier's do.
 *
 * @example
 * const bm25 = new Bm25Baseline(docs);
 * bm25.search('What kind of dog did Maya get?', { userId: 'u1', limit: 10 }); // ids, best first
 */
export class Bm25Baseline {
  private readonly index: MiniSearch<BaselineDoc>;

  constructor(docs: BaselineDoc[]) {
    this.index = new MiniSearch<BaselineDoc>({
      fields: ['text', 'speaker'],
      storeFields: ['userId'],
      processTerm: (term) => {
        const kept = removeStopwords([term.toLowerCase()], eng);
        return kept.length ? stemmer(kept[0]!) : null;
      },
    });
    this.index.addAll(docs);
  }

  search(query: string, options: { userId?: string; limit: number }): string[] {
    const { userId } = options;
    const hits = this.index.search(query, {
      ...(userId ? { filter: (r) => r.userId === null || r.userId === userId } : {}),
    });
    return hits.slice(0, options.limit).map((h) => String(h.id));
  }
}
