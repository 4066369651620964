import { describe, expect, it } from 'vitest';
import { ftsQuery } from '../../src/main/core/store/DocsRepository';

describe('ftsQuery', () => {
  it('quotes each word so punctuation and operators in a question are not FTS5 syntax', () => {
    expect(ftsQuery('warranty AND "period" -x? NEAR(a)')).toBe('"warranty" OR "period" OR "x" OR "near"');
  });

  it('leaves out words that match nearly everything, unless nothing else is left', () => {
    expect(ftsQuery('How long is the warranty period?')).toBe('"long" OR "warranty" OR "period"');
    expect(ftsQuery('Who is it?')).toBe('"who" OR "is" OR "it"');
    expect(ftsQuery('?!')).toBeNull();
  });
});
