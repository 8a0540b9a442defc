import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../src/identity/validate/index.js';
import { dumpDatabase, ROOT, type World } from '../e2e/cli.js';
import {
  ALICE_CASE,
  ALICE_ID,
  BOB_CASE,
  BOB_ID,
  COURT_HEADER,
  courtRow,
  courtWorld,
  type Entry,
  importSnapshot,
  scoreOf,
  writeCsv,
} from './court-world.js';

interface Report {
  accepted: number;
  refused: number;
  factsByType: Record<string, number>;
  refusals: { line: number; column?: string; reason: string }[];
}

/** Eighteen more debtors of one court, each with a valid resident ID (born 1980, days 1 to 18). */
const OTHERS: readonly Entry[] = Array.from({ length: 18 }, (_, i) => {
  const first17 = `110105198001${String(i + 1).padStart(2, '0')}013`;
  return {
    name: `赵${'一二三四五六七八九'[i % 9]}${i < 9 ? '' : '华'}`,
    sex: '男',
    id: first17 + residentIdCheckChar(first17),
    court: '荣成市人民法院',
    caseCode: `(2025)鲁1082执${500 + i}号`,
    registered: '2025-05-01',
  };
});

// Twenty entries: Alice first, Bob last, the others between.
const JUNE = [ALICE_CASE, ...OTHERS, BOB_CASE];

// A list is exported whole, with no count of its rows and no closing line: a download or copy cut
// exactly at a line break leaves a file whose last row looks complete, and read as a snapshot every
// entry after the cut looked gone from the list: their flags and the bans they carry were lifted.
describe('a court snapshot that would remove most of the list (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('cut at a line break: no entry is removed, the import says why and exits 3, the rows it holds are imported', () => {
    w = courtWorld();
    expect(
      importSnapshot<Report>(
        w,
        's1.csv',
        JUNE.map((e) => courtRow(e)),
        '2026-06-30',
      ).accepted,
    ).toBe(20);
    // July's list cut after its fifth row; Alice's row now says she paid part.
    const july = [{ ...ALICE_CASE, performance: '部分履行' }, ...OTHERS.slice(0, 4)];
    const file = writeCsv(w, 's2.csv', [COURT_HEADER, ...july.map((e) => courtRow(e))]);
    const r = w.run(['import', 'court', file, '--as-of', '2026-07-31', '--json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.factsByType).toEqual({ 'court.blacklist_updated': 1 });
    expect(report.refusals).toEqual([
      {
        line: 6,
        column: 'court, case_code, id_number',
        code: 'CREDENCE_E_ROW_INVALID',
        reason: expect.stringMatching(
          /^the snapshot would remove 15 of the 20 entries listed before it \(more than 25%\): a list cut short ends at a line break like a whole one, so no entry missing from this snapshot was removed \(15 removals withheld\)/,
        ),
      },
    ]);
    expect(w.run(['import', 'court', file, '--as-of', '2026-07-31']).stderr).toMatch(
      /s2\.csv:6 column court, case_code, id_number: the snapshot would remove 15 of the 20 entries/,
    );
    const stored = (dumpDatabase(w.db).facts as { type: string }[]).map((f) => f.type);
    expect(stored).not.toContain('court.blacklist_removed');
    expect(scoreOf(w, BOB_ID, '2026-08-01T00:00:00Z').flags).toContain('dishonest-debtor');
    expect(scoreOf(w, BOB_ID, '2026-08-01T00:00:00Z').restrictions['no-flights']).toBe(true);
    // The whole list, imported after, removes whom it no longer holds, and only them.
    const whole = [...july, ...OTHERS.slice(4, 16), BOB_CASE].map((e) => courtRow(e));
    expect(importSnapshot<Report>(w, 's3.csv', whole, '2026-07-31').factsByType).toEqual({
      'court.blacklist_removed': 2,
    });
    expect(scoreOf(w, ALICE_ID, '2026-08-01T00:00:00Z').flags).toContain('dishonest-debtor');
  });

  it("a month's usual removals are made; a list that did shrink so much is applied with a mapping that allows it", () => {
    w = courtWorld();
    importSnapshot(
      w,
      's1.csv',
      JUNE.map((e) => courtRow(e)),
      '2026-06-30',
    );
    // Five of twenty (25%, not more) are gone: removed.
    const july = JUNE.slice(0, 15).map((e) => courtRow(e));
    expect(importSnapshot<Report>(w, 's2.csv', july, '2026-07-31').factsByType).toEqual({
      'court.blacklist_removed': 5,
    });
    expect(scoreOf(w, BOB_ID, '2026-08-01T00:00:00Z').flags).not.toContain('dishonest-debtor');
    // August: only Alice is left, and the operator has checked that the court did clear its list.
    const mapping = join(w.dir, 'court.yaml');
    const shipped = readFileSync(join(ROOT, 'examples/sources/court.yaml'), 'utf8');
    writeFileSync(mapping, shipped.replace(/^register:\n/m, 'register:\n  maxRemovalShare: 1\n'));
    const august = writeCsv(w, 's3.csv', [COURT_HEADER, courtRow(ALICE_CASE)]);
    expect(
      w.json<Report>(['import', 'court', august, '--as-of', '2026-08-31', '--mapping', mapping]).factsByType,
    ).toEqual({ 'court.blacklist_removed': 14 });
    expect(scoreOf(w, ALICE_ID, '2026-09-01T00:00:00Z').flags).toContain('dishonest-debtor');
  });

  it('a list that did shrink so much is applied with --allow-mass-removal, for that import only', () => {
    w = courtWorld();
    importSnapshot(
      w,
      's1.csv',
      JUNE.map((e) => courtRow(e)),
      '2026-06-30',
    );
    const august = writeCsv(w, 's2.csv', [COURT_HEADER, courtRow(ALICE_CASE)]);
    // Without the flag the removals are withheld; with it (the operator checked the list) made.
    expect(w.run(['import', 'court', august, '--as-of', '2026-08-31']).code).toBe(3);
    expect(scoreOf(w, BOB_ID, '2026-09-01T00:00:00Z').flags).toContain('dishonest-debtor');
    expect(
      w.json<Report>(['import', 'court', august, '--as-of', '2026-08-31', '--allow-mass-removal'])
        .factsByType,
    ).toEqual({ 'court.blacklist_removed': 19 });
    expect(scoreOf(w, BOB_ID, '2026-09-01T00:00:00Z').flags).not.toContain('dishonest-debtor');
    expect(scoreOf(w, ALICE_ID, '2026-09-01T00:00:00Z').flags).toContain('dishonest-debtor');
    // A delta names each removal: the flag means nothing there and is refused.
    const r = w.run(['import', 'court', august, '--mode', 'delta', '--allow-mass-removal']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--allow-mass-removal applies to register snapshots/);
  });

  it('a mapping whose maxRemovalShare is not a share in (0, 1] is refused when loaded', () => {
    w = courtWorld();
    const mapping = join(w.dir, 'court.yaml');
    const shipped = readFileSync(join(ROOT, 'examples/sources/court.yaml'), 'utf8');
    writeFileSync(mapping, shipped.replace(/^register:\n/m, 'register:\n  maxRemovalShare: 25\n'));
    const file = writeCsv(w, 's1.csv', [COURT_HEADER, courtRow(ALICE_CASE)]);
    const r = w.run(['import', 'court', file, '--mapping', mapping]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/register\.maxRemovalShare.*CREDENCE_E_MAPPING_INVALID/s);
  });
});
