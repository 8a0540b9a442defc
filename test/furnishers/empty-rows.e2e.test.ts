import { afterEach, describe, expect, it } from 'vitest';
import type { World } from '../e2e/cli.js';
import {
  ALICE_CASE,
  ALICE_ID,
  BOB_CASE,
  BOB_ID,
  COURT_HEADER,
  courtRow,
  courtWorld,
  importSnapshot,
  scoreOf,
  writeCsv,
} from './court-world.js';

// A spreadsheet saved as CSV writes its empty rows as delimiters only (`,,,,`), often a few at the
// end. Each was a row refused for an empty key, and a refused row naming no entry withholds every
// removal of a snapshot: the people gone from the list kept their flags and travel bans.
describe('empty spreadsheet rows (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('are skipped like empty lines: the snapshot imports and removes what it no longer holds', () => {
    w = courtWorld();
    importSnapshot(w, 's1.csv', [courtRow(ALICE_CASE), courtRow(BOB_CASE)], '2026-06-30');
    const empty = ','.repeat(COURT_HEADER.split(',').length - 1);
    const file = writeCsv(w, 's2.csv', [COURT_HEADER, courtRow(BOB_CASE), empty, ` ${empty} `, empty]);
    const r = w.run(['import', 'court', file, '--as-of', '2026-07-31', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      rows: 1,
      refused: 0,
      factsByType: { 'court.blacklist_removed': 1 },
    });
    const alice = scoreOf(w, ALICE_ID, '2026-08-01T00:00:00Z');
    expect(alice.flags).not.toContain('dishonest-debtor');
    expect(alice.restrictions['no-flights']).toBe(false);
    expect(scoreOf(w, BOB_ID, '2026-08-01T00:00:00Z').flags).toContain('dishonest-debtor');
  });
});
