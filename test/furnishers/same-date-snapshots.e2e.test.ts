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
  writeCsv,
} from './court-world.js';

// Two snapshots of one date that disagree about an entry: one holds Bob's entry, the other no
// longer does. Imported with the one without him first, the one with him listed Bob again, dated
// the very day of his removal, and which of the two stood was left to how facts of one instant
// sort. Decided: on one date a removal stands (as a delta's removal on a relisting's own day does),
// so a snapshot dated the day an entry was removed does not list it again; its row is refused,
// naming the removal, and both orders end alike.

interface Report {
  accepted: number;
  refused: number;
  refusals: { line: number; column?: string; reason: string }[];
}

const JUNE = '2026-06-30';
const JULY = '2026-07-31';

describe('two snapshots of one date (real binary, real database)', () => {
  const worlds: World[] = [];
  afterEach(() => {
    for (const w of worlds.splice(0)) w.dispose();
  });

  function run(order: 'with-first' | 'without-first') {
    const w = courtWorld();
    worlds.push(w);
    const snap = (name: string, rows: string[], asOf: string) =>
      w.run(['import', 'court', writeCsv(w, name, [COURT_HEADER, ...rows]), '--as-of', asOf, '--json']);
    expect(snap('june.csv', [courtRow(ALICE_CASE), courtRow(BOB_CASE)], JUNE).code).toBe(0);
    const withBob = () => snap('july-a.csv', [courtRow(ALICE_CASE), courtRow(BOB_CASE)], JULY);
    const withoutBob = () => snap('july-b.csv', [courtRow(ALICE_CASE)], JULY);
    const results = order === 'with-first' ? [withBob(), withoutBob()] : [withoutBob(), withBob()];
    const flags = (id: string) =>
      w.json<{ flags: string[] }>(['score', id, '--program', 'city-civic', '--as-of', '2026-08-15T00:00:00Z'])
        .flags;
    const facts = (dumpDatabase(w.db).facts as { source: string; id: string; type: string }[])
      .filter((f) => f.source === 'court')
      .map((f) => `${f.type} ${f.id}`)
      .sort();
    return { w, results, alice: flags(ALICE_ID), bob: flags(BOB_ID), facts };
  }

  it('both orders end alike: the removal stands, and Bob is not listed again', () => {
    const a = run('with-first');
    const b = run('without-first');
    expect(a.bob).not.toContain('dishonest-debtor');
    expect(b.bob).toEqual(a.bob);
    expect(b.alice).toEqual(a.alice);
    expect(a.alice).toContain('dishonest-debtor');
    expect(b.facts).toEqual(a.facts);
  });

  it('the second snapshot of the date, holding an entry the first removed that day, has that row refused', () => {
    const { results } = run('without-first');
    const second = results[1];
    expect(second?.code).toBe(3);
    const report = JSON.parse(second?.stdout ?? '{}') as Report;
    expect(report.accepted).toBe(0);
    expect(report.refusals).toHaveLength(1);
    expect(report.refusals[0]).toMatchObject({ line: 3, column: 'court, case_code, id_number' });
    expect(report.refusals[0]?.reason).toMatch(
      /removed on 2026-07-31, this snapshot's own date .*the removal stands/,
    );
  });
});
