import { afterEach, describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../src/identity/validate/index.js';
import { dumpDatabase, type World } from '../e2e/cli.js';
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

const CAROL_FIRST17 = '11010119850615002';
const CAROL: Entry = {
  ...BOB_CASE,
  name: '刘芳',
  sex: '女',
  id: CAROL_FIRST17 + residentIdCheckChar(CAROL_FIRST17),
  caseCode: '(2025)鲁1082执300号',
};

/** A court list row with the full ID cell as given (the masked one as the court publishes it). */
function rowWithFullId(e: Entry, full: string): string {
  return courtRow(e).replace(`,${e.id},`, `,${full},`);
}

/** What a spreadsheet that read an 18-digit ID as a number writes: 15 digits, then 000. */
const fifteenDigits = (id: string): string => `${id.slice(0, 15)}000`;
/** ...or, in a General-formatted cell, the number as it shows it. */
const scientific = (id: string): string => `${id[0]}.${id.slice(1, 6)}E+17`;

const AFTER = '2026-08-01T00:00:00Z';

// A court list opened in a spreadsheet and saved again loses its ID numbers: an 18-digit number has
// only 15 significant digits there (440106195307028314 → 440106195307028000, or 4.40106E+17 shown
// as such). Read as the court correcting the ID, the next snapshot took each entry off the person
// listed (their flag and bans lifted) and listed a person of the garbled number instead.
describe('ID numbers a spreadsheet garbled (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('a snapshot row with one is refused with its column and why; the entry stays with the person listed', () => {
    w = courtWorld();
    importSnapshot(w, 's1.csv', [courtRow(ALICE_CASE), courtRow(BOB_CASE), courtRow(CAROL)], '2026-06-30');
    const before = dumpDatabase(w.db);
    const file = writeCsv(w, 's2.csv', [
      COURT_HEADER,
      courtRow(ALICE_CASE),
      rowWithFullId(BOB_CASE, fifteenDigits(BOB_ID)),
      rowWithFullId(CAROL, scientific(CAROL.id)),
    ]);
    const r = w.run(['import', 'court', file, '--as-of', '2026-07-31', '--json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.factsByType).toEqual({});
    expect(report.refusals).toEqual([
      expect.objectContaining({
        line: 3,
        column: 'id_number_full',
        reason: expect.stringMatching(
          /^"110101199003074000" fails its GB 11643 check character and ends in 000, as a spreadsheet writes an ID it read as a number/,
        ),
      }),
      expect.objectContaining({
        line: 4,
        column: 'id_number_full',
        reason: expect.stringMatching(/^"1\.10101E\+17" is a number as a spreadsheet shows it/),
      }),
    ]);
    const after = dumpDatabase(w.db);
    expect(after.facts).toEqual(before.facts);
    expect(after.subjects).toEqual(before.subjects);
    expect(scoreOf(w, BOB_ID, AFTER).flags).toContain('dishonest-debtor');
    expect(scoreOf(w, BOB_ID, AFTER).restrictions['no-flights']).toBe(true);
  });

  it('a garbled ID that happens to pass its check (one in eleven) is not taken for a correction either', () => {
    w = courtWorld();
    // 110101199003109457 keeps 15 digits as 110101199003109000, whose check character is 0.
    const dave: Entry = { ...CAROL, name: '赵强', sex: '男', id: '110101199003109457' };
    importSnapshot(w, 's1.csv', [courtRow(ALICE_CASE), courtRow(dave)], '2026-06-30');
    const before = dumpDatabase(w.db);
    const file = writeCsv(w, 's2.csv', [
      COURT_HEADER,
      courtRow(ALICE_CASE),
      rowWithFullId(dave, fifteenDigits(dave.id)),
    ]);
    const r = w.run(['import', 'court', file, '--as-of', '2026-07-31', '--json']);
    expect(r.code).toBe(3);
    expect((JSON.parse(r.stdout) as Report).refusals).toEqual([
      expect.objectContaining({
        line: 3,
        column: 'id_number_full, id_number',
        reason: expect.stringMatching(
          /^"110101199003109000" is the entry's ID number 110101199003109457 with its last three digits 000/,
        ),
      }),
    ]);
    const after = dumpDatabase(w.db);
    expect(after.facts).toEqual(before.facts);
    expect(after.subjects).toEqual(before.subjects);
  });

  it('a snapshot row whose ID fails its check where the entry holds a valid one is a slip, not a correction', () => {
    w = courtWorld();
    importSnapshot(w, 's1.csv', [courtRow(ALICE_CASE), courtRow(BOB_CASE)], '2026-06-30');
    const before = dumpDatabase(w.db);
    // One digit keyed wrong (not the masked ones): the check character no longer agrees.
    const slip = `${BOB_ID.slice(0, 15)}${BOB_ID[15] === '9' ? '0' : '9'}${BOB_ID.slice(16)}`;
    const file = writeCsv(w, 's2.csv', [COURT_HEADER, courtRow(ALICE_CASE), rowWithFullId(BOB_CASE, slip)]);
    const r = w.run(['import', 'court', file, '--as-of', '2026-07-31', '--json']);
    expect(r.code).toBe(3);
    expect((JSON.parse(r.stdout) as Report).refusals).toEqual([
      expect.objectContaining({
        line: 3,
        column: 'id_number_full, id_number',
        reason: expect.stringMatching(
          new RegExp(
            `^"${slip}" fails its GB 11643 check character, and the entry's listing names ${BOB_ID}`,
          ),
        ),
      }),
    ]);
    expect(dumpDatabase(w.db).facts).toEqual(before.facts);
    expect(scoreOf(w, BOB_ID, AFTER).flags).toContain('dishonest-debtor');
    // A delta's update with the slip is refused the same way, not as naming another person.
    const delta = writeCsv(w, 'd.csv', [
      `${COURT_HEADER},change,changed_on`,
      `${rowWithFullId({ ...BOB_CASE, performance: '部分履行' }, slip)},updated,2026-07-20`,
    ]);
    const d = w.run(['import', 'court', delta, '--mode', 'delta']);
    expect(d.code).toBe(3);
    expect(d.stderr).toContain(
      `d.csv:2 column id_number_full, id_number: "${slip}" fails its GB 11643 check`,
    );
    expect(dumpDatabase(w.db).facts).toEqual(before.facts);
  });

  it('a new entry with a garbled ID is refused; one the court keyed with a slip is listed as before', () => {
    w = courtWorld();
    const slipped = {
      ...CAROL,
      id: `${CAROL.id.slice(0, 16)}${CAROL.id[16] === '1' ? '3' : '1'}${CAROL.id[17]}`,
    };
    const file = writeCsv(w, 's1.csv', [
      COURT_HEADER,
      rowWithFullId(BOB_CASE, fifteenDigits(BOB_ID)),
      courtRow(slipped),
      courtRow(ALICE_CASE),
    ]);
    const r = w.run(['import', 'court', file, '--as-of', '2026-06-30', '--json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.refusals.map((x) => [x.line, x.column])).toEqual([[2, 'id_number_full']]);
    expect(report.factsByType).toEqual({ 'court.blacklist_listed': 2 });
    expect(scoreOf(w, ALICE_ID, AFTER).flags).toContain('dishonest-debtor');
  });
});
