import { describe, expect, it } from 'vitest';
import { parseInstant, tryParseInstant } from './instant.js';

describe('parseInstant', () => {
  it('reads instants with a zone and plain dates', () => {
    expect(parseInstant('2026-03-01T10:00:00Z')).toBe(Date.UTC(2026, 2, 1, 10));
    expect(parseInstant('2026-03-01T10:00:00+08:00')).toBe(Date.UTC(2026, 2, 1, 2));
    expect(parseInstant('2026-03-01T10:00+0800')).toBe(Date.UTC(2026, 2, 1, 2));
    expect(parseInstant('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    expect(parseInstant('2026-12-31')).toBe(Date.UTC(2026, 11, 31));
    expect(parseInstant('2026-03-01T23:59:59.999Z')).toBe(Date.UTC(2026, 2, 1, 23, 59, 59, 999));
  });

  // RFC 3339 (5.6): "T" and "Z" may be written in lower case; some exporters do.
  it('reads a lower-case t and z as RFC 3339 allows', () => {
    expect(parseInstant('2026-03-01t10:00:00z')).toBe(Date.UTC(2026, 2, 1, 10));
    expect(parseInstant('2026-03-01T10:00:00z')).toBe(Date.UTC(2026, 2, 1, 10));
  });

  it('says, when refusing, that a date alone is taken too', () => {
    expect(() => parseInstant('01/03/2026', '--as-of')).toThrow(
      '--as-of "01/03/2026" is not an ISO 8601 date (2026-03-01) or instant with a time zone (e.g. 2026-03-01T10:00:00Z)',
    );
  });

  // Date.parse rolls an impossible day over into the next month (2026-02-30 is 2 March), so a
  // fact or an --as-of with a mistyped date was silently moved to another day.
  it.each([
    '2026-02-30T10:00:00Z',
    '2026-02-29T10:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-02-30',
    '2026-00-10T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-03-00T00:00:00Z',
    '2026-03-01T24:00:00Z',
    '2026-03-01T10:60:00Z',
    '2026-03-01T10:00:60Z',
    '2026-03-01T10:00:00+24:00',
    '2026-03-01T10:00:00+08:60',
  ])('refuses %s, which is not a real instant', (text) => {
    expect(() => parseInstant(text, '--as-of')).toThrow(/CREDENCE_E_USAGE|not/);
    expect(tryParseInstant(text)).toBeUndefined();
  });
});
