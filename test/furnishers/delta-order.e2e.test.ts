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
  scoreOf,
  writeCsv,
} from './court-world.js';

const HEADER = `${COURT_HEADER},change,changed_on`;

interface Report {
  accepted: number;
  refused: number;
  factsByType: Record<string, number>;
}

/** The court facts stored, without storage order: what a file's rows came to. */
function courtFacts(w: World): unknown[] {
  return (dumpDatabase(w.db).facts as { source: string; id: string; type: string; at: number }[])
    .filter((f) => f.source === 'court')
    .map((f) => [f.id, f.type, f.at])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

// A delta file's rows are changes with their own dates; furnishers export them newest first as
// often as oldest first. The file means the same whatever the order of its rows.
describe('a delta whose rows are not in time order (real binary, real database)', () => {
  const worlds: World[] = [];
  afterEach(() => {
    for (const w of worlds.splice(0)) w.dispose();
  });

  // Alice: listed 1 July, removed 16 July. Bob: listed, removed 16 July, back on the list 2 August.
  const rows = [
    courtRow({ ...ALICE_CASE, registered: '2026-07-01' }, ['listed', '2026-07-01']),
    courtRow({ ...BOB_CASE, registered: '2026-03-01' }, ['listed', '2026-03-01']),
    courtRow({ ...ALICE_CASE, registered: '2026-07-01' }, ['removed', '2026-07-16']),
    courtRow({ ...BOB_CASE, registered: '2026-03-01' }, ['removed', '2026-07-16']),
    courtRow({ ...BOB_CASE, registered: '2026-03-01' }, ['listed', '2026-08-02']),
  ];

  it('newest first: the same facts as oldest first, in one import, and a re-import changes nothing', () => {
    const inOrder = courtWorld();
    worlds.push(inOrder);
    const r1 = inOrder.json<Report>([
      'import',
      'court',
      writeCsv(inOrder, 'oldest-first.csv', [HEADER, ...rows]),
      '--mode',
      'delta',
    ]);
    expect(r1.refused).toBe(0);

    const w = courtWorld();
    worlds.push(w);
    const newestFirst = writeCsv(w, 'newest-first.csv', [HEADER, ...[...rows].reverse()]);
    const r = w.run(['import', 'court', newestFirst, '--mode', 'delta']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(courtFacts(w)).toEqual(courtFacts(inOrder));

    expect(scoreOf(w, ALICE_ID, '2026-07-10T00:00:00Z').flags).toContain('dishonest-debtor');
    const alice = scoreOf(w, ALICE_ID, '2026-08-10T00:00:00Z');
    expect(alice.flags).not.toContain('dishonest-debtor');
    expect(alice.restrictions['no-flights']).toBe(false);
    expect(scoreOf(w, BOB_ID, '2026-07-20T00:00:00Z').flags).not.toContain('dishonest-debtor');
    const bob = scoreOf(w, BOB_ID, '2026-08-10T00:00:00Z');
    expect(bob.flags).toContain('dishonest-debtor');
    expect(bob.restrictions['no-flights']).toBe(true);

    const before = dumpDatabase(w.db);
    const again = w.json<Report>(['import', 'court', newestFirst, '--mode', 'delta']);
    expect(again).toMatchObject({ accepted: 0, refused: 0 });
    expect(dumpDatabase(w.db)).toEqual(before);
  });

  it('still refuses a removal of an entry that no row of the file lists, naming its row', () => {
    const w = courtWorld();
    worlds.push(w);
    const d = writeCsv(w, 'd.csv', [
      HEADER,
      courtRow(ALICE_CASE, ['removed', '2026-07-16']),
      courtRow(BOB_CASE, ['removed', '2026-07-16']),
      courtRow(BOB_CASE, ['listed', '2026-04-01']),
    ]);
    const r = w.run(['import', 'court', d, '--mode', 'delta']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /d\.csv:2 column court, case_code, id_number: entry ".*执100号\|[^"]*" was never listed/,
    );
    expect(r.stderr).not.toMatch(/d\.csv:[34]/);
    expect(scoreOf(w, BOB_ID, '2026-08-01T00:00:00Z').flags).not.toContain('dishonest-debtor');
  });
});
