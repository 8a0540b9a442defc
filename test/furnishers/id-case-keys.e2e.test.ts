import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, line, type World } from '../e2e/cli.js';
import {
  ALICE_CASE,
  ALICE_ID,
  BOB_CASE,
  COURT_HEADER,
  courtRow,
  courtWorld,
  importSnapshot,
  maskedId,
  scoreOf,
  writeCsv,
} from './court-world.js';

// A resident ID's check character is one character however it is typed: `x` and `X` name the same
// person, and the court list keys an entry by its (masked) ID number.
const lowerX = { ...ALICE_CASE, id: ALICE_ID.toLowerCase() };

describe('an entry keyed by an ID number typed with a lower-case check character (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('snapshot: the next list writing X is the same entry, so the flag stays and nothing is removed', () => {
    w = courtWorld();
    expect(ALICE_ID.endsWith('X')).toBe(true);
    importSnapshot(w, 's1.csv', [courtRow(lowerX), courtRow(BOB_CASE)], '2026-06-30');
    expect(scoreOf(w, ALICE_ID, '2026-07-01T00:00:00Z').flags).toContain('dishonest-debtor');

    // The July list writes Alice's ID with `X`: the entry was taken for a new one (listed again)
    // and the `x` one for gone (removed as of July), and the removal, keyed by court and case as
    // the flag is, lifted her flag and travel bans while she was still on the list.
    const r = importSnapshot<{ facts: number; factsByType: Record<string, number> }>(
      w,
      's2.csv',
      [courtRow(ALICE_CASE), courtRow(BOB_CASE)],
      '2026-07-31',
    );
    expect(r).toMatchObject({ facts: 0, factsByType: {} });
    const after = scoreOf(w, ALICE_ID, '2026-08-01T00:00:00Z');
    expect(after.flags).toContain('dishonest-debtor');
    expect(after.restrictions['no-flights']).toBe(true);

    // Written with `x` again the month after: still the same entry.
    const before = dumpDatabase(w.db);
    importSnapshot(w, 's3.csv', [courtRow(lowerX), courtRow(BOB_CASE)], '2026-08-31');
    expect(dumpDatabase(w.db).facts).toEqual(before.facts);

    // Her removal, however her ID is typed, ends the entry.
    const gone = importSnapshot<{ factsByType: Record<string, number> }>(
      w,
      's4.csv',
      [courtRow(BOB_CASE)],
      '2026-09-30',
    );
    expect(gone.factsByType).toEqual({ 'court.blacklist_removed': 1 });
    expect(scoreOf(w, ALICE_ID, '2026-10-01T00:00:00Z').flags).not.toContain('dishonest-debtor');
  });

  it('delta: a removal written with x ends the listing written with X', () => {
    w = courtWorld();
    const header = `${COURT_HEADER},change,changed_on`;
    const d1 = writeCsv(w, 'd1.csv', [header, courtRow(ALICE_CASE, ['listed', ''])]);
    w.json(['import', 'court', d1, '--mode', 'delta']);
    const d2 = writeCsv(w, 'd2.csv', [header, courtRow(lowerX, ['removed', '2026-07-15'])]);
    const r = w.run(['import', 'court', d2, '--mode', 'delta', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(scoreOf(w, ALICE_ID, '2026-07-01T00:00:00Z').flags).toContain('dishonest-debtor');
    expect(scoreOf(w, ALICE_ID, '2026-07-16T00:00:00Z').flags).not.toContain('dishonest-debtor');
  });
});

describe('an entry a database stored with x before keys were folded (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  /** A world whose court list holds Alice's entry as an import before the fold stored it. */
  function storedWithX(): World {
    const world = courtWorld();
    const e = ALICE_CASE;
    const key = `${e.court}|${e.caseCode}|${maskedId(ALICE_ID.toLowerCase())}`;
    const listing = line({
      id: `${key}#L:${e.registered}`,
      source: 'court',
      type: 'court.blacklist_listed',
      occurredAt: `${e.registered}T00:00:00+08:00`,
      subject: { full_name: e.name, national_id: ALICE_ID.toLowerCase() },
      data: { court: e.court, case: e.caseCode, ground: 'refuses-to-perform' },
    });
    expect(world.run(['ingest', '-'], { input: `${listing}\n` }).code).toBe(0);
    expect(scoreOf(world, ALICE_ID, '2026-07-01T00:00:00Z').flags).toContain('dishonest-debtor');
    return world;
  }

  it('is found by a delta row written with X (it was refused as never listed)', () => {
    w = storedWithX();
    const header = `${COURT_HEADER},change,changed_on`;
    const d = writeCsv(w, 'd.csv', [header, courtRow(ALICE_CASE, ['removed', '2026-07-15'])]);
    const r = w.run(['import', 'court', d, '--mode', 'delta']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(scoreOf(w, ALICE_ID, '2026-07-16T00:00:00Z').flags).not.toContain('dishonest-debtor');
  });

  it('is found by a snapshot written with X: not removed, not listed again', () => {
    w = storedWithX();
    const s = importSnapshot<{ factsByType: Record<string, number> }>(
      w,
      's1.csv',
      [courtRow(ALICE_CASE), courtRow(BOB_CASE)],
      '2026-06-30',
    );
    expect(s.factsByType['court.blacklist_removed']).toBeUndefined();
    expect(s.factsByType['court.blacklist_listed']).toBe(1);
    expect(scoreOf(w, ALICE_ID, '2026-07-01T00:00:00Z').flags).toContain('dishonest-debtor');
  });
});

describe('an older snapshot imported after newer ones, twice (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('changes nothing: what a later listing or update says is not overwritten by what came before', () => {
    w = courtWorld();
    const july = { ...BOB_CASE, registered: '2026-03-01' };
    importSnapshot(w, 'jul.csv', [courtRow(ALICE_CASE), courtRow(july)], '2026-07-31');
    const partly = { ...july, performance: '部分履行' };
    const aug = importSnapshot<{ factsByType: Record<string, number> }>(
      w,
      'aug.csv',
      [courtRow(ALICE_CASE), courtRow(partly)],
      '2026-08-31',
    );
    expect(aug.factsByType).toEqual({ 'court.blacklist_updated': 1 });
    const stored = dumpDatabase(w.db).facts;
    // June's list (Bob as July had him) and February's (Bob registered in January, before the
    // March listing the later lists give) were compared with the newest content and stored as
    // updates dated before it; run again, the first update, replayed before the newer facts,
    // differed again, and a second was stored under another id.
    const early = { ...BOB_CASE, registered: '2026-01-01' };
    for (const n of [1, 2]) {
      importSnapshot(w, `jun${n}.csv`, [courtRow(ALICE_CASE), courtRow(july)], '2026-06-30');
      importSnapshot(w, `feb${n}.csv`, [courtRow(ALICE_CASE), courtRow(early)], '2026-02-28');
    }
    expect(dumpDatabase(w.db).facts).toEqual(stored);
  });
});
