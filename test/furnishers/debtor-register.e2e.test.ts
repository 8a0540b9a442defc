import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, ROOT, type World } from '../e2e/cli.js';
import { ALICE_ID, BOB_ID, courtWorld, scoreOf, writeCsv } from './court-world.js';

const HEADER =
  'register,file_number,surname,given_name,date_of_birth,national_id,address,entry_date,entry_reason,deletion_date';
const REGISTER = 'Weihai enforcement court debtor register';

/** One register entry: Alice's file DR-1 or Bob's DR-2, with its deletion date ('' for none). */
function row(who: 'alice' | 'bob', deletion: string): string {
  return who === 'alice'
    ? [
        REGISTER,
        'DR-1',
        'Wang',
        'Li',
        '1949-12-31',
        ALICE_ID,
        '',
        '2026-01-10',
        'insolvency-refused',
        deletion,
      ].join(',')
    : [
        REGISTER,
        'DR-2',
        'Zhang',
        'Wei',
        '1990-03-07',
        BOB_ID,
        '',
        '2026-01-10',
        'insolvency-refused',
        deletion,
      ].join(',');
}

interface Report {
  facts: number;
  accepted: number;
  refused: number;
  factsByType: Record<string, number>;
}

const flagged = (w: World, nid: string, asOf: string): boolean =>
  scoreOf(w, nid, `${asOf}T12:00:00Z`).flags.includes('registered-debtor');

// A debtor register's snapshot schedules each entry's removal on its deletion date; a later
// snapshot that moves or drops that date must move or drop the removal with it.
describe('debtor register deletion dates that change (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  function importAt(
    lines: readonly string[],
    asOf: string,
    name = `s-${asOf}.csv`,
    extra: string[] = [],
  ): Report {
    const file = writeCsv(w, name, [HEADER, ...lines]);
    const r = w.json<Report>(['import', 'debtor-register', file, '--as-of', asOf, ...extra]);
    expect(r.refused).toBe(0);
    return r;
  }

  it('a deletion date pushed back keeps the flag past the old date and clears it on the new one', () => {
    w = courtWorld();
    importAt([row('alice', '2026-09-01'), row('bob', '2026-09-01')], '2026-06-30');
    expect(flagged(w, ALICE_ID, '2026-08-31')).toBe(true);
    expect(flagged(w, ALICE_ID, '2026-09-02')).toBe(false);

    // The register extended Alice's entry to 2026-12-01; Bob's is unchanged.
    const r = importAt([row('alice', '2026-12-01'), row('bob', '2026-09-01')], '2026-07-31');
    expect(r.accepted).toBe(2);
    expect(flagged(w, ALICE_ID, '2026-09-02')).toBe(true);
    expect(flagged(w, ALICE_ID, '2026-11-30')).toBe(true);
    expect(flagged(w, ALICE_ID, '2026-12-02')).toBe(false);
    expect(flagged(w, BOB_ID, '2026-09-02')).toBe(false);

    // The same snapshot again, then the first one's successor once more: nothing new.
    const before = dumpDatabase(w.db);
    const again = importAt([row('alice', '2026-12-01'), row('bob', '2026-09-01')], '2026-07-31', 'again.csv');
    expect(again).toMatchObject({ facts: 0, accepted: 0 });
    expect(dumpDatabase(w.db)).toEqual(before);
  });

  it('a deletion date moved earlier, still ahead, clears the flag on the new date', () => {
    w = courtWorld();
    importAt([row('alice', '2026-12-01')], '2026-06-30');
    importAt([row('alice', '2026-09-01')], '2026-07-31');
    expect(flagged(w, ALICE_ID, '2026-08-31')).toBe(true);
    expect(flagged(w, ALICE_ID, '2026-09-02')).toBe(false);
    expect(flagged(w, ALICE_ID, '2026-12-02')).toBe(false);
  });

  it('a deletion date dropped from the entry keeps it listed', () => {
    w = courtWorld();
    // The shipped mapping requires the date; a register that may leave it empty maps it optional.
    const mapping = join(w.dir, 'debtor-register.yaml');
    const shipped = readFileSync(join(ROOT, 'examples/sources/debtor-register.yaml'), 'utf8');
    const optional = shipped.replace(
      '  deletion_date: deletion_date\n',
      '  deletion_date: { column: deletion_date, optional: true }\n',
    );
    expect(optional).not.toBe(shipped);
    writeFileSync(mapping, optional);
    const m = ['--mapping', mapping];
    importAt([row('alice', '2026-09-01')], '2026-06-30', 's1.csv', m);
    importAt([row('alice', '')], '2026-07-31', 's2.csv', m);
    expect(flagged(w, ALICE_ID, '2026-09-02')).toBe(true);
    expect(flagged(w, ALICE_ID, '2027-06-01')).toBe(true);
    // Given again later, the date schedules the removal again.
    importAt([row('alice', '2026-09-01')], '2026-08-15', 's3.csv', m);
    expect(flagged(w, ALICE_ID, '2026-08-31')).toBe(true);
    expect(flagged(w, ALICE_ID, '2026-09-02')).toBe(false);
  });

  it('a deletion date moved to one already passed ends the entry then, with no second removal', () => {
    w = courtWorld();
    importAt([row('alice', '2026-12-01')], '2026-06-30');
    const r = importAt([row('alice', '2026-07-15')], '2026-07-31');
    expect(r.factsByType['registry.debtor_removed']).toBe(1);
    expect(flagged(w, ALICE_ID, '2026-07-14')).toBe(true);
    expect(flagged(w, ALICE_ID, '2026-07-16')).toBe(false);
    expect(flagged(w, ALICE_ID, '2026-12-02')).toBe(false);
    const file = w.json<{ facts: { type: string; occurredAt: string }[] }>(['export', ALICE_ID]);
    expect(file.facts.filter((f) => f.type === 'registry.debtor_removed')).toEqual([
      expect.objectContaining({ occurredAt: '2026-07-15T00:00:00.000Z' }),
    ]);
  });

  it('an entry that now names another person moves to them, and still ends on its deletion date', () => {
    w = courtWorld();
    importAt([row('alice', '2026-12-01')], '2026-06-30');
    // The register corrected file DR-1 to Bob; the deletion date is the same.
    const bob = row('bob', '2026-12-01').replace('DR-2', 'DR-1');
    importAt([bob], '2026-07-31');
    expect(flagged(w, ALICE_ID, '2026-07-15')).toBe(true);
    expect(flagged(w, ALICE_ID, '2026-08-01')).toBe(false);
    expect(flagged(w, BOB_ID, '2026-08-01')).toBe(true);
    // The removal scheduled on 1 December was Alice's: Bob's entry ends then too.
    expect(flagged(w, BOB_ID, '2026-12-02')).toBe(false);
    const before = dumpDatabase(w.db);
    expect(importAt([bob], '2026-07-31', 'again.csv')).toMatchObject({ facts: 0 });
    expect(dumpDatabase(w.db)).toEqual(before);
  });
});
