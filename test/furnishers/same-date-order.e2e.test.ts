import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpDatabase, runCli, type World } from '../e2e/cli.js';
import {
  ALICE_CASE,
  ALICE_ID,
  BOB_CASE,
  BOB_ID,
  COURT_HEADER,
  courtRow,
  courtWorld,
  type Entry,
  writeCsv,
} from './court-world.js';

// Any order of importing a set of same-date snapshots and deltas of one source ends alike: the
// same facts (by source, id, type, person and body, retractions included), the same flags and the
// same restrictions. Each case starts from a June snapshot listing Alice and Bob; the files are all
// dated 2026-07-31, each a snapshot of some of the entries (as listed, or with a new performance
// status, which is an update) or a delta of listings, updates and removals on that day.

const JUNE = '2026-06-30';
const DAY = '2026-07-31';
const ENTRIES: Record<'alice' | 'bob', Entry> = { alice: ALICE_CASE, bob: BOB_CASE };
const IDS = { alice: ALICE_ID, bob: BOB_ID };
type Who = keyof typeof ENTRIES;
type Content = 'as-listed' | 'partly';

type File =
  | { kind: 'snapshot'; rows: { who: Who; content: Content }[] }
  | { kind: 'delta'; rows: { who: Who; content: Content; change: 'listed' | 'updated' | 'removed' }[] };

const who = fc.constantFrom<Who>('alice', 'bob');
const content = fc.constantFrom<Content>('as-listed', 'partly');
const snapshot: fc.Arbitrary<File> = fc
  .uniqueArray(fc.record({ who, content }), { selector: (r) => r.who, maxLength: 2 })
  .map((rows) => ({ kind: 'snapshot', rows }));
const delta: fc.Arbitrary<File> = fc
  .array(fc.record({ who, content, change: fc.constantFrom('listed', 'updated', 'removed' as const) }), {
    minLength: 1,
    maxLength: 2,
  })
  .map((rows) => ({ kind: 'delta', rows }));

function row(w: Who, c: Content): string {
  const e = ENTRIES[w];
  return courtRow(c === 'partly' ? { ...e, performance: '部分履行' } : e);
}

interface End {
  facts: string[];
  flags: Record<Who, string[]>;
  restrictions: Record<Who, Record<string, boolean>>;
}

describe('same-date snapshots and deltas in any order (real binary, real database)', () => {
  let template: World;
  let scratch: string;
  beforeAll(() => {
    template = courtWorld();
    const r = template.run([
      'import',
      'court',
      writeCsv(template, 'june.csv', [COURT_HEADER, row('alice', 'as-listed'), row('bob', 'as-listed')]),
      '--as-of',
      JUNE,
    ]);
    if (r.code !== 0) throw new Error(r.stderr);
    scratch = mkdtempSync(join(tmpdir(), 'credence-order-'));
  }, 60_000);
  afterAll(() => {
    template?.dispose();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  let n = 0;
  /** Exit codes of the imports, in the order run. */
  const codes: number[] = [];
  /** What the imports printed on stderr, in the order run. */
  const errs: string[] = [];
  function endState(files: readonly File[]): End {
    const dir = mkdtempSync(join(scratch, 'w-'));
    const db = join(dir, 'credence.db');
    copyFileSync(template.db, db);
    const run = (args: string[]) => {
      const r = runCli([...args, '--db', db], { cwd: dir });
      // A refusal (3) or a conflict (5) is an answer; anything else is no end state to compare.
      if (args[0] === 'import') {
        codes.push(r.code);
        errs.push(r.stderr);
      }
      if (![0, 3, 5].includes(r.code))
        throw new Error(`credence ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return r;
    };
    const world = { dir } as World;
    for (const f of files) {
      const name = `f${n++}.csv`;
      if (f.kind === 'snapshot') {
        const path = writeCsv(world, name, [COURT_HEADER, ...f.rows.map((r) => row(r.who, r.content))]);
        run(['import', 'court', path, '--as-of', DAY]);
      } else {
        const lines = f.rows.map((r) => `${row(r.who, r.content)},${r.change},${DAY}`);
        const path = writeCsv(world, name, [`${COURT_HEADER},change,changed_on`, ...lines]);
        run(['import', 'court', path, '--mode', 'delta']);
      }
    }
    const facts = (
      dumpDatabase(db).facts as {
        source: string;
        id: string;
        type: string;
        subject: string;
        body: string;
        retracts: string | null;
      }[]
    )
      .filter((f) => f.source === 'court')
      .map((f) => `${f.type} ${f.id} ${f.subject} ${f.retracts ?? ''} ${f.body}`)
      .sort();
    const score = (w: Who) => {
      const r = run([
        'score',
        IDS[w],
        '--program',
        'city-civic',
        '--as-of',
        '2026-08-15T00:00:00Z',
        '--json',
      ]);
      return JSON.parse(r.stdout) as { flags: string[]; restrictions: Record<string, boolean> };
    };
    const a = score('alice');
    const b = score('bob');
    rmSync(dir, { recursive: true, force: true });
    return {
      facts,
      flags: { alice: a.flags, bob: b.flags },
      restrictions: { alice: a.restrictions, bob: b.restrictions },
    };
  }

  // Found by the property below: a delta removes Alice on the day of a list that holds Alice
  // alone. Imported after the delta, the list's one row was refused (removed that very day), so no
  // row of it was accepted and every removal it calls for (Bob's) was withheld; imported before,
  // it removed Bob. The refused row names a known entry of a list that was read: Bob is removed.
  it('a list whose only row an earlier removal of its date refuses still removes the others', () => {
    const list: File = { kind: 'snapshot', rows: [{ who: 'alice', content: 'as-listed' }] };
    const removal: File = {
      kind: 'delta',
      rows: [{ who: 'alice', content: 'as-listed', change: 'removed' }],
    };
    const a = endState([list, removal]);
    const b = endState([removal, list]);
    expect(a.flags).toEqual({ alice: [], bob: [] });
    expect(b).toEqual(a);
  }, 120_000);

  // Found by the property: a list and a delta of one day make the same update of Bob's entry. The
  // list named its update by the date alone (…#U:2026-07-31), the delta by date and content
  // (…#U:2026-07-31~hash), so whichever came first stored the change under its own id.
  it('the same update by a list and by a delta of its date is one fact in either order', () => {
    const list: File = { kind: 'snapshot', rows: [{ who: 'bob', content: 'partly' }] };
    const update: File = { kind: 'delta', rows: [{ who: 'bob', content: 'partly', change: 'updated' }] };
    const a = endState([list, update]);
    const b = endState([update, list]);
    expect(a.facts.filter((f) => f.startsWith('court.blacklist_updated'))).toHaveLength(1);
    expect(b).toEqual(a);
  }, 120_000);

  // A list of the day leaves Bob out (removing him), then a delta removes him that day: the two
  // removals share an id, with his person named by id in one and by the row's columns in the
  // other, so the delta's was refused as a conflict (exit 5) for saying what the list had done.
  it("a delta's removal of an entry a list of its date removed already is no change, not a conflict", () => {
    const list: File = { kind: 'snapshot', rows: [{ who: 'alice', content: 'as-listed' }] };
    const removal: File = { kind: 'delta', rows: [{ who: 'bob', content: 'as-listed', change: 'removed' }] };
    const a = endState([list, removal]);
    expect(codes.slice(-1)).toEqual([0]);
    const b = endState([removal, list]);
    expect(codes.slice(-2)).toEqual([0, 0]);
    expect(b.flags).toEqual(a.flags);
    expect(a.flags.bob).toEqual([]);
    // The stored removal names Bob the same way in either order (by id, as the list does): the
    // delta's named him by the row's columns, so the first file decided the stored body.
    expect(b.facts).toEqual(a.facts);
    expect(a.facts.filter((f) => f.startsWith('court.blacklist_removed'))).toHaveLength(1);
  }, 120_000);

  // Two lists of one date, one showing Bob's entry changed (partly performed), the other as it was
  // listed. Imported with the changed one first, the other stored a second update back to the old
  // content at the same instant, and which stood was left to how facts of one instant sort;
  // imported first, it stored nothing. On one date the change stands, and the row that contradicts
  // it is refused with its line and key columns.
  it('a file of one date that shows an entry as before does not undo a change of that date', () => {
    const changed: File = {
      kind: 'snapshot',
      rows: [
        { who: 'alice', content: 'as-listed' },
        { who: 'bob', content: 'partly' },
      ],
    };
    const before: File = {
      kind: 'snapshot',
      rows: [
        { who: 'alice', content: 'as-listed' },
        { who: 'bob', content: 'as-listed' },
      ],
    };
    const stale: File = { kind: 'delta', rows: [{ who: 'bob', content: 'as-listed', change: 'updated' }] };
    const a = endState([changed, before, stale]);
    expect(codes.slice(-3)).toEqual([0, 3, 3]);
    expect(errs.at(-2)).toMatch(
      /\.csv:3 column court, case_code, id_number: entry ".*" was changed on 2026-07-31 by another file of that date, and this row gives what it held before/,
    );
    expect(a.facts.filter((f) => f.startsWith('court.blacklist_updated'))).toHaveLength(1);
    expect(endState([before, changed, stale])).toEqual(a);
    expect(endState([stale, before, changed])).toEqual(a);
  }, 120_000);

  // Found by the property: a list of the day shows Alice's entry changed, and a delta removes it
  // that day. Imported before the removal, the list stored the change; after it, its row was refused
  // (removed that very day) and the change was lost. It is stored either way; the entry stays removed.
  it("a list's change of an entry a delta of its date removed is stored in either order", () => {
    const list: File = {
      kind: 'snapshot',
      rows: [
        { who: 'alice', content: 'partly' },
        { who: 'bob', content: 'as-listed' },
      ],
    };
    const removal: File = {
      kind: 'delta',
      rows: [{ who: 'alice', content: 'as-listed', change: 'removed' }],
    };
    const a = endState([list, removal]);
    expect(a.facts.filter((f) => f.startsWith('court.blacklist_updated'))).toHaveLength(1);
    expect(a.flags.alice).toEqual([]);
    expect(endState([removal, list])).toEqual(a);
  }, 120_000);

  it('ends alike in every order', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.oneof(snapshot, delta), { minLength: 2, maxLength: 3 })
          .chain((files) =>
            fc.tuple(
              fc.constant(files),
              fc.shuffledSubarray(files, { minLength: files.length, maxLength: files.length }),
            ),
          ),
        ([files, shuffled]) => {
          fc.pre(JSON.stringify(files) !== JSON.stringify(shuffled));
          expect(endState(shuffled)).toEqual(endState(files));
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 8), seed: Number(process.env.FC_SEED ?? 20261130) },
    );
  }, 600_000);
});
