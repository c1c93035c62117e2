import type { UsageRow } from '../ports/usage.ts';
import { PRICE_TABLE_VERSION } from './prices.ts';

/** A usage row as the API and `carrier usage --json` show it: micro-USD exact, dollars beside. */
export type UsageView = UsageRow & { costUsd: number };

export interface UsageReport {
  by: string;
  from?: string;
  to?: string;
  /** The price table new turns are priced with (each stored turn keeps its own). */
  priceVersion: string;
  rows: UsageView[];
}

/**
 * The usage report for rows from UsageRepository.summary.
 *
 * @example
 * usageReport({ by: 'character' }, await usage.summary({ by: 'character' })).rows[0]?.costUsd;
 */
export function usageReport(
  query: { by: string; from?: string; to?: string },
  rows: UsageRow[],
): UsageReport {
  return {
    by: query.by,
    ...(query.from ? { from: query.from } : {}),
    ...(query.to ? { to: query.to } : {}),
    priceVersion: PRICE_TABLE_VERSION,
    rows: rows.map((r) => ({ ...r, costUsd: r.costMicroUsd / 1_000_000 })),
  };
}

const COLUMNS = ['turns', 'refused', 'input', 'cached', 'output', 'cost (USD)', 'unpriced'] as const;

/** The report as a plain-text table: one line per group, tab-separated, with a header. */
export function usageTable(report: UsageReport): string {
  const lines = [[report.by, ...COLUMNS].join('\t')];
  for (const r of report.rows) {
    lines.push(
      [
        r.key,
        r.turns,
        r.refused,
        r.inputTokens,
        r.cachedInputTokens,
        r.outputTokens,
        (r.costMicroUsd / 1_000_000).toFixed(6),
        r.unpriced,
      ].join('\t'),
    );
  }
  if (report.rows.length === 0) lines.push('(no turns in this range)');
  return `${lines.join('\n')}\n`;
}
