import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, MARKETPLACE, makeWorld, type World } from '../e2e/cli.js';
import {
  ALICE_CASE,
  ALICE_ID,
  COURT_HEADER,
  courtRow,
  courtWorld,
  importSnapshot,
  maskedId,
  writeCsv,
} from './court-world.js';

// Exports meant for Excel keep an ID number's digits as a text formula (="110105194912310021") or
// behind a text mark ('110105194912310021). Both were stored as written: the identifier named a
// person no one is, so the row made a new person beside the one the ID names, and a court list
// written so one month and plainly the next took its entries for new ones (the old ones removed).
describe('identifiers a spreadsheet export marked as text (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('a platform export: the same person, whichever way the ID and phone are written', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const file = writeCsv(w, 'pay.csv', [
      'record_id,event,occurred_at,account,phone,national_id,name,amount',
      `x1,payment,2026-06-01T00:00:00Z,pay:x1,13812345678,${ALICE_ID},Li,1`,
      `x2,payment,2026-06-02T00:00:00Z,pay:x2,="13812345678",="${ALICE_ID}",Li,1`,
      `x3,payment,2026-06-03T00:00:00Z,pay:x3,'13812345678,'${ALICE_ID},Li,1`,
      `x4,payment,2026-06-04T00:00:00Z,pay:x4,"=""13812345678""","=""${ALICE_ID}""",Li,1`,
    ]);
    const r = w.run(['import', 'pay', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const db = dumpDatabase(w.db);
    expect(new Set((db.facts as { subject: string }[]).map((f) => f.subject)).size).toBe(1);
    const values = (db.identifiers as { kind: string; value: string }[])
      .filter((i) => i.kind !== 'account')
      .map((i) => i.value);
    expect(values.filter((v) => /[='"]/.test(v))).toEqual([]);
    const file2 = w.json<{ facts: { subject: Record<string, string> }[] }>(['export', ALICE_ID]);
    expect(file2.facts.map((f) => f.subject.national_id)).toEqual([ALICE_ID, ALICE_ID, ALICE_ID, ALICE_ID]);
  });

  it('a court list: an entry whose ID columns are marked as text next month is the same entry', () => {
    w = courtWorld();
    importSnapshot(w, 'june.csv', [courtRow(ALICE_CASE)], '2025-06-30');
    const before = dumpDatabase(w.db).facts;
    const marked = courtRow(ALICE_CASE).replace(
      `,${maskedId(ALICE_ID)},${ALICE_ID},`,
      `,="${maskedId(ALICE_ID)}",'${ALICE_ID},`,
    );
    expect(marked).not.toBe(courtRow(ALICE_CASE));
    const r = w.run([
      'import',
      'court',
      writeCsv(w, 'july.csv', [COURT_HEADER, marked]),
      '--as-of',
      '2025-07-31',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(dumpDatabase(w.db).facts).toEqual(before);
  });
});
