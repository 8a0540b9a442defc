import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { apiSchema } from '../../src/api/sqlite/api-schema.js';
import type { World } from '../e2e/cli.js';
import {
  ALICE_CASE,
  ALICE_ID,
  BOB_CASE,
  courtRow,
  courtWorld,
  entryFactId,
  importSnapshot,
} from './court-world.js';

interface ScreenJson {
  listed: number;
  refused?: string;
  candidates: { subjectId: string; score: number; flags: string[]; explanation: string[] }[];
}

describe('credence screen (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('finds a listed person by name alone, explains it, and forgets them once the listing is removed', () => {
    w = courtWorld();
    importSnapshot(w, 's1.csv', [courtRow(ALICE_CASE), courtRow(BOB_CASE)], '2026-06-30');
    const hit = w.json<ScreenJson>(['screen', '--name', 'Li Wang', '--as-of', '2026-07-01T00:00:00Z']);
    expect(hit.listed).toBe(2);
    expect(hit.candidates).toHaveLength(1);
    expect(hit.candidates[0]?.flags).toEqual(['dishonest-debtor']);
    expect(hit.candidates[0]?.explanation[0]).toMatch(/family name at the other end/);

    // Alice's ID says she was born 1949-12-31: a namesake born in 1990 is not her.
    expect(
      w.json<ScreenJson>([
        'screen',
        '--name',
        '王丽',
        '--dob',
        '1990-05-05',
        '--as-of',
        '2026-07-01T00:00:00Z',
      ]).candidates,
    ).toEqual([]);
    expect(
      w.json<ScreenJson>([
        'screen',
        '--name',
        '王丽',
        '--id',
        `${ALICE_ID.slice(0, 10)}****${ALICE_ID.slice(14)}`,
        '--as-of',
        '2026-07-01T00:00:00Z',
      ]).candidates[0]?.score,
    ).toBe(1);

    // A date of birth that is not one is refused, not ignored (nor read as another day).
    for (const dob of ['garbage', '1949-02-30']) {
      const bad = w.run(['screen', '--name', '王丽', '--dob', dob, '--as-of', '2026-07-01T00:00:00Z']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--dob must be a date of birth.*\n {2}\[CREDENCE_E_USAGE\]/);
    }

    const legal = w.json<ScreenJson>(['screen', '--name', 'Wang Li Ltd', '--as-of', '2026-07-01T00:00:00Z']);
    expect(legal.candidates).toEqual([]);
    expect(legal.refused).toMatch(/legal form/);

    importSnapshot(w, 's2.csv', [courtRow(BOB_CASE)], '2026-07-31');
    const gone = w.json<ScreenJson>(['screen', '--name', 'Li Wang', '--as-of', '2026-08-01T00:00:00Z']);
    expect(gone.listed).toBe(1);
    expect(gone.candidates).toEqual([]);
  });

  it('never lists a person who opted out of the program whose flag it is, for past as-of dates too', () => {
    // The API's screening reads flags through the scoring engine, which judges consent first; the
    // CLI read the flag definitions straight off the facts, so an opted-out debtor stayed listed.
    w = courtWorld();
    importSnapshot(w, 's1.csv', [courtRow(ALICE_CASE)], '2026-06-30');
    const screen = (asOf: string) => w.json<ScreenJson>(['screen', '--name', '王丽', '--as-of', asOf]);
    expect(screen('2026-07-01T00:00:00Z').candidates).toHaveLength(1);
    w.json(['consent', ALICE_ID, '--program', 'city-civic', '--opt-out', '--at', '2026-07-15T00:00:00Z']);
    for (const asOf of ['2026-07-01T00:00:00Z', '2026-08-01T00:00:00Z']) {
      const r = screen(asOf);
      expect(r.listed).toBe(0);
      expect(r.candidates).toEqual([]);
    }
  });
});

describe('credence screen and disputed listings (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('does not list a person by a listing they dispute while its program suspends disputed facts', () => {
    // The API's screening (and its scores) leave out a fact under open dispute when the program
    // says `disputes: { suspend: true }`, as city-civic does; the CLI read the flag off the facts
    // regardless, so the person stayed listed by the very listing they contest.
    w = courtWorld();
    importSnapshot(w, 's1.csv', [courtRow(ALICE_CASE)], '2026-06-30');
    const screen = () =>
      w.json<ScreenJson>(['screen', '--name', '王丽', '--as-of', '2026-07-01T00:00:00Z']).candidates;
    expect(screen()).toHaveLength(1);
    const subject = w.json<{ subject: string }>(['export', ALICE_ID]).subject;
    const db = new Database(w.db);
    db.exec(apiSchema);
    const dispute = db.prepare(
      `INSERT INTO api_disputes (id, subject, source, fact_id, reason, opened_at, due_at, status)
       VALUES (?, ?, 'court', ?, 'paid in full', 0, 0, ?)`,
    );
    // The listing's id as stored (a new entry's listing carries the list's date and its content).
    const fact = db
      .prepare(
        "SELECT id FROM facts WHERE source = 'court' AND type = 'court.blacklist_listed' AND id LIKE ?",
      )
      .pluck()
      .get(`${entryFactId(ALICE_CASE, 'L:2025-03-01')}%`) as string;
    dispute.run('d-1', subject, fact, 'open');
    db.close();
    expect(screen()).toEqual([]);
    const again = new Database(w.db);
    again.prepare("UPDATE api_disputes SET status = 'rejected' WHERE id = 'd-1'").run();
    again.close();
    expect(screen()).toHaveLength(1);
  });
});
