import { afterAll, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld } from './cli.js';

// `--as-of --json` (the value forgotten) took "--json" as the instant and said it "is not an ISO
// 8601 instant", which reads as a format problem; it now says the value is missing.
const w = makeWorld({ programs: [MARKETPLACE] });
afterAll(() => w.dispose());

describe('an instant option followed by another option instead of its value (real binary)', () => {
  it('says the value is missing and names the option taken for it (CREDENCE_E_USAGE, exit 2)', () => {
    for (const [args, flag, next] of [
      [['score', 'P0000001', '--program', 'marketplace', '--as-of', '--json'], '--as-of', '--json'],
      [['explain', 'P0000001', '--program', 'marketplace', '--as-of', '--json'], '--as-of', '--json'],
      [['consent', 'P0000001', '--program', 'marketplace', '--opt-in', '--at', '--json'], '--at', '--json'],
      [['purge', '--dry-run', '--as-of', '--json'], '--as-of', '--json'],
    ] as const) {
      const r = w.run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe(
        `error: ${flag} needs an instant (e.g. 2026-03-01T10:00:00Z), but was followed by the option ${next}\n  [CREDENCE_E_USAGE]\n`,
      );
    }
  });
});
