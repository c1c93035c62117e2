import type { MetricsSink, MetricValues } from '../ports/metrics.ts';
import type { TickReport } from './steps/context.ts';

/**
 * A publisher tick's figures, one document per character it touched: posts published and failed,
 * and the quota used as Meta last reported it (model dimension `none`); and one per caption
 * written, with its model, tokens and cost, so a character's daily cost counts its captions.
 *
 * @example
 * recordTick(await tickPublisher(deps), new EmfMetricsSink(metrics));
 */
export function recordTick(report: TickReport, metrics: MetricsSink): void {
  const figures = new Map<string, MetricValues>();
  const of = (character: string) => {
    let values = figures.get(character);
    if (!values) figures.set(character, (values = {}));
    return values;
  };
  for (const post of report.published)
    of(post.character).PostsPublished = (of(post.character).PostsPublished ?? 0) + 1;
  for (const post of report.failed)
    of(post.character).PostsFailed = (of(post.character).PostsFailed ?? 0) + 1;
  for (const quota of report.quota) of(quota.character).QuotaUsed = quota.used;
  for (const [character, values] of figures) metrics.record({ character, model: 'none' }, values);
  for (const caption of report.captions) {
    const { usage } = caption;
    metrics.record(
      { character: caption.character, model: caption.model },
      {
        CaptionsWritten: 1,
        InputTokens: usage.inputTokens,
        CachedInputTokens: usage.cachedInputTokens,
        OutputTokens: usage.outputTokens,
        ...(usage.costMicroUsd === null ? { UnpricedTurns: 1 } : { CostMicroUsd: usage.costMicroUsd }),
      },
    );
  }
}
