import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  METRIC_UNITS,
  type MetricDimensions,
  type MetricsSink,
  type MetricValues,
} from '../../ports/metrics.ts';

export const METRICS_NAMESPACE = 'Carrier';

/** An EMF document as Powertools writes it (the `_aws` envelope, dimension values, metric values). */
export type EmfDocument = ReturnType<Metrics['serializeMetrics']>;

/** Where Powertools Metrics reports its own problems (a Powertools Logger fits). */
export interface MetricsLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Powertools' warnings about what this sink does on purpose: every turn publishes its own
 * document (so nothing is left when the invocation ends), and `character` sits in both the
 * (character, model) set and the character rollup, with one value.
 */
const EXPECTED_WARNINGS = [
  /^No application metrics to publish/,
  /^Dimension "character" has already been added/,
  /^EMF key "character" is defined as both a dimension and dimension set/,
];

/**
 * A Powertools Metrics instance for Carrier: namespace `Carrier` and no default dimensions
 * (Powertools would add `service`), so figures carry only the dimensions a sink adds. Its
 * warnings go to `log` (the console by default), except the ones this sink's design causes
 * (EXPECTED_WARNINGS).
 *
 * @example
 * const metrics = carrierMetrics('agent-runner', logger); // for logMetrics(metrics) on the handler chain
 */
export function carrierMetrics(serviceName: string, log: MetricsLog = console): Metrics {
  const logger = {
    debug: (m: unknown) => log.debug(String(m)),
    info: (m: unknown) => log.info(String(m)),
    warn: (m: unknown) => {
      if (!EXPECTED_WARNINGS.some((w) => w.test(String(m)))) log.warn(String(m));
    },
    error: (m: unknown) => log.error(String(m)),
  };
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName, logger });
  metrics.clearDefaultDimensions();
  return metrics;
}

/**
 * Figures as CloudWatch embedded-metric-format documents, one per `record` call: dimensions
 * `character` and `model`, plus a `character`-only rollup (the same two keys) for per-character
 * dashboards and alarms. On Lambda a document goes to stdout, where CloudWatch reads it; the
 * local stack passes `write` to keep the very same documents in a file.
 *
 * @example
 * const sink = new EmfMetricsSink(carrierMetrics('agent-runner'));
 * sink.record({ character: 'ada', model: 'gpt-4.1-mini' }, { TurnLatency: 812 });
 */
export class EmfMetricsSink implements MetricsSink {
  constructor(
    private readonly metrics: Metrics,
    private readonly write?: (document: EmfDocument) => void,
  ) {}

  record(dimensions: MetricDimensions, values: MetricValues): void {
    const entries = Object.entries(values).filter(([, v]) => Number.isFinite(v)) as Array<
      [keyof typeof METRIC_UNITS, number]
    >;
    if (entries.length === 0) return;
    // Recording and publishing happen in one synchronous call, so turns running side by side
    // in one invocation never mix their figures into one document.
    this.metrics.addDimension('character', dimensions.character);
    this.metrics.addDimension('model', dimensions.model);
    this.metrics.addDimensions({ character: dimensions.character });
    for (const [name, value] of entries) this.metrics.addMetric(name, METRIC_UNITS[name], value);
    if (!this.write) {
      this.metrics.publishStoredMetrics();
      return;
    }
    const document = this.metrics.serializeMetrics();
    this.metrics.clearMetrics();
    this.metrics.clearDimensions();
    this.write(document);
  }
}
