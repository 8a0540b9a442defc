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

interface Report {
  refused: number;
  factsByType: Record<string, number>;
  refusals: { line: number; column?: string; reason: string }[];
}

// A snapshot is the list as of its date: an entry registered after that date cannot be on it. A
// registration date mistyped 2062 for 2026 made a listing dated 2062, so the person listed today held
// no flag and no restriction until then, and the import said nothing.
describe('a snapshot row registered after the snapshot (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('is refused with its row, column and both dates, and its entry is not taken for a removal', () => {
    w = courtWorld();
    importSnapshot(w, 's1.csv', [courtRow(ALICE_CASE)], '2026-06-30');
    const typo = courtRow({ ...BOB_CASE, registered: '2026-07-20' }).replace(
      ',2026-07-20,2026-07-20,',
      ',2062-07-20,2026-07-20,',
    );
    // Alice's row mistyped the same way: still on the list, so not removed.
    const aliceTypo = courtRow(ALICE_CASE).replace(',2025-03-01,2025-03-01,', ',2062-03-01,2025-03-01,');
    const file = writeCsv(w, 's2.csv', [COURT_HEADER, typo, aliceTypo]);
    const r = w.run(['import', 'court', file, '--as-of', '2026-07-31', '--json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.refusals.map((x) => [x.line, x.column])).toEqual([
      [2, 'registered_on'],
      [3, 'registered_on'],
    ]);
    expect(report.refusals[0]?.reason).toMatch(/2062-07-20.*after.*2026-07-31/);
    expect(report.factsByType).toEqual({});
    expect(scoreOf(w, ALICE_ID, '2026-08-01T00:00:00Z').flags).toContain('dishonest-debtor');
    expect(scoreOf(w, BOB_ID, '2026-08-01T00:00:00Z').flags).not.toContain('dishonest-debtor');
  });
});

describe('a delta listing registered after its change date (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('is refused with its row, column and both dates; the same row correctly dated lists the person', () => {
    w = courtWorld();
    const header = `${COURT_HEADER},change,changed_on`;
    const typo = courtRow(BOB_CASE, ['listed', '2025-04-01']).replace(
      ',2025-04-01,2025-04-01,',
      ',2062-04-01,2025-04-01,',
    );
    const d = writeCsv(w, 'd.csv', [header, typo]);
    const r = w.run(['import', 'court', d, '--mode', 'delta', '--json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.refusals.map((x) => [x.line, x.column])).toEqual([[2, 'registered_on']]);
    expect(report.refusals[0]?.reason).toMatch(/2062-04-01.*after.*2025-04-01/);
    expect(report.factsByType).toEqual({});
    const ok = writeCsv(w, 'ok.csv', [header, courtRow(BOB_CASE, ['listed', '2025-04-01'])]);
    expect(w.run(['import', 'court', ok, '--mode', 'delta']).code).toBe(0);
    expect(scoreOf(w, BOB_ID, '2025-05-01T00:00:00Z').flags).toContain('dishonest-debtor');
  });
});
