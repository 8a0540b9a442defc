import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../identity/validate/resident-id.js';
import { compareCountry, compareId } from './qualifiers.js';

// A first-generation ID: area, YYMMDD of the 1900s, sequence; and its 18-character upgrade.
const pair = fc
  .tuple(
    fc.integer({ min: 110000, max: 659999 }),
    fc.date({
      min: new Date('1920-01-01T00:00:00Z'),
      max: new Date('1999-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    fc.integer({ min: 0, max: 999 }),
  )
  .map(([area, d, seq]) => {
    const ymd = d.toISOString().slice(0, 10).replace(/-/g, '');
    const s = String(seq).padStart(3, '0');
    const first17 = `${area}${ymd}${s}`;
    return { short: `${area}${ymd.slice(2)}${s}`, long: first17 + residentIdCheckChar(first17) };
  });

describe('screening by a 15-digit first-generation ID', () => {
  it('matches the listed 18-character ID and its masked form, either way round', () => {
    fc.assert(
      fc.property(pair, ({ short, long }) => {
        const masked = `${long.slice(0, 10)}****${long.slice(14)}`;
        expect(compareId(short, long).outcome).toBe('match');
        expect(compareId(long, short).outcome).toBe('match');
        expect(compareId(short, masked).outcome).toBe('match');
      }),
    );
  });

  it('still tells another person apart', () => {
    fc.assert(
      fc.property(pair, pair, (x, y) => {
        fc.pre(x.long !== y.long);
        expect(compareId(x.short, y.long).outcome).toBe('differs');
      }),
    );
  });
});

describe('screening by country, ISO or ICAO', () => {
  it('reads CN as CHN and D as DEU: one country is one country in either system', () => {
    for (const [a, b] of [
      ['CN', 'CHN'],
      ['cn', 'CHN'],
      ['D', 'DEU'],
      ['DE', 'D'],
      ['GB', 'GBR'],
    ] as const) {
      expect(compareCountry(a, b).outcome).toBe('match');
      expect(compareCountry(b, a).outcome).toBe('match');
    }
    expect(compareCountry('CN', 'KOR').outcome).toBe('differs');
    expect(compareCountry('D', 'AUT').outcome).toBe('differs');
    // A two-letter code outside ISO's table tells nothing against a three-letter one.
    expect(compareCountry('XY', 'CHN').outcome).toBe('unknown');
  });
});
