import { describe, expect, it } from 'vitest';
import { errorLine } from '../../bin/commands/posts-format.ts';

describe('carrier posts show', () => {
  it("names Meta's codes only where Meta gave them: a missing account is no error of Meta's", () => {
    expect(errorLine({ kind: 'reauth', code: 190, subcode: 463 })).toBe(
      'reauth (Meta code 190, subcode 463)',
    );
    expect(errorLine({ kind: 'retry', code: 2, subcode: null })).toBe('retry (Meta code 2)');
    expect(errorLine({ kind: 'reauth', code: null, subcode: null })).toBe('reauth');
  });
});
