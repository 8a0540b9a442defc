import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellValue, headerOf, lookupWord, parseWhen, timeValue } from './row-values.js';

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

  it('reads year-first dates as spreadsheets and registers write them (2024/3/5, full-width digits)', () => {
    const want = Date.parse('2024-03-05T00:00:00+08:00');
    for (const t of [
      '2024/3/5',
      '2024-3-5',
      '2024.03.5',
      '2024/03/05',
      '20240305',
      '２０２４－０３－０５',
      '2024年03月05日',
    ])
      expect([t, parseWhen(t, '+08:00')]).toEqual([t, want]);
    // Day-first or month-first dates cannot be told apart: refused, never guessed.
    for (const t of ['05/03/2024', '3/5/2024', '2024/3', '2024/13/5', '2024-3/5', '202435'])
      expect([t, parseWhen(t, '+08:00')]).toEqual([t, undefined]);
  });
});

describe('wall-clock times (no offset)', () => {
  it('are read in the zone a mapping declares, as its dates are', () => {
    for (const [t, iso] of [
      ['2026-06-01 10:00:00', '2026-06-01T10:00:00+08:00'],
      ['2026-06-01T10:00', '2026-06-01T10:00:00+08:00'],
      ['2026/6/1 9:05', '2026-06-01T09:05:00+08:00'],
      ['2026-06-01 23:59:59.5', '2026-06-01T23:59:59.500+08:00'],
      ['2026年6月1日 08:30:00', '2026-06-01T08:30:00+08:00'],
    ] as const)
      expect([t, parseWhen(t, '+08:00', true)]).toEqual([t, Date.parse(iso)]);
  });

  it('are refused without a declared zone, and when no time of day or no calendar day', () => {
    expect(parseWhen('2026-06-01 10:00:00', 'Z')).toBeUndefined();
    for (const t of [
      '2026-06-01 24:00',
      '2026-06-01 10:60',
      '2026-02-30 10:00',
      '01/06/2026 10:00',
      '2026-06-01 10',
    ])
      expect([t, parseWhen(t, '+08:00', true)]).toEqual([t, undefined]);
  });

  it('say what setting reads them when the mapping declares no zone', () => {
    const at = { columns: ['occurred_at'], type: 'string', optional: false } as const;
    const h = headerOf(['occurred_at']);
    expect(() => timeValue(h, ['2026-06-01 10:00:00'], at, 'Z')).toThrow(
      /has a time of day but no time zone: declare the file's zone in the mapping \(format: \{ timeZone/,
    );
    expect(timeValue(h, ['2026-06-01 10:00:00'], at, '-05:00', true)).toBe(
      Date.parse('2026-06-01T10:00:00-05:00'),
    );
  });
});

describe("a spreadsheet's day number in a date column", () => {
  // Excel shows a date cell it could not format as its day count (45123 for 2023-07-16). Refused as
  // any other non-date, never read as that day (a count of 1900 or 1904 base cannot be told), and
  // the reason says what it likely is and how to export it again.
  const at = { columns: ['occurred_at'], type: 'string', optional: false } as const;
  const h = headerOf(['occurred_at']);
  it('is refused, naming the day it would be and the fix', () => {
    expect(() => timeValue(h, ['45123'], at, 'Z')).toThrow(
      /"45123" is not a date .*a spreadsheet's day number \(2023-07-16 as Excel counts\).*format the column as a date/,
    );
    expect(() => timeValue(h, ['45123.5'], at, 'Z')).toThrow(/day number \(2023-07-16 as Excel counts\)/);
  });
  it('a number of another size is only not a date', () => {
    expect(() => timeValue(h, ['123'], at, 'Z')).toThrow(/"123" is not a date .*with a time zone$/);
  });
});

describe('value tables', () => {
  it('match a cell exactly, else the one key it equals ignoring case and full width', () => {
    expect(lookupWord({ 男: 'M', 女: 'F', M: 'M', F: 'F' }, 'ｆ')).toBe('F');
    expect(lookupWord({ listed: 'L' }, 'LISTED')).toBe('L');
    // Two keys that fold to the same word: only an exact cell tells which.
    expect(lookupWord({ a: 1, A: 2 }, 'A')).toBe(2);
    expect(lookupWord({ a: 1, A: 2 }, 'Ａ')).toBeUndefined();
  });

  it('never read a cell as a key the table does not have (constructor, toString)', () => {
    const c = { columns: ['sex'], type: 'string', optional: false, values: { M: 'M' } } as const;
    for (const cell of ['constructor', 'toString', '__proto__'])
      expect(() => cellValue(headerOf(['sex']), [cell], c)).toThrow(/is not one of: M/);
  });
});

describe('numbers', () => {
  const amount = { columns: ['amount'], type: 'number', optional: false } as const;
  const read = (cell: string) => {
    try {
      return cellValue(headerOf(['amount']), [cell], amount);
    } catch (e) {
      return (e as Error).message;
    }
  };

  it('reads plain numbers and thousands written with commas, as exports write them', () => {
    for (const [cell, n] of [
      ['120.5', 120.5],
      ['-3', -3],
      ['1,234.56', 1234.56],
      ['12,345,678', 12345678],
      ['.5', 0.5],
      ['１２０', 120],
    ] as const)
      expect([cell, read(cell)]).toEqual([cell, n]);
  });

  it('refuses what only looks like a number: a decimal comma, hex, an exponent, a currency sign', () => {
    // '120,50' (a European decimal comma) was read as 12050, and '0x1A' as 26.
    for (const cell of ['120,50', '1,23', '0x1A', '1e3', '¥120', 'Infinity', '1.2.3', '-'])
      expect([cell, read(cell)]).toEqual([cell, `"${cell}" is not a number`]);
  });

  it('refuses a number with more significant digits than a number keeps, instead of rounding it', () => {
    // 99999999999999999999999 was stored as 1e+23, 12345678901234567.89 as 12345678901234568.
    expect(read('99999999999999999999999')).toMatch(/has 23 significant digits, and a number keeps 15/);
    expect(read('12345678901234567.89')).toMatch(/has 19 significant digits/);
    expect(read('1'.padEnd(400, '0'))).toMatch(/is beyond the largest number/);
    // Zeros that only place the point are not digits a number must keep.
    expect(read('1200000000000000000')).toBe(1.2e18);
    expect(read('0.000000000000000000012')).toBe(1.2e-20);
    expect(read('123,456,789,012,345')).toBe(123456789012345);
  });

  it('gives back every digit it accepts, and accepts every number of 15 significant digits or fewer', () => {
    const digits = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 24, size: 'max' });
    fc.assert(
      fc.property(digits, fc.nat(24), (ds, point) => {
        const text = ds.join('');
        const at = Math.min(point, text.length);
        const cell = at === 0 || at === text.length ? text : `${text.slice(0, at)}.${text.slice(at)}`;
        const significant = text.replace(/^0+/, '').replace(/0+$/, '');
        const v = read(cell);
        if (significant.length <= 15) {
          expect(typeof v).toBe('number');
          // The written digits, read back at their own precision.
          if (significant.length > 0)
            expect(
              (v as number)
                .toPrecision(significant.length)
                .replace(/e.*$|\D/g, '')
                .replace(/^0+/, ''),
            ).toBe(significant);
        } else expect(v).toMatch(/significant digits, and a number keeps 15/);
      }),
    );
  });
});

describe('a column the header does not have', () => {
  it('is refused as missing from the header, not as an empty cell', () => {
    // A file without the `amount` column a type's data reads: every row said "column amount: is
    // empty", sending the furnisher to look for empty cells that are not there.
    const c = { columns: ['amount'], type: 'number', optional: false } as const;
    expect(() => cellValue(headerOf(['id', 'event']), ['1', 'payment'], c)).toThrow(/not in the header/);
    expect(() => cellValue(headerOf(['id', 'amount']), ['1', ''], c)).toThrow(/is empty/);
  });
});

describe('an instant written with a lower-case t and z', () => {
  it('is read as RFC 3339 (5.6) allows and credence ingest reads it, in an import too', () => {
    // 60b0a58 taught a fact's occurredAt these; an export writing them was still refused by
    // `credence import` ("is not a date ... or an instant with a time zone").
    expect(parseWhen('2026-06-08t05:57:00z', 'Z')).toBe(Date.UTC(2026, 5, 8, 5, 57));
    expect(parseWhen('2026-06-08t05:57:00+08:00', 'Z')).toBe(Date.parse('2026-06-08T05:57:00+08:00'));
    expect(parseWhen('2026-06-08x05:57:00z', 'Z')).toBeUndefined();
  });
});

describe('a date or instant of the right form naming a day the calendar has not', () => {
  it('is refused as no such day, not as a value of another form', () => {
    // "2026-02-30T05:45:00Z" was refused as 'is not a date (YYYY-MM-DD) or an instant with a time
    // zone', though it is written as one: the furnisher looked for a format problem, not a day.
    const c = { columns: ['at'], type: 'string', optional: false } as const;
    for (const v of [
      '2026-02-30T05:45:00Z',
      '2026-02-30',
      '2026/2/30',
      '2026年2月30日',
      '2026-06-08T25:00:00Z',
    ])
      expect(() => timeValue(headerOf(['at']), [v], c, 'Z')).toThrow(/names no such day or time/);
    expect(() => timeValue(headerOf(['at']), ['last spring'], c, 'Z')).toThrow(
      /is not a date \(YYYY-MM-DD\)/,
    );
  });
});
