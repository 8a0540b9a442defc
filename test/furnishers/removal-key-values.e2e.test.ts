import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld, type World } from '../e2e/cli.js';
import { ALICE_ID, BOB_ID, courtWorld, scoreOf, writeCsv } from './court-world.js';

// A snapshot's removal of an entry gone from the file is built from the entry's key alone. Its
// data was the key's text as the file wrote it, so a court written as a code the mapping
// translates (`HC` → `Harbour Court`) was removed as `HC`: the removal did not pair with the
// listing (city-civic's flag is keyed by court and case) and the flag, and the travel bans that
// read it, stayed. A court list of one court, whose court is a constant of the mapping, could not
// be imported at all ("must be read from one of the key columns").

const HEADER = 'name,id,court,case,registered,published';

function mapping(w: World, court: string, key: string): string {
  const path = join(w.dir, 'court.yaml');
  writeFileSync(
    path,
    [
      'source: harbour-court',
      'kind: court',
      'types: [court.blacklist_listed, court.blacklist_removed]',
      'subject: { full_name: name, national_id: id }',
      'data:',
      `  court: ${court}`,
      '  case: case',
      '  ground: { const: refuses-to-perform }',
      'register:',
      `  key: [${key}]`,
      '  listed: { type: court.blacklist_listed, at: registered }',
      '  removed: { type: court.blacklist_removed }',
      '  asOf: published',
      '  removalData: [court, case]',
      '',
    ].join('\n'),
  );
  return path;
}

describe('a snapshot removal of an entry whose court the mapping translates or fixes (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  for (const [what, court, key, cell] of [
    ['a code translated by values', '{ column: court, values: { HC: Harbour Court } }', 'court, case', 'HC'],
    ['a constant of the mapping', '{ const: Harbour Court }', 'case', ''],
  ] as const) {
    it(`clears the flag the listing set: court as ${what}`, () => {
      w = courtWorld();
      const map = mapping(w, court, key);
      const first = writeCsv(w, 'june.csv', [
        HEADER,
        `Wang Li,${ALICE_ID},${cell},C-1,2026-05-01,2026-06-01`,
        `Zhang Wei,${BOB_ID},${cell},C-2,2026-05-01,2026-06-01`,
      ]);
      const r1 = w.run(['import', 'harbour-court', first, '--mapping', map]);
      expect(r1.code, r1.stderr).toBe(0);
      expect(scoreOf(w, ALICE_ID, '2026-06-15T00:00:00Z').flags).toEqual(['dishonest-debtor']);

      // July's list no longer holds Alice's entry: the court removed it.
      const second = writeCsv(w, 'july.csv', [
        HEADER,
        `Zhang Wei,${BOB_ID},${cell},C-2,2026-05-01,2026-07-01`,
      ]);
      const r2 = w.run(['import', 'harbour-court', second, '--mapping', map, '--json']);
      expect(r2.code, r2.stderr).toBe(0);
      expect(JSON.parse(r2.stdout).factsByType).toEqual({ 'court.blacklist_removed': 1 });

      const alice = scoreOf(w, ALICE_ID, '2026-07-15T00:00:00Z');
      expect(alice.flags).toEqual([]);
      expect(alice.restrictions['no-flights']).toBe(false);
      expect(scoreOf(w, BOB_ID, '2026-07-15T00:00:00Z').flags).toEqual(['dishonest-debtor']);

      // The same list again changes nothing.
      const r3 = w.json<{ accepted: number }>(['import', 'harbour-court', second, '--mapping', map]);
      expect(r3.accepted).toBe(0);
    });
  }
});

// `values` reads a cell ignoring case and full width, so `hc` is the court `HC` is; the entry's
// key kept the cell's own spelling, so next month's list writing `hc` named a new entry: the old one
// was taken for gone and removed as of the snapshot, after the new listing (dated by its
// registration), and the flag of a person still on the list was lifted.
describe('a key column read through values, written in another case the next month (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('is the same entry: nothing is removed and the flag holds', () => {
    w = courtWorld();
    const map = mapping(w, '{ column: court, values: { HC: Harbour Court } }', 'court, case');
    const june = writeCsv(w, 'june.csv', [HEADER, `Wang Li,${ALICE_ID},HC,C-1,2026-05-01,2026-06-01`]);
    const r1 = w.run(['import', 'harbour-court', june, '--mapping', map]);
    expect(r1.code, r1.stderr).toBe(0);

    for (const [name, cell] of [
      ['july.csv', 'hc'],
      ['august.csv', 'ＨＣ'],
    ] as const) {
      const file = writeCsv(w, name, [HEADER, `Wang Li,${ALICE_ID},${cell},C-1,2026-05-01,2026-07-01`]);
      const r = w.json<{ accepted: number; unchanged: number }>([
        'import',
        'harbour-court',
        file,
        '--mapping',
        map,
      ]);
      expect(r).toMatchObject({ accepted: 0, unchanged: 1 });
    }
    expect(scoreOf(w, ALICE_ID, '2026-07-15T00:00:00Z').flags).toEqual(['dishonest-debtor']);
  });
});

// The same for a bureau file: each month's fact is named by the account's key, so next month's file,
// which repeats 23 months, writing the lender's code in another case stored all 24 again, and every
// month of the account counted twice.
describe('a bureau account keyed by a column read through values, in another case the next month (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('adds only the new month', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const map = join(w.dir, 'bureau.yaml');
    writeFileSync(
      map,
      [
        'source: zest-bureau',
        'kind: bureau',
        'types: [loan.repaid, loan.overdue, loan.settled, loan.defaulted]',
        'subject: { national_id: id }',
        'data: { lender: { column: bank, values: { HB: Harbour Bank } }, loan: acct }',
        'grid:',
        '  key: [bank, acct]',
        '  column: grid',
        '  lastMonth: through',
        '  amount: monthly',
        '  types: { normal: loan.repaid, overdue: loan.overdue, settled: loan.settled, defaulted: loan.defaulted }',
        '',
      ].join('\n'),
    );
    const head = 'bank,acct,id,monthly,through,grid';
    const grid = 'N'.repeat(23);
    const sept = writeCsv(w, 'sept.csv', [head, `HB,A-1,${ALICE_ID},100,2026-09,${grid}1`]);
    expect(w.json<{ accepted: number }>(['import', 'zest-bureau', sept, '--mapping', map]).accepted).toBe(24);
    const oct = writeCsv(w, 'oct.csv', [head, `hb,A-1,${ALICE_ID},100,2026-10,${grid.slice(1)}1N`]);
    const r = w.json<{ accepted: number; duplicates: number }>([
      'import',
      'zest-bureau',
      oct,
      '--mapping',
      map,
    ]);
    expect(r).toMatchObject({ accepted: 1, duplicates: 23 });
    // September's month 1 overdue counts once (-12), not once per file.
    const scored = w.json<{ reasons: { code: string; points: number }[] }>([
      'score',
      ALICE_ID,
      '--program',
      'marketplace',
      '--as-of',
      '2026-11-01T00:00:00Z',
    ]);
    expect(scored.reasons.find((x) => x.code === 'C20')?.points).toBe(-12);
  });
});
