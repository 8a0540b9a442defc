import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, type World } from '../e2e/cli.js';
import {
  ALICE_CASE,
  ALICE_ID,
  BOB_CASE,
  BOB_ID,
  COURT_HEADER,
  courtRow,
  courtWorld,
  entryFactId,
  importSnapshot,
  maskedId,
  scoreOf,
  writeCsv,
} from './court-world.js';

// The court list through `credence import` on a real SQLite file: a listing sets the flag, its
// removal clears it, and the restrictions that read the flag follow, in snapshot and delta modes.
describe('court list import (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('snapshot mode: an entry that disappears is a removal; re-importing a snapshot changes nothing', () => {
    w = courtWorld();
    const s1 = writeCsv(w, 's1.csv', [COURT_HEADER, courtRow(ALICE_CASE), courtRow(BOB_CASE)]);
    const r1 = w.json<{ accepted: number; factsByType: Record<string, number> }>([
      'import',
      'court',
      s1,
      '--as-of',
      '2026-06-30',
    ]);
    expect(r1.accepted).toBe(2);

    const listed = scoreOf(w, ALICE_ID, '2026-07-01T00:00:00Z');
    expect(listed.flags).toContain('dishonest-debtor');
    expect(listed.restrictions['no-flights']).toBe(true);
    expect(listed.restrictions['no-luxury-travel']).toBe(true);

    // Alice performed her obligation: the July list no longer shows her.
    const s2 = writeCsv(w, 's2.csv', [COURT_HEADER, courtRow(BOB_CASE)]);
    const r2 = w.json<{ accepted: number; factsByType: Record<string, number> }>([
      'import',
      'court',
      s2,
      '--as-of',
      '2026-07-31',
    ]);
    expect(r2.factsByType).toEqual({ 'court.blacklist_removed': 1 });

    const cleared = scoreOf(w, ALICE_ID, '2026-08-01T00:00:00Z');
    expect(cleared.flags).not.toContain('dishonest-debtor');
    expect(cleared.restrictions['no-flights']).toBe(false);
    // History is kept: as of mid-July she was still listed.
    expect(scoreOf(w, ALICE_ID, '2026-07-15T00:00:00Z').flags).toContain('dishonest-debtor');
    expect(scoreOf(w, BOB_ID, '2026-08-01T00:00:00Z').flags).toContain('dishonest-debtor');

    const before = dumpDatabase(w.db);
    const again = w.json<{ facts: number; accepted: number }>([
      'import',
      'court',
      s2,
      '--as-of',
      '2026-07-31',
    ]);
    expect(again).toMatchObject({ facts: 0, accepted: 0 });
    const dup1 = w.json<{ facts: number; accepted: number }>([
      'import',
      'court',
      s1,
      '--as-of',
      '2026-06-30',
    ]);
    // The June list imported again, after July's: it shows Alice, so she is relisted as of June,
    // which is before her July removal: she stays unflagged.
    expect(dup1.accepted).toBe(1);
    expect(scoreOf(w, ALICE_ID, '2026-08-01T00:00:00Z').flags).not.toContain('dishonest-debtor');
    const s2again = w.json<{ accepted: number }>(['import', 'court', s2, '--as-of', '2026-07-31']);
    expect(s2again.accepted).toBe(0);
    expect(dumpDatabase(w.db).facts?.length).toBe((before.facts?.length ?? 0) + 1);
  });

  it('snapshot mode: a changed entry is an update and keeps the flag', () => {
    w = courtWorld();
    const s1 = writeCsv(w, 's1.csv', [COURT_HEADER, courtRow(ALICE_CASE)]);
    // The summary dates the snapshot in the list's own time zone (+08:00): its latest
    // publication date is 2025-03-01 there (2025-02-28 in UTC).
    expect(w.run(['import', 'court', s1, '--dry-run']).stdout).toMatch(
      /^court \(snapshot as of 2025-03-01\): 1 rows/m,
    );
    w.json(['import', 'court', s1, '--as-of', '2026-06-30']);
    const s2 = writeCsv(w, 's2.csv', [COURT_HEADER, courtRow({ ...ALICE_CASE, performance: '部分履行' })]);
    const r = w.json<{ factsByType: Record<string, number> }>([
      'import',
      'court',
      s2,
      '--as-of',
      '2026-07-31',
    ]);
    expect(r.factsByType).toEqual({ 'court.blacklist_updated': 1 });
    expect(scoreOf(w, ALICE_ID, '2026-08-01T00:00:00Z').flags).toContain('dishonest-debtor');
  });

  it('snapshot mode: a refused row is still on the list, never a removal', () => {
    w = courtWorld();
    const s1 = writeCsv(w, 's1.csv', [COURT_HEADER, courtRow(ALICE_CASE), courtRow(BOB_CASE)]);
    w.json(['import', 'court', s1, '--as-of', '2026-06-30']);
    type Report = { factsByType: Record<string, number>; refusals: { line: number; reason: string }[] };
    const run = (name: string, rows: string[]): { code: number; report: Report } => {
      const r = w.run([
        'import',
        'court',
        writeCsv(w, name, [COURT_HEADER, ...rows]),
        '--as-of',
        '2026-07-31',
        '--json',
      ]);
      return { code: r.code, report: JSON.parse(r.stdout) as Report };
    };

    // July's list shows Alice with a sex value the mapping does not know: her row is refused, but
    // she is on the list, so her listing (and the restrictions it carries) stands.
    const typo = run('s2.csv', [courtRow({ ...ALICE_CASE, sex: 'X' }), courtRow(BOB_CASE)]);
    expect(typo.code).toBe(3);
    expect(typo.report.factsByType).toEqual({});
    expect(scoreOf(w, ALICE_ID, '2026-08-01T00:00:00Z').restrictions['no-flights']).toBe(true);

    // A file none of whose rows the mapping accepts removes nobody: every entry would look gone.
    const none = run('s2b.csv', [courtRow({ ...ALICE_CASE, sex: 'X' })]);
    expect(none.report.factsByType).toEqual({});
    expect(none.report.refusals.at(-1)?.reason).toMatch(
      /^no row of the snapshot was accepted, so no entry missing from this snapshot was removed \(1 removal withheld\)/,
    );
    expect(scoreOf(w, BOB_ID, '2026-08-01T00:00:00Z').flags).toContain('dishonest-debtor');

    // A stray quote swallows the rest of the file: the refused row names no entry, so no entry
    // missing from the snapshot is removed, and the refusal says so.
    const garbled = run('s3.csv', [`"${courtRow(ALICE_CASE)}`, courtRow(BOB_CASE)]);
    expect(garbled.code).toBe(3);
    expect(garbled.report.factsByType).toEqual({});
    expect(garbled.report.refusals.at(-1)?.reason).toMatch(
      /no entry missing from this snapshot was removed \(2 removals withheld\)/,
    );
    expect(scoreOf(w, ALICE_ID, '2026-08-01T00:00:00Z').flags).toContain('dishonest-debtor');
    expect(scoreOf(w, BOB_ID, '2026-08-01T00:00:00Z').flags).toContain('dishonest-debtor');

    // The same list saved in GBK (as Chinese government exports often are) is refused as a whole,
    // before any row is read: not 200 refused rows and every entry removed.
    const gbk = join(w.dir, 's-gbk.csv');
    writeFileSync(gbk, Buffer.from([...Buffer.from(`${COURT_HEADER}\n`), 0xcd, 0xf5, 0xc0, 0xf6, 0x0a]));
    const enc = w.run(['import', 'court', gbk, '--as-of', '2026-07-31']);
    expect(enc.code).toBe(3);
    expect(enc.stderr).toMatch(/s-gbk\.csv is not UTF-8 text/);
    expect(scoreOf(w, BOB_ID, '2026-08-01T00:00:00Z').flags).toContain('dishonest-debtor');

    // The corrected list removes whoever is really gone.
    const fixed = run('s4.csv', [courtRow(BOB_CASE)]);
    expect(fixed.code).toBe(0);
    expect(fixed.report.factsByType).toEqual({ 'court.blacklist_removed': 1 });
    expect(scoreOf(w, ALICE_ID, '2026-08-01T00:00:00Z').flags).not.toContain('dishonest-debtor');
  });

  it("snapshot mode: --as-of DATE is that day in the list's time zone, as the file's own dates are", () => {
    w = courtWorld();
    importSnapshot(w, 's1.csv', [courtRow(ALICE_CASE)], '2026-06-30');
    const s2 = writeCsv(w, 's2.csv', [COURT_HEADER, courtRow(BOB_CASE)]);
    expect(w.run(['import', 'court', s2, '--as-of', 'next week']).code).toBe(2);
    w.json(['import', 'court', s2, '--as-of', '2026-07-31']);
    const file = w.json<{ facts: { id: string; type: string; occurredAt: string }[] }>(['export', ALICE_ID]);
    // Midnight of 31 July in +08:00 (the mapping's zone), not in UTC: 16:00Z the day before.
    expect(file.facts.find((f) => f.type === 'court.blacklist_removed')).toMatchObject({
      id: entryFactId(ALICE_CASE, 'R:2026-07-31'),
      occurredAt: '2026-07-30T16:00:00.000Z',
    });
  });

  it('delta mode: removals are explicit; a re-imported delta is a no-op', () => {
    w = courtWorld();
    const header = `${COURT_HEADER},change,changed_on`;
    const d1 = writeCsv(w, 'd1.csv', [
      header,
      courtRow(ALICE_CASE, ['listed', '2025-03-01']),
      courtRow(BOB_CASE, ['listed', '2025-04-01']),
    ]);
    expect(w.json<{ accepted: number }>(['import', 'court', d1, '--mode', 'delta']).accepted).toBe(2);
    expect(scoreOf(w, ALICE_ID, '2026-07-01T00:00:00Z').restrictions['no-high-speed-rail']).toBe(true);

    const d2 = writeCsv(w, 'd2.csv', [header, courtRow(ALICE_CASE, ['removed', '2026-07-15'])]);
    expect(
      w.json<{ factsByType: Record<string, number> }>(['import', 'court', d2, '--mode', 'delta']).factsByType,
    ).toEqual({
      'court.blacklist_removed': 1,
    });
    const after = scoreOf(w, ALICE_ID, '2026-07-20T00:00:00Z');
    expect(after.flags).not.toContain('dishonest-debtor');
    expect(after.restrictions['no-high-speed-rail']).toBe(false);
    expect(scoreOf(w, ALICE_ID, '2026-07-10T00:00:00Z').flags).toContain('dishonest-debtor');
    expect(scoreOf(w, BOB_ID, '2026-07-20T00:00:00Z').flags).toContain('dishonest-debtor');

    const before = dumpDatabase(w.db);
    for (const d of [d1, d2]) {
      expect(
        w.json<{ accepted: number; duplicates: number }>(['import', 'court', d, '--mode', 'delta']),
      ).toMatchObject({
        accepted: 0,
      });
    }
    expect(dumpDatabase(w.db)).toEqual(before);
  });

  it('delta mode: an entry removed by one file and listed again by a later one is flagged again', () => {
    w = courtWorld();
    const header = `${COURT_HEADER},change,changed_on`;
    const files = [
      writeCsv(w, 'd1.csv', [header, courtRow(ALICE_CASE, ['listed', ''])]),
      writeCsv(w, 'd2.csv', [header, courtRow(ALICE_CASE, ['removed', '2026-07-15'])]),
      // Back on the list under her old registration date: the change date dates the relisting.
      writeCsv(w, 'd3.csv', [header, courtRow(ALICE_CASE, ['listed', '2026-09-01'])]),
    ];
    for (const f of files) {
      expect(w.json<{ accepted: number }>(['import', 'court', f, '--mode', 'delta']).accepted).toBe(1);
    }
    expect(scoreOf(w, ALICE_ID, '2026-08-01T00:00:00Z').flags).not.toContain('dishonest-debtor');
    expect(scoreOf(w, ALICE_ID, '2026-09-02T00:00:00Z').flags).toContain('dishonest-debtor');
    const before = dumpDatabase(w.db);
    for (const f of [...files, ...files]) {
      expect(w.json<{ accepted: number }>(['import', 'court', f, '--mode', 'delta']).accepted).toBe(0);
    }
    expect(dumpDatabase(w.db)).toEqual(before);
  });

  it('delta mode: removing an entry never listed is refused with its row and columns', () => {
    w = courtWorld();
    const d = writeCsv(w, 'd.csv', [
      `${COURT_HEADER},change,changed_on`,
      courtRow(ALICE_CASE, ['removed', '2026-07-15']),
    ]);
    const r = w.run(['import', 'court', d, '--mode', 'delta']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/d\.csv:2 column court, case_code, id_number: entry ".*" was never listed/);
  });

  it('refusals name the row, the column and the reason; the good rows are imported', () => {
    w = courtWorld();
    const bad = [
      COURT_HEADER,
      courtRow(ALICE_CASE),
      courtRow({ ...BOB_CASE, sex: 'X' }),
      courtRow({ ...BOB_CASE, caseCode: '(2025)鲁1082执300号', registered: 'last spring' }),
      courtRow({ ...BOB_CASE, caseCode: '', registered: '2025-05-01' }),
      // No ID number at all: the entry (court, case code, published ID number) is not named.
      courtRow({ ...BOB_CASE, caseCode: '(2025)鲁1082执400号', id: '' }),
      courtRow({ ...BOB_CASE, name: '威海贸易有限公司', entity: '法人', id: '' }),
    ];
    const f = writeCsv(w, 'bad.csv', bad);
    const dry = w.run(['import', 'court', f, '--dry-run', '--as-of', '2026-06-30']);
    expect(dry.code).toBe(3);
    expect(dry.stdout).toMatch(/1 would be new/);
    const r = w.run(['import', 'court', f, '--as-of', '2026-06-30']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('bad.csv:3 column sex: "X" is not one of: 男, 女, M, F');
    expect(r.stderr).toContain('bad.csv:4 column registered_on: "last spring" is not a date');
    expect(r.stderr).toContain('bad.csv:5 column case_code: is empty (it identifies the entry)');
    expect(r.stderr).toContain('bad.csv:6 column id_number: is empty (it identifies the entry)');
    expect(r.stdout).toMatch(/6 rows, 1 skipped, 4 refused/);
    expect(scoreOf(w, ALICE_ID, '2026-07-01T00:00:00Z').flags).toContain('dishonest-debtor');
  });
});

// What courts' exports write that the generated samples never do: the mapping's words in another
// case or in full width. They are the same words; a value the table does not know is still refused.
describe('court list values in another case or width (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('reads Listed, Ｆ and Organisation as listed, F and organisation', () => {
    w = courtWorld();
    const header = `${COURT_HEADER},change,changed_on`;
    const d = writeCsv(w, 'd.csv', [
      header,
      courtRow({ ...ALICE_CASE, sex: 'Ｆ' }, ['Listed', '']),
      courtRow({ ...BOB_CASE, sex: 'm' }, ['LISTED', '']),
      // An organisation whose credit code sits in the ID column: left out, not made a person.
      courtRow(
        {
          ...BOB_CASE,
          caseCode: '(2025)鲁1082执300号',
          name: '威海贸易有限公司',
          entity: 'Organisation',
          id: '91371082MA3C4XXXX1',
        },
        ['listed', ''],
      ),
      courtRow({ ...BOB_CASE, caseCode: '(2025)鲁1082执400号', sex: 'X' }, ['listed', '']),
      // The list's own word for the rest: 法人或其他组织 (a legal person or other organisation).
      courtRow(
        {
          ...BOB_CASE,
          caseCode: '(2025)鲁1082执500号',
          name: '荣成市某商行',
          entity: '法人或其他组织',
          id: '92371082MA3C4XXXX2',
        },
        ['listed', ''],
      ),
    ]);
    const r = w.run(['import', 'court', d, '--mode', 'delta', '--json']);
    const report = JSON.parse(r.stdout) as {
      rows: number;
      skipped: number;
      accepted: number;
      refusals: { line: number; column: string }[];
    };
    expect(report).toMatchObject({ rows: 5, skipped: 2, accepted: 2 });
    expect(report.refusals.map((x) => [x.line, x.column])).toEqual([[5, 'sex']]);
    expect(scoreOf(w, ALICE_ID, '2026-07-01T00:00:00Z').flags).toContain('dishonest-debtor');
    expect(scoreOf(w, BOB_ID, '2026-07-01T00:00:00Z').flags).toContain('dishonest-debtor');
    const sexes = (dumpDatabase(w.db).facts as { source: string; body: string }[])
      .filter((f) => f.source === 'court')
      .map((f) => (JSON.parse(f.body) as { subject: { sex?: string } }).subject.sex);
    expect(sexes).toEqual(['F', 'M']);
  });
});

describe('an older snapshot imported after a newer one (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('does not remove an entry listed after its date: the older list could not hold it', () => {
    w = courtWorld();
    const bobLater = { ...BOB_CASE, registered: '2026-07-10' };
    const july = writeCsv(w, 'jul.csv', [COURT_HEADER, courtRow(ALICE_CASE), courtRow(bobLater)]);
    const june = writeCsv(w, 'jun.csv', [COURT_HEADER, courtRow(ALICE_CASE)]);
    w.json(['import', 'court', july, '--as-of', '2026-07-31']);
    const r = w.json<{ facts: number; factsByType: Record<string, number> }>([
      'import',
      'court',
      june,
      '--as-of',
      '2026-06-30',
    ]);
    // A removal dated 30 June, before Bob's listing on 10 July, was stored: his file said he was
    // taken off the list before he was put on it.
    expect(r).toMatchObject({ facts: 0, factsByType: {} });
    const file = w.json<{ facts: { type: string }[] }>(['export', BOB_ID]);
    expect(file.facts.map((f) => f.type).filter((t) => t.startsWith('court.'))).toEqual([
      'court.blacklist_listed',
    ]);
    expect(scoreOf(w, BOB_ID, '2026-08-01T00:00:00Z').flags).toContain('dishonest-debtor');
  });
});

describe('delta changes dated before the listing (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('are refused with their row, column and reason; the same delta re-imported is still a no-op', () => {
    w = courtWorld();
    const header = `${COURT_HEADER},change,changed_on`;
    const d1 = writeCsv(w, 'd1.csv', [header, courtRow(ALICE_CASE, ['listed', ''])]);
    w.json(['import', 'court', d1, '--mode', 'delta']);
    // Alice was listed on 1 March 2025. A removal dated in January was stored, and ended nothing:
    // the listing came after it, so the flag stayed set and the import said it removed her.
    const early = writeCsv(w, 'd2.csv', [
      header,
      courtRow(ALICE_CASE, ['removed', '2025-01-15']),
      courtRow(ALICE_CASE, ['updated', '2025-02-01']),
    ]);
    const r = w.run(['import', 'court', early, '--mode', 'delta']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      'd2.csv:2 column changed_on: "2025-01-15" is before the entry was listed (2025-03-01): it cannot be removed then',
    );
    expect(r.stderr).toContain('d2.csv:3 column changed_on: "2025-02-01" is before the entry was listed');
    expect(r.stdout).toMatch(/2 rows, 0 skipped, 2 refused\n0 facts/);

    const d3 = writeCsv(w, 'd3.csv', [header, courtRow(ALICE_CASE, ['removed', '2026-07-15'])]);
    const d4 = writeCsv(w, 'd4.csv', [header, courtRow(ALICE_CASE, ['listed', '2026-09-01'])]);
    for (const f of [d3, d4]) w.json(['import', 'court', f, '--mode', 'delta']);
    // The July removal, re-sent after the September relisting, is the stored one: a duplicate.
    expect(
      w.json<{ accepted: number; duplicates: number }>(['import', 'court', d3, '--mode', 'delta']),
    ).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(scoreOf(w, ALICE_ID, '2026-09-02T00:00:00Z').flags).toContain('dishonest-debtor');
  });
});

describe('a snapshot that holds no entry (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('removes nobody: a header alone, or only rows left out, is not the whole list', () => {
    w = courtWorld();
    importSnapshot(w, 's1.csv', [courtRow(ALICE_CASE), courtRow(BOB_CASE)], '2026-06-30');
    // A truncated export (its header only) removed every listed entry, exit 0: every flag and
    // restriction lifted at once.
    const organisation = courtRow({
      ...BOB_CASE,
      caseCode: '(2025)鲁1082执900号',
      name: '威海贸易有限公司',
      entity: '法人',
      id: '',
    });
    for (const rows of [[], [organisation]]) {
      const r = w.run([
        'import',
        'court',
        writeCsv(w, 'empty.csv', [COURT_HEADER, ...rows]),
        '--as-of',
        '2026-07-31',
      ]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(
        /empty\.csv:1 column court, case_code, id_number: the snapshot holds no entry, so no entry missing from this snapshot was removed \(2 removals withheld\)/,
      );
      expect(r.stdout).toMatch(/\n0 facts/);
    }
    expect(scoreOf(w, ALICE_ID, '2026-08-01T00:00:00Z').flags).toContain('dishonest-debtor');
    expect(scoreOf(w, BOB_ID, '2026-08-01T00:00:00Z').flags).toContain('dishonest-debtor');
  });
});

describe('a snapshot whose entry now names another person (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('moves the listing: removed from the person first named, listed for the one named now', () => {
    // The court corrected the ID number on Alice's case to Bob's. The import stored an update,
    // which resolved to Bob but sets no flag, and Alice kept the flag and every travel ban.
    w = courtWorld();
    importSnapshot(w, 's1.csv', [courtRow(ALICE_CASE)], '2026-06-30');
    const corrected = { ...ALICE_CASE, name: BOB_CASE.name, sex: BOB_CASE.sex, id: BOB_ID };
    const s2 = writeCsv(w, 's2.csv', [COURT_HEADER, courtRow(corrected)]);
    const r = w.json<{ factsByType: Record<string, number> }>([
      'import',
      'court',
      s2,
      '--as-of',
      '2026-07-31',
    ]);
    expect(r.factsByType).toEqual({ 'court.blacklist_removed': 1, 'court.blacklist_listed': 1 });
    const alice = scoreOf(w, ALICE_ID, '2026-08-01T00:00:00Z');
    expect([alice.flags, alice.restrictions['no-flights']]).toEqual([[], false]);
    expect(scoreOf(w, ALICE_ID, '2026-07-15T00:00:00Z').flags).toContain('dishonest-debtor');
    const bob = scoreOf(w, BOB_ID, '2026-08-01T00:00:00Z');
    expect([bob.flags, bob.restrictions['no-flights']]).toEqual([['dishonest-debtor'], true]);

    // The same snapshot again: nothing; a later one that still names Bob: nothing either.
    const before = dumpDatabase(w.db);
    expect(w.json<{ facts: number }>(['import', 'court', s2, '--as-of', '2026-07-31']).facts).toBe(0);
    expect(w.json<{ facts: number }>(['import', 'court', s2, '--as-of', '2026-08-31']).facts).toBe(0);
    expect(dumpDatabase(w.db).facts).toEqual(before.facts);
    expect(scoreOf(w, BOB_ID, '2026-09-01T00:00:00Z').flags).toContain('dishonest-debtor');
  });

  it('a row that shows only the masked number of the same person is not another person', () => {
    w = courtWorld();
    importSnapshot(w, 's1.csv', [courtRow(ALICE_CASE)], '2026-06-30');
    const masked = courtRow(ALICE_CASE).replace(`,${ALICE_ID},`, ',,');
    const r = w.json<{ factsByType: Record<string, number> }>([
      'import',
      'court',
      writeCsv(w, 's2.csv', [COURT_HEADER, masked]),
      '--as-of',
      '2026-07-31',
    ]);
    expect(r.factsByType['court.blacklist_removed']).toBeUndefined();
    expect(scoreOf(w, ALICE_ID, '2026-08-01T00:00:00Z').flags).toContain('dishonest-debtor');
  });
});

describe('a delta row that names another person than its entry (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('is refused, naming the ID columns, instead of changing the other person', () => {
    // An update or removal carries the row's person: one naming another person for Alice's entry
    // was stored on them (a removal there ends nothing) while Alice kept the flag and every travel
    // ban. The entry's key holds the published ID number, whose birth month and day are masked: a
    // full ID differing only there names the same entry, and another person.
    w = courtWorld();
    const header = `${COURT_HEADER},change,changed_on`;
    w.json([
      'import',
      'court',
      writeCsv(w, 'd1.csv', [header, courtRow(ALICE_CASE, ['listed', ''])]),
      '--mode',
      'delta',
    ]);
    const OTHER_ID = '11010519490108002X';
    expect(maskedId(OTHER_ID)).toBe(maskedId(ALICE_ID));
    const other = { ...ALICE_CASE, name: BOB_CASE.name, sex: BOB_CASE.sex, id: OTHER_ID };
    const d2 = writeCsv(w, 'd2.csv', [
      header,
      courtRow(other, ['updated', '2026-07-10']),
      courtRow(other, ['removed', '2026-07-15']),
    ]);
    const r = w.run(['import', 'court', d2, '--mode', 'delta']);
    expect(r.code).toBe(3);
    for (const line of [2, 3])
      expect(r.stderr).toContain(
        `d2.csv:${line} column id_number_full, id_number: names another person (${OTHER_ID}) than the entry's listing (${ALICE_ID})`,
      );
    expect(r.stdout).toMatch(/\n0 facts/);
    // Sent with Alice's columns, the removal ends her listing.
    const d3 = writeCsv(w, 'd3.csv', [header, courtRow(ALICE_CASE, ['removed', '2026-07-15'])]);
    w.json(['import', 'court', d3, '--mode', 'delta']);
    expect(scoreOf(w, ALICE_ID, '2026-08-01T00:00:00Z').flags).toEqual([]);
  });
});
