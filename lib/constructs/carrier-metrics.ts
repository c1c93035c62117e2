import { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';

/** The namespace the runtime publishes its EMF figures in (functions/adapters/metrics/emf-metrics.ts). */
export const CARRIER_NAMESPACE = 'Carrier';

/**
 * One of the runtime's figures for one character, from the character rollup the runner publishes
 * beside the (character, model) set, so no model needs to be known at synth time.
 *
 * @example
 * characterMetric('CostMicroUsd', 'ada', { statistic: 'Sum', period: Duration.days(1) });
 */
export function characterMetric(
  name: string,
  character: string,
  options: { statistic: string; period?: Duration; label?: string },
): Metric {
  return new Metric({
    namespace: CARRIER_NAMESPACE,
    metricName: name,
    dimensionsMap: { character },
    statistic: options.statistic,
    period: options.period ?? Duration.minutes(5),
    label: options.label ?? `${character} ${name} ${options.statistic}`,
  });
}
