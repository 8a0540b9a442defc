import { describe, expect, it } from 'vitest';
import { parseWhen } from './row-values.js';

describe('parseWhen', () => {
  it('reads dates in the mapping zone and instants with their offset', () => {
    expect(parseWhen('2024-03-05', '+08:00')).toBe(Date.parse('2024-03-05T00:00:00+08:00'));
    expect(parseWhen('2024年3月5日', 'Z')).toBe(Date.UTC(2024, 2, 5));
    expect(parseWhen('2024-03-05 10:00:00+08:00', 'Z')).toBe(Date.parse('2024-03-05T10:00:00+08:00'));
  });

  it('refuses an impossible day in a date or in an instant', () => {
    expect(parseWhen('2026-02-30', '+08:00')).toBeUndefined();
    expect(parseWhen('2026-02-30T10:00:00+08:00', '+08:00')).toBeUndefined();
    expect(parseWhen('2026-04-31 10:00:00Z', 'Z')).toBeUndefined();
  });
});
