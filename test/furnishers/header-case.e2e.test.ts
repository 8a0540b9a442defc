import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld, type World } from '../e2e/cli.js';
import { writeCsv } from './court-world.js';

/** The subjects of the stored facts, by fact id. */
function subjects(w: World): Record<string, Record<string, string>> {
  const db = new Database(w.db, { readonly: true });
  try {
    const rows = db.prepare("SELECT id, body FROM facts WHERE source = 'pay'").all() as {
      id: string;
      body: string;
    }[];
    return Object.fromEntries(
      rows.map((r) => [r.id, (JSON.parse(r.body) as { subject: Record<string, string> }).subject]),
    );
  } finally {
    db.close();
  }
}

// A column name in the header is matched as the mapping's values are (docs/sources.md): written
// exactly, else ignoring case and full width when only one header column is that name. An export
// whose header said `Phone` and `National_ID` was imported without them, every row, without a word:
// those columns are optional, so nothing told the furnisher they were not read.
describe('header names in another case or width (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('are read as the mapping names them; two header columns that fold alike are not guessed between', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const file = writeCsv(w, 'pay.csv', [
      'RECORD_ID,Event,Occurred_At,Account,Phone,ＮＡＴＩＯＮＡＬ_ＩＤ,Name,Amount',
      'pay-1,payment,2026-06-01T10:00:00Z,pay:a,+8613800138000,11010519491231002X,Wang Li,10.00',
    ]);
    const r = w.run(['import', 'pay', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(subjects(w)['pay-1']).toEqual({
      account: 'pay:a',
      phone: '+8613800138000',
      national_id: '11010519491231002X',
      full_name: 'Wang Li',
    });

    // `Phone` and `PHONE` both: which one is meant cannot be told, as with a repeated column.
    const both = writeCsv(w, 'both.csv', [
      'record_id,event,occurred_at,account,Phone,PHONE,amount',
      'pay-2,payment,2026-06-01T10:00:00Z,pay:a,+8613800138000,+8613900139000,10.00',
    ]);
    const r2 = w.run(['import', 'pay', both]);
    expect(r2.code).toBe(3);
    expect(r2.stderr).toMatch(/both\.csv:1 phone: .*(Phone|PHONE).*(Phone|PHONE)/);
  });
});
