import { afterEach, describe, expect, it } from 'vitest';
import type { World } from '../e2e/cli.js';
import {
  ALICE_CASE,
  ALICE_ID,
  BOB_CASE,
  BOB_ID,
  courtRow,
  courtWorld,
  importSnapshot,
  scoreOf,
} from './court-world.js';

/** Digits and letters in full width, as a Chinese input method in full-width mode types them. */
const fullWidth = (s: string): string =>
  [...s].map((c) => (/[0-9A-Za-z]/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('');

// docs/sources.md reads full-width digits in numbers and dates. An ID number typed in full width
// (１１０１０５…００２Ｘ) was sent to identity resolution as it stood, where it is no resident ID: the
// listing made a new person, and the debtor it names held no flag and no travel ban.
describe('identifiers typed in full width (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('are read as the same identifiers: the listing lands on the person it names', () => {
    w = courtWorld();
    const alice = { ...ALICE_CASE, id: fullWidth(ALICE_ID.toLowerCase()) };
    const bob = { ...BOB_CASE, id: fullWidth(BOB_ID) };
    const r = importSnapshot<{ subjectsCreated: number; refused: number }>(
      w,
      's1.csv',
      [courtRow(alice), courtRow(bob)],
      '2026-06-30',
    );
    expect(r).toMatchObject({ subjectsCreated: 0, refused: 0 });
    for (const id of [ALICE_ID, BOB_ID]) {
      const s = scoreOf(w, id, '2026-07-01T00:00:00Z');
      expect(s.flags).toContain('dishonest-debtor');
      expect(s.restrictions['no-flights']).toBe(true);
    }
  });
});
