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

// Joint debtors: the list publishes one entry per debtor, so two people under one court and case
// code are two entries (the shipped mapping keys an entry by court, case code and the published ID
// number). And a case code typed with full-width brackets one month is the same entry.
describe('court list: joint debtors and full-width case codes (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  // Bob is listed under Alice's case: same court, same case code.
  const BOB_JOINT = { ...BOB_CASE, court: ALICE_CASE.court, caseCode: ALICE_CASE.caseCode };
  const listed = (nid: string, at: string): boolean => scoreOf(w, nid, at).flags.includes('dishonest-debtor');

  it('snapshot mode: both debtors are listed; one leaving the list clears only that one', () => {
    w = courtWorld();
    const r1 = importSnapshot<{ accepted: number; refused: number }>(
      w,
      's1.csv',
      [courtRow(ALICE_CASE), courtRow(BOB_JOINT)],
      '2026-06-30',
    );
    expect(r1).toMatchObject({ accepted: 2, refused: 0 });
    expect(listed(ALICE_ID, '2026-07-01T00:00:00Z')).toBe(true);
    expect(listed(BOB_ID, '2026-07-01T00:00:00Z')).toBe(true);

    // Bob paid his part: July's list shows only Alice under the case.
    const r2 = importSnapshot<{ factsByType: Record<string, number> }>(
      w,
      's2.csv',
      [courtRow(ALICE_CASE)],
      '2026-07-31',
    );
    expect(r2.factsByType).toEqual({ 'court.blacklist_removed': 1 });
    expect(listed(BOB_ID, '2026-08-01T00:00:00Z')).toBe(false);
    expect(listed(ALICE_ID, '2026-08-01T00:00:00Z')).toBe(true);
  });

  it('delta mode: a removal names its debtor; the other stays listed', () => {
    w = courtWorld();
    const header = `${COURT_HEADER},change,changed_on`;
    const d1 = writeCsv(w, 'd1.csv', [
      header,
      courtRow(ALICE_CASE, ['listed', '2025-03-01']),
      courtRow(BOB_JOINT, ['listed', '2025-04-01']),
    ]);
    expect(w.json<{ accepted: number }>(['import', 'court', d1, '--mode', 'delta']).accepted).toBe(2);
    const d2 = writeCsv(w, 'd2.csv', [header, courtRow(ALICE_CASE, ['removed', '2026-07-15'])]);
    expect(
      w.json<{ factsByType: Record<string, number> }>(['import', 'court', d2, '--mode', 'delta']).factsByType,
    ).toEqual({ 'court.blacklist_removed': 1 });
    expect(listed(ALICE_ID, '2026-07-20T00:00:00Z')).toBe(false);
    expect(listed(BOB_ID, '2026-07-20T00:00:00Z')).toBe(true);
  });

  it('a case code written with full-width brackets is the same entry: no removal, no new listing', () => {
    w = courtWorld();
    importSnapshot(w, 's1.csv', [courtRow(ALICE_CASE)], '2026-06-30');
    const wide = { ...ALICE_CASE, caseCode: ALICE_CASE.caseCode.replace('(', '（').replace(')', '）') };
    expect(wide.caseCode).not.toBe(ALICE_CASE.caseCode);
    const r2 = importSnapshot<{ accepted: number; factsByType: Record<string, number> }>(
      w,
      's2.csv',
      [courtRow(wide)],
      '2026-07-31',
    );
    expect(r2.accepted).toBe(0);
    expect(r2.factsByType).toEqual({});
    expect(listed(ALICE_ID, '2026-08-01T00:00:00Z')).toBe(true);
  });
});
