import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, MARKETPLACE, makeWorld, type World } from '../e2e/cli.js';
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
} from './court-world.js';

interface Report {
  accepted: number;
  refused: number;
  factsByType: Record<string, number>;
  refusals: { line: number; column?: string; reason: string }[];
}

/** Writes `text` as it stands: no line break is added after its last line. */
function writeRaw(w: World, name: string, text: string): string {
  const path = join(w.dir, name);
  writeFileSync(path, text);
  return path;
}

// A download or copy that stopped part way leaves a file whose last line ends inside a row, with
// no line break: its missing cells were read as empty, and its last cell as whatever was left.
describe('a file cut short inside its last row (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('a platform export: the cut row is refused with its line, column and reason, not stored with its amount cut', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const header = 'record_id,event,occurred_at,account,amount,items,name';
    const whole = 'pay-1,payment,2026-06-01T10:00:00Z,pay:a,10.00,,Li Na';
    // `464.64` cut after its third digit; the optional name column never came.
    const cut = 'pay-2,payment,2026-06-01T11:00:00Z,pay:b,464';
    const file = writeRaw(w, 'pay.csv', `${header}\r\n${whole}\r\n${cut}`);
    const r = w.run(['import', 'pay', file, '--json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.accepted).toBe(1);
    expect(report.refusals).toEqual([
      expect.objectContaining({
        line: 3,
        column: 'amount',
        reason: expect.stringMatching(
          /^has 5 cells, and the header 7, and the file ends in it with no line break/,
        ),
      }),
    ]);
    expect(w.run(['import', 'pay', file]).stderr).toContain('pay.csv:3 column amount: has 5 cells');
    const stored = (dumpDatabase(w.db).facts as { id: string }[]).map((f) => f.id);
    expect(stored).toEqual(['pay-1']);

    // A last row with all its cells and no line break after it is whole: imported.
    const last = writeRaw(w, 'pay2.csv', `${header}\n${whole}\n${cut}.64,1,Wang Fang`);
    expect(w.json<Report>(['import', 'pay', last])).toMatchObject({ accepted: 1, refused: 0 });
  });

  it('a court snapshot cut inside a row removes no one: the entries after the cut are not gone from the list', () => {
    w = courtWorld();
    const carol = { ...BOB_CASE, caseCode: '(2025)鲁1082执300号', id: '110101198001010016' };
    importSnapshot(w, 's1.csv', [courtRow(ALICE_CASE), courtRow(carol), courtRow(BOB_CASE)], '2026-06-30');
    // July's list, cut inside Carol's conduct: her key was read, her row refused for its
    // conduct, and Bob (after the cut) was taken for removed: his flag and bans lifted.
    const row = courtRow(carol);
    const file = writeRaw(
      w,
      's2.csv',
      `${COURT_HEADER}\n${courtRow(ALICE_CASE)}\n${row.slice(0, row.length - 6)}`,
    );
    const before = dumpDatabase(w.db);
    const r = w.run(['import', 'court', file, '--as-of', '2026-07-31', '--json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.factsByType).toEqual({});
    expect(report.refusals).toContainEqual(
      expect.objectContaining({
        line: 3,
        column: 'conduct',
        reason: expect.stringMatching(/the file ends in this row with no line break/),
      }),
    );
    expect(dumpDatabase(w.db).facts).toEqual(before.facts);
    expect(scoreOf(w, BOB_ID, '2026-08-01T00:00:00Z').flags).toContain('dishonest-debtor');
    expect(scoreOf(w, ALICE_ID, '2026-08-01T00:00:00Z').flags).toContain('dishonest-debtor');
  });
});
