import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, MARKETPLACE, makeWorld, type World } from '../e2e/cli.js';
import { ALICE_CASE, BOB_CASE, COURT_HEADER, courtRow, courtWorld, writeCsv } from './court-world.js';

// Three things the import's report got wrong (real binary, real database):
// - a refused conflict was counted among the rows' refusals while the facts line said nothing of
//   it, so "2 facts: 1 new, 0 already stored" did not add up;
// - a delta's refusals came out by stage (the rows the mapping refused, then the entries' changes
//   refused, then what ingest refused), not in the file's line order;
// - a delta update that changes nothing was stored as a fact, a change that changed nothing.

interface Report {
  rows: number;
  skipped: number;
  rowsRefused: number;
  unchanged: number;
  pastDeletion?: number;
  facts: number;
  accepted: number;
  duplicates: number;
  factsRefused: number;
  refused: number;
  refusals: { line: number; column?: string; reason: string; code: string }[];
}

const PAY_HEADER =
  'record_id,event,occurred_at,account,phone,national_id,name,amount,items,balance,method,item,on_time';
const pay = (id: string, amount: string) =>
  `${id},payment,2026-06-08T05:57:00Z,pay:wei_l,+8615642634224,500103195809216697,Lin Wei,${amount},,,,,`;

const DELTA_HEADER = `${COURT_HEADER},change,changed_on`;

describe('import summary (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('a refused conflict is counted among the facts, and each line of the summary adds up', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    expect(w.run(['import', 'pay', writeCsv(w, 'p1.csv', [PAY_HEADER, pay('pay-1', '10.00')])]).code).toBe(0);
    // pay-1 again with another amount: a conflict; pay-2 is new.
    const f = writeCsv(w, 'p2.csv', [PAY_HEADER, pay('pay-1', '99.00'), pay('pay-2', '5.00')]);
    const r = w.run(['import', 'pay', f]);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('CREDENCE_E_FACT_CONFLICT');
    expect(r.stdout).toContain('2 rows, 0 skipped, 0 refused\n');
    expect(r.stdout).toMatch(/2 facts \([^)]*\): 1 new, 0 already stored, 1 refused;/);
    const j = JSON.parse(w.run(['import', 'pay', f, '--json']).stdout) as Report;
    expect(j).toMatchObject({ rows: 2, rowsRefused: 0, unchanged: 0, facts: 2, refused: 1 });
    expect(j.accepted + j.duplicates + j.factsRefused).toBe(j.facts);
    expect(j).toMatchObject({ accepted: 0, duplicates: 1, factsRefused: 1 });
  });

  it("a delta's refusals are printed in line order, whichever stage refused them", () => {
    w = courtWorld();
    const carol = { ...BOB_CASE, caseCode: '(2025)鲁1082执300号' };
    const f = writeCsv(w, 'd.csv', [
      DELTA_HEADER,
      // line 2: an update of an entry never listed (refused with the entry's change)
      courtRow(ALICE_CASE, ['updated', '2026-07-02']),
      // line 3: a value the mapping does not know (refused with the row)
      courtRow({ ...BOB_CASE, sex: 'X' }, ['listed', '2026-07-01']),
      // line 4: a removal of an entry never listed
      courtRow(carol, ['removed', '2026-07-03']),
      // line 5: an empty case code
      courtRow({ ...carol, caseCode: '' }, ['listed', '2026-07-01']),
    ]);
    const r = w.run(['import', 'court', f, '--mode', 'delta']);
    expect(r.code).toBe(3);
    const lines = r.stderr
      .split('\n')
      .filter((l) => l.startsWith(`${f}:`))
      .map((l) => Number(/^[^:]*:(\d+) /.exec(l)?.[1]));
    expect(lines).toEqual([2, 3, 4, 5]);
    const j = JSON.parse(w.run(['import', 'court', f, '--mode', 'delta', '--json']).stdout) as Report;
    expect(j.refusals.map((x) => x.line)).toEqual([2, 3, 4, 5]);
    expect(j).toMatchObject({ rows: 4, rowsRefused: 4, facts: 0 });
  });

  it('a delta update that changes nothing stores nothing and is counted unchanged; run again, still nothing', () => {
    w = courtWorld();
    const delta = (name: string, rows: string[]) =>
      w.run(['import', 'court', writeCsv(w, name, [DELTA_HEADER, ...rows]), '--mode', 'delta', '--json']);
    expect(delta('d1.csv', [courtRow(ALICE_CASE, ['listed', '2026-07-01'])]).code).toBe(0);
    const before = dumpDatabase(w.db).facts;
    // The same entry, word for word, as an update: nothing changed.
    const same = [courtRow(ALICE_CASE, ['updated', '2026-07-10'])];
    const r = delta('d2.csv', same);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 1, unchanged: 1, facts: 0, accepted: 0, refused: 0 });
    expect(dumpDatabase(w.db).facts).toEqual(before);
    const again = delta('d2-again.csv', same);
    expect(JSON.parse(again.stdout)).toMatchObject({ rows: 1, unchanged: 1, facts: 0, accepted: 0 });
    expect(dumpDatabase(w.db).facts).toEqual(before);
    // In one file with its listing: the listing stored, the update nothing; the file again, nothing.
    const both = [
      courtRow(BOB_CASE, ['listed', '2026-07-01']),
      courtRow(BOB_CASE, ['updated', '2026-07-05']),
    ];
    expect(JSON.parse(delta('d3.csv', both).stdout)).toMatchObject({ accepted: 1, unchanged: 1 });
    expect(JSON.parse(delta('d3-again.csv', both).stdout)).toMatchObject({
      accepted: 0,
      duplicates: 1,
      unchanged: 1,
    });
    // A real change is still an update, and the summary says so in text too.
    const changed = w.run([
      'import',
      'court',
      writeCsv(w, 'd4.csv', [
        DELTA_HEADER,
        courtRow({ ...ALICE_CASE, performance: '部分履行' }, ['updated', '2026-07-12']),
        ...same,
      ]),
      '--mode',
      'delta',
    ]);
    expect(changed.code).toBe(0);
    expect(changed.stdout).toContain('2 rows, 0 skipped, 0 refused, 1 unchanged');
    expect(changed.stdout).toMatch(/1 facts \(court\.blacklist_updated 1\): 1 new/);
  });
});
