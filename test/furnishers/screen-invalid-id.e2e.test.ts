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
} from './court-world.js';

interface ScreenJson {
  candidates: { subjectId: string; score: number; explanation: string[] }[];
}

const AS_OF = '2026-07-01T00:00:00Z';

/** Alice's ID with one digit keyed wrong: its GB 11643 check character no longer agrees. */
const ALICE_TYPO = `${ALICE_ID.slice(0, 15)}7${ALICE_ID.slice(16)}`;

// DESIGN.md: a strong identifier that fails its check is kept as a weak attribute, never trusted.
// A screening query's ID that agrees with a listing confirms it, one that differs rules the listing
// out; an ID that fails its own check character is a keying slip, and ruling a listed debtor out on
// it answered "no flagged person matches" for the person listed.
describe('credence screen with an ID number that fails its check (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('does not rule a candidate out on it, and says it was not used; a valid different ID still does', () => {
    w = courtWorld();
    importSnapshot(w, 's1.csv', [courtRow(ALICE_CASE), courtRow(BOB_CASE)], '2026-06-30');
    const screen = (id: string) =>
      w.json<ScreenJson>(['screen', '--name', '王丽', '--id', id, '--as-of', AS_OF]);

    const typo = screen(ALICE_TYPO);
    expect(typo.candidates).toHaveLength(1);
    expect(typo.candidates[0]?.explanation.join('\n')).toMatch(/check character/);
    expect(screen(ALICE_TYPO.toLowerCase()).candidates).toHaveLength(1);
    // A valid ID of somebody else is still evidence against: a namesake.
    expect(screen(BOB_ID).candidates).toEqual([]);
    expect(screen(ALICE_ID).candidates[0]?.score).toBe(1);
    // Typed in full width, it is the same ID: it confirms the listing.
    const wide = [...ALICE_ID].map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).join('');
    expect(screen(wide).candidates[0]?.explanation.join('\n')).toMatch(/same ID number/);
  });

  it('does not rule out a listing whose own ID number fails its check', () => {
    w = courtWorld();
    // The court keyed the listed person's ID wrong; a relying party holds the right one.
    const listed = { ...ALICE_CASE, id: ALICE_TYPO };
    importSnapshot(w, 's1.csv', [courtRow(listed)], '2026-06-30');
    // The listing's person is not opted in (another person record): enrol them as the court lists them.
    const enrol = w.run(['ingest', '-'], {
      input: `${JSON.stringify({
        id: 'e3',
        source: 'city-civic-enrolment',
        type: 'credence.opt_in',
        occurredAt: '2024-01-01T00:00:00Z',
        subject: { national_id: ALICE_TYPO },
        data: { program: 'city-civic' },
      })}\n`,
    });
    expect(enrol.code, enrol.stderr).toBe(0);
    const hit = w.json<ScreenJson>(['screen', '--name', '王丽', '--id', ALICE_ID, '--as-of', AS_OF]);
    expect(hit.candidates).toHaveLength(1);
    expect(hit.candidates[0]?.explanation.join('\n')).toMatch(/check character/);
  });
});
