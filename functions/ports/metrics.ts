/**
 * The figures Carrier publishes, each with its unit. Dimensions are only `character` and
 * `model`: a user id is never a dimension (it would make one metric per user).
 */
export const METRIC_UNITS = {
  TurnLatency: 'Milliseconds',
  TimeToFirstToken: 'Milliseconds',
  RecallMs: 'Milliseconds',
  ModelMs: 'Milliseconds',
  InputTokens: 'Count',
  CachedInputTokens: 'Count',
  OutputTokens: 'Count',
  CostMicroUsd: 'Count',
  UnpricedTurns: 'Count',
  ToolCalls: 'Count',
  ToolErrors: 'Count',
  AnsweredTurns: 'Count',
  FailedTurns: 'Count',
  Redeliveries: 'Count',
  RefusedTurns: 'Count',
  FallbackTurns: 'Count',
  CaptionsWritten: 'Count',
  PostsPublished: 'Count',
  PostsFailed: 'Count',
  QuotaUsed: 'Count',
} as const;

export type MetricName = keyof typeof METRIC_UNITS;
export type MetricValues = Partial<Record<MetricName, number>>;

export interface MetricDimensions {
  character: string;
  /** The model's name, or `none` when no model ran (refused, forgotten, publisher figures). */
  model: string;
}

/**
 * Where figures go: CloudWatch EMF through Powertools Metrics on Lambda, the same documents
 * into a local file on `npm start`, nowhere in logic tests. One call is one document.
 *
 * @example
 * metrics.record({ character: 'ada', model: 'gpt-4.1-mini' }, { TurnLatency: 812, CostMicroUsd: 540 });
 */
export interface MetricsSink {
  record(dimensions: MetricDimensions, values: MetricValues): void;
}
