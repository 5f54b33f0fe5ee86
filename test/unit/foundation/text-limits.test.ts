import { describe, expect, it } from 'vitest';
import { describeTextLimit, textLimit } from '../../../shared/text-limits';

describe('the text limits forms show', () => {
  it('come from the catalog, column by column', () => {
    expect(textLimit('vitals', 'notes')).toBe(2000);
    expect(textLimit('nurse_logs', 'body')).toBe(10_000);
    expect(textLimit('visits', 'dischargeSummary')).toBe(20_000);
    expect(describeTextLimit(20_000)).toBe('At most 20,000 characters.');
  });

  it('refuse a column without one, rather than show no limit', () => {
    expect(() => textLimit('vitals', 'heartRate')).toThrow(/no text limit/);
    expect(() => textLimit('no_such_table', 'notes')).toThrow(/no text limit/);
  });
});
