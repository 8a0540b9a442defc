import { describe, expect, it } from 'vitest';
import { durationWords } from './point-context.js';

// `credence explain` said of a rule with `decay: { halfLife: PT36H }` that it "halves every PT36H",
// and of one after P1.5D "P1.5D", where P30D read "30 days": only whole days, weeks, months and
// years were put in words.
describe('durationWords', () => {
  it('puts every unit of an ISO 8601 duration in words, fractions too', () => {
    expect(durationWords('PT36H')).toBe('36 hours');
    expect(durationWords('P1DT12H')).toBe('1 day 12 hours');
    expect(durationWords('PT1H30M')).toBe('1 hour 30 minutes');
    expect(durationWords('PT90S')).toBe('90 seconds');
    expect(durationWords('P1.5D')).toBe('1.5 days');
    expect(durationWords('P0.5Y')).toBe('0.5 years');
    // As before.
    expect(durationWords('P30D')).toBe('30 days');
    expect(durationWords('P1Y2M')).toBe('1 year 2 months');
    expect(durationWords('P2W')).toBe('2 weeks');
  });

  it('leaves what is not a duration as written', () => {
    for (const text of ['P', 'PT', 'P1H', '30D', 'P1DT', 'soon']) expect(durationWords(text)).toBe(text);
  });
});
