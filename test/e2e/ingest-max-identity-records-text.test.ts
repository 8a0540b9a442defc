import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { makeWorld } from './cli.js';

// `--max-identity-records ""` (an unset shell variable), " " or "0x10" passed Number() as 0 or 16
// and "1e3" as 1000: an empty value silently bounded the engine to no records at all, where
// --batch-size and generate's numbers refuse anything but digits.
const w = makeWorld();
afterAll(() => w.dispose());

describe('credence ingest --max-identity-records (real binary)', () => {
  it('refuses anything but digits or "none", before reading a line', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom('', ' ', '1e3', '0x10', ' 5', '5 ', '+5', '-0', '1.0', 'None', 'Infinity'),
          fc
            .string()
            .filter((s) => !/^\d+$/.test(s) && s !== 'none' && !s.startsWith('-') && !s.includes('\0')),
        ),
        (text) => {
          const r = w.run(['ingest', '-', '--max-identity-records', text], { input: 'not json\n' });
          expect(r.code).toBe(2);
          expect(r.stdout).toBe('');
          expect(r.stderr).toBe(
            `error: --max-identity-records must be a whole number of records or "none", got "${text}"\n  [CREDENCE_E_USAGE]\n`,
          );
        },
      ),
      { numRuns: 15 },
    );
  });

  it('still takes digits and "none"', () => {
    for (const text of ['0', '40', 'none']) {
      const r = w.run(['ingest', '-', '--max-identity-records', text], { input: '' });
      expect(r.code, text).toBe(0);
    }
  });
});
