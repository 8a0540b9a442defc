import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CITY_CIVIC, makeWorld, type World } from '../e2e/cli.js';
import { COURT_HEADER, courtRow, type Entry } from './court-world.js';

// A register row whose listing is already past its type's retention is refused by ingest
// (CREDENCE_E_FACT_PAST_RETENTION). Nothing else of that row may be stored: not the removal its
// deletion date schedules (a removal of a listing never stored clears nothing), not the person's
// identifiers or records it would bring. Nor a later delta row's change to that entry, which
// changes nothing stored. Dates are relative to now: the ingest clock is the wall clock.

const DAY = 86_400_000;
const YEAR = 365 * DAY;
const day = (t: number) => new Date(t).toISOString().slice(0, 10);

const HEADER =
  'register,file_number,surname,given_name,date_of_birth,national_id,address,entry_date,entry_reason,deletion_date';
const OLD_ID = '330106200008301227';
const NEW_ID = '11010519491231002X';

function query<T>(db: string, sql: string, ...args: unknown[]): T[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).all(...args) as T[];
  } finally {
    d.close();
  }
}

const count = (db: string, sql: string, ...args: unknown[]): number =>
  Object.values(query<Record<string, number>>(db, sql, ...args)[0] ?? {})[0] ?? -1;

/** Everything stored about a person and an entry: facts by id, identifier rows, identity records. */
function traces(w: World, entry: string, nationalId: string, name: string) {
  return {
    facts: query<{ id: string }>(w.db, 'SELECT id FROM facts WHERE id LIKE ? ORDER BY id', `%${entry}#%`).map(
      (r) => r.id,
    ),
    identifiers: count(w.db, 'SELECT count(*) FROM identifiers WHERE value = ?', nationalId),
    records: count(w.db, 'SELECT count(*) FROM identity_records WHERE body LIKE ?', `%${name}%`),
  };
}

interface Report {
  accepted: number;
  duplicates: number;
  refused: number;
  facts: number;
}

describe('a register row whose listing is past retention stores nothing (real binary, real SQLite file)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('a snapshot row with its deletion date ahead: one refusal, no scheduled removal, no identifiers; re-imports and later snapshots store nothing of it', () => {
    w = makeWorld({ programs: [CITY_CIVIC] });
    const now = Date.now();
    // registry.debtor_listed is kept P3Y in city-civic: DR-1 was entered four years ago and the
    // register deletes it next year; DR-2 was entered last year.
    const rows = [
      `Weihai register,DR-1,Lin,Na,2000-08-30,${OLD_ID},,${day(now - 4 * YEAR)},refused-asset-disclosure,${day(now + YEAR)}`,
      `Weihai register,DR-2,Wang,Li,1949-12-31,${NEW_ID},,${day(now - YEAR)},refused-asset-disclosure,${day(now + YEAR)}`,
    ];
    const file = join(w.dir, 'register.csv');
    writeFileSync(file, `${[HEADER, ...rows].join('\n')}\n`);
    const asOf = day(now - DAY);

    // A dry run says the same: DR-2's listing and removal would be created, DR-1's row refused.
    const dry = w.run(['import', 'debtor-register', file, '--as-of', asOf, '--dry-run', '--json']);
    expect(JSON.parse(dry.stdout)).toMatchObject({ facts: 3, accepted: 2, refused: 1 });

    const first = w.run(['import', 'debtor-register', file, '--as-of', asOf]);
    expect(first.code, first.stderr).toBe(3);
    // One refusal for the row, naming its line and the column of the date past retention.
    expect(first.stderr.match(/\[CREDENCE_E_/g), first.stderr).toHaveLength(1);
    expect(first.stderr).toMatch(
      /register\.csv:2 column entry_date: occurred \S+, before \S+: "registry\.debtor_listed" is kept P3Y \(city-civic\).*\[CREDENCE_E_FACT_PAST_RETENTION\]/,
    );
    // Nothing of DR-1: no listing, no removal scheduled on its deletion date, no identifier, no record.
    expect(traces(w, 'DR-1', OLD_ID, 'Lin')).toEqual({ facts: [], identifiers: 0, records: 0 });
    // DR-2 is whole: its listing and the removal on its deletion date.
    expect(traces(w, 'DR-2', NEW_ID, 'Wang').facts).toHaveLength(2);
    const stored = count(w.db, 'SELECT count(*) FROM facts');

    // The same snapshot again is a no-op: the same one refusal, nothing new.
    const again = w.run(['import', 'debtor-register', file, '--as-of', asOf, '--json']);
    expect(again.code).toBe(3);
    expect(JSON.parse(again.stdout)).toMatchObject({ accepted: 0, refused: 1 });
    expect(count(w.db, 'SELECT count(*) FROM facts')).toBe(stored);

    // A later snapshot without DR-1 removes nothing: nothing of it was stored.
    const later = join(w.dir, 'register-later.csv');
    writeFileSync(later, `${[HEADER, rows[1]].join('\n')}\n`);
    const r = JSON.parse(
      w.run(['import', 'debtor-register', later, '--as-of', day(now), '--json']).stdout,
    ) as Report;
    expect(r).toMatchObject({ accepted: 0, refused: 0 });
    expect(traces(w, 'DR-1', OLD_ID, 'Lin')).toEqual({ facts: [], identifiers: 0, records: 0 });
    expect(count(w.db, 'SELECT count(*) FROM facts')).toBe(stored);
  });

  it('a delta that lists an entry past retention and removes it later in the same file stores nothing of it, as a later file would not', () => {
    w = makeWorld({ programs: [CITY_CIVIC] });
    const now = Date.now();
    // court.blacklist_listed is kept P5Y: this entry was registered six years ago.
    const old: Entry = {
      name: '林娜',
      sex: '女',
      id: OLD_ID,
      court: '荣成市人民法院',
      caseCode: '(2020)鲁1082执7号',
      registered: day(now - 6 * YEAR),
    };
    const header = `${COURT_HEADER},change,changed_on`;
    const file = join(w.dir, 'delta.csv');
    writeFileSync(
      file,
      `${[
        header,
        courtRow(old, ['listed', old.registered]),
        // Removed ten days ago: a removal within retention, of a listing that was not stored.
        courtRow(old, ['removed', day(now - 10 * DAY)]),
      ].join('\n')}\n`,
    );
    const first = w.run(['import', 'court', file, '--mode', 'delta']);
    expect(first.code, first.stderr).toBe(3);
    expect(first.stderr).toMatch(
      /delta\.csv:2 column registered_on: occurred \S+, before \S+: "court\.blacklist_listed" is kept P5Y \(city-civic\).*\[CREDENCE_E_FACT_PAST_RETENTION\]/,
    );
    // The removal is refused as it would be in a file of its own: the entry was never listed.
    expect(first.stderr).toMatch(/delta\.csv:3 .*was never listed, so it cannot be removed/);
    expect(traces(w, '(2020)鲁1082执7号', OLD_ID, '林娜')).toEqual({ facts: [], identifiers: 0, records: 0 });
    expect(count(w.db, 'SELECT count(*) FROM facts')).toBe(0);

    const again = w.run(['import', 'court', file, '--mode', 'delta', '--json']);
    expect(again.code).toBe(3);
    expect(JSON.parse(again.stdout)).toMatchObject({ accepted: 0, refused: 2 });
    expect(count(w.db, 'SELECT count(*) FROM facts')).toBe(0);
  });
});
