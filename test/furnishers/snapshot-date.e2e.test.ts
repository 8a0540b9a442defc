import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, type World } from '../e2e/cli.js';
import {
  ALICE_CASE,
  ALICE_ID,
  BOB_CASE,
  COURT_HEADER,
  courtRow,
  courtWorld,
  importSnapshot,
  scoreOf,
  writeCsv,
} from './court-world.js';

// A snapshot without --as-of is dated by the latest value of the mapping's asOf column (the court
// list's publication date). One mistyped year in that column (2062 for 2026) dated the whole list
// decades ahead: the entries gone from it were removed in 2062, so their people kept the flag and
// every travel ban until then, and no later snapshot could end it (the entry was already removed).
describe('a snapshot dated by a date in the future (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  const chen = {
    name: '陈明',
    sex: '男',
    id: '110101199003074530',
    court: '荣成市人民法院',
    caseCode: '(2026)鲁1082执300号',
    registered: '2026-07-20',
  };

  it('is refused before any row is read, naming the row, the column and the date; --as-of imports it', () => {
    w = courtWorld();
    importSnapshot(w, 's1.csv', [courtRow(ALICE_CASE), courtRow(BOB_CASE)], '2026-06-30');
    // Chen's publication date mistyped 2062 for 2026: the file, not Alice's removal, is wrong.
    const typo = courtRow(chen).replace(/,2026-07-20,2026-07-20,/, ',2026-07-20,2062-07-21,');
    const file = writeCsv(w, 's2.csv', [COURT_HEADER, courtRow(BOB_CASE), typo]);
    const before = dumpDatabase(w.db);
    const r = w.run(['import', 'court', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/s2\.csv:3 column published_on: "2062-07-21" is in the future/);
    expect(r.stderr).toMatch(/--as-of/);
    expect(dumpDatabase(w.db)).toEqual(before);

    const ok = w.json<{ asOf: string; factsByType: Record<string, number> }>([
      'import',
      'court',
      file,
      '--as-of',
      '2026-07-31',
    ]);
    expect(ok.factsByType).toEqual({ 'court.blacklist_listed': 1, 'court.blacklist_removed': 1 });
    const alice = scoreOf(w, ALICE_ID, '2026-08-01T00:00:00Z');
    expect(alice.flags).not.toContain('dishonest-debtor');
    expect(alice.restrictions['no-flights']).toBe(false);
  });
});
