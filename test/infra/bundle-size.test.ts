import { describe, expect, it } from 'vitest';
import { bundleHandler, INTERACTIONS_BUDGET_BYTES } from '../../bench/bundles.ts';

describe('the interactions function as the CDK app bundles it', () => {
  it('stays within 400 KB minified', async () => {
    const { bytes } = await bundleHandler('interactions');
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(INTERACTIONS_BUDGET_BYTES);
  });
});
