import { describe, expect, it } from 'vitest';
import { recordTick } from '#core/instagram/tick-metrics.ts';
import { emptyReport, type TickReport } from '#core/instagram/tick.ts';
import type { MetricDimensions, MetricValues } from '#core/ports/metrics.ts';

const report = (over: Partial<TickReport>): TickReport => ({ ...emptyReport('o'), ...over });

describe("a publisher tick's figures", () => {
  it('counts published and failed posts and the quota used, one document per character, model none', () => {
    const recorded: Array<[MetricDimensions, MetricValues]> = [];
    recordTick(
      report({
        published: [
          { id: 'p1', character: 'ada', mediaId: 'm1', permalink: null },
          { id: 'p2', character: 'ada', mediaId: 'm2', permalink: null },
        ],
        failed: [{ id: 'p3', character: 'juniper', reason: 'the image is too small' }],
        quota: [{ character: 'ada', used: 7, total: 50 }],
      }),
      { record: (dimensions, values) => recorded.push([dimensions, values]) },
    );
    expect(recorded).toEqual([
      [
        { character: 'ada', model: 'none' },
        { PostsPublished: 2, QuotaUsed: 7 },
      ],
      [{ character: 'juniper', model: 'none' }, { PostsFailed: 1 }],
    ]);
  });

  it('records nothing for a tick that moved nothing', () => {
    const recorded: unknown[] = [];
    recordTick(report({}), { record: (...args) => recorded.push(args) });
    expect(recorded).toEqual([]);
  });
});
