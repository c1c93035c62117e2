import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { carrierMetrics, EmfMetricsSink, type EmfDocument } from '../adapters/metrics/emf-metrics.ts';
import type { Log } from '../ports/log.ts';
import type { MetricsSink } from '../ports/metrics.ts';

export interface LocalMetrics {
  sink: MetricsSink;
  /** Where the documents go: `<data dir>/metrics.jsonl`, one EMF document a line. */
  file: string;
  /** The latest documents of this run, oldest first (at most 1,000). */
  documents: EmfDocument[];
}

/**
 * The local stack's metrics: the very EMF documents the deployed runner writes to CloudWatch,
 * appended to a file under the data directory and kept in memory for tests and `carrier usage`.
 *
 * @example
 * const metrics = localMetrics('.carrier', log); // then: tail -f .carrier/metrics.jsonl
 */
export function localMetrics(dataDir: string, log?: Log): LocalMetrics {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'metrics.jsonl');
  const documents: EmfDocument[] = [];
  const quiet = { ...(log ?? console), debug: () => {} };
  const sink = new EmfMetricsSink(carrierMetrics('local', quiet), (document) => {
    documents.push(document);
    if (documents.length > 1000) documents.shift();
    appendFileSync(file, `${JSON.stringify(document)}\n`);
  });
  return { sink, file, documents };
}
