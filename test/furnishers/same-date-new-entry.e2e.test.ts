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
  writeCsv,
} from './court-world.js';

// An entry not listed before (Bob's) first listed by two or three files of one date that give it
// different contents (one shows it unperformed, another partly performed). Its listing is dated by
// its registration, so the second file could not tell a listing of its own date from one a month
// old: it stored its content as a change, and the first file's content stayed in the listing, so the
// order of the files decided what the entry held from registration on and after that date. Now each
// file's content is a listing of its own (the file's date and content in its id), and the entry holds
// the one whose id sorts last: every order ends with the same facts, flags, restrictions and scores.

const JUNE = '2026-06-30';
const DAY = '2026-07-31';
const PERFORMANCE = { unperformed: '全部未履行', partly: '部分履行', performed: '全部履行' } as const;
type Content = keyof typeof PERFORMANCE;

type File = { kind: 'snapshot' | 'delta'; bob: Content };

const file: fc.Arbitrary<File> = fc.record({
  kind: fc.constantFrom<File['kind']>('snapshot', 'delta'),
  bob: fc.constantFrom<Content>('unperformed', 'partly', 'performed'),
});

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

interface End {
  facts: string[];
  scores: Record<'alice' | 'bob', unknown>;
  factsRefused: number[];
}

describe('a new entry first listed by same-date files with different contents (real binary)', () => {
  let template: World;
  let scratch: string;
  beforeAll(() => {
    template = courtWorld();
    const r = template.run([
      'import',
      'court',
      writeCsv(template, 'june.csv', [COURT_HEADER, courtRow(ALICE_CASE)]),
      '--as-of',
      JUNE,
    ]);
    if (r.code !== 0) throw new Error(r.stderr);
    scratch = mkdtempSync(join(tmpdir(), 'credence-new-entry-'));
  }, 60_000);
  afterAll(() => {
    template?.dispose();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  let n = 0;
  function endState(files: readonly File[]): End {
    const dir = mkdtempSync(join(scratch, 'w-'));
    const db = join(dir, 'credence.db');
    copyFileSync(template.db, db);
    const factsRefused: number[] = [];
    const run = (args: string[]) => {
      const r = runCli([...args, '--db', db], { cwd: dir });
      if (r.code !== 0) throw new Error(`credence ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return r;
    };
    const world = { dir } as World;
    for (const f of files) {
      const bob = courtRow({ ...BOB_CASE, performance: PERFORMANCE[f.bob] });
      const name = `f${n++}.csv`;
      const r =
        f.kind === 'snapshot'
          ? run([
              'import',
              'court',
              writeCsv(world, name, [COURT_HEADER, courtRow(ALICE_CASE), bob]),
              '--as-of',
              DAY,
              '--json',
            ])
          : run([
              'import',
              'court',
              writeCsv(world, name, [`${COURT_HEADER},change,changed_on`, `${bob},listed,${DAY}`]),
              '--mode',
              'delta',
              '--json',
            ]);
      factsRefused.push(JSON.parse(r.stdout).factsRefused as number);
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
    const score = (nid: string) =>
      JSON.parse(
        run(['score', nid, '--program', 'city-civic', '--as-of', '2026-08-15T00:00:00Z', '--json']).stdout,
      ) as unknown;
    const end = { facts, scores: { alice: score(ALICE_ID), bob: score(BOB_ID) }, factsRefused };
    rmSync(dir, { recursive: true, force: true });
    return end;
  }

  it('a snapshot and a delta of one date, each listing it with another content, end alike', () => {
    const a = endState([
      { kind: 'snapshot', bob: 'unperformed' },
      { kind: 'delta', bob: 'partly' },
    ]);
    const b = endState([
      { kind: 'delta', bob: 'partly' },
      { kind: 'snapshot', bob: 'unperformed' },
    ]);
    expect(a.factsRefused).toEqual([0, 0]);
    expect(b.facts).toEqual(a.facts);
    expect(b.scores).toEqual(a.scores);
    // One listing per content, no change of the entry.
    expect(
      a.facts.filter((f) => f.startsWith('court.blacklist_listed') && f.includes('执200号')),
    ).toHaveLength(2);
    expect(a.facts.filter((f) => f.startsWith('court.blacklist_updated'))).toHaveLength(0);
    expect((a.scores.bob as { flags: string[] }).flags).toEqual(['dishonest-debtor']);
  }, 120_000);

  it('ends alike in every order of two or three files, snapshots and deltas', () => {
    fc.assert(
      fc.property(fc.array(file, { minLength: 2, maxLength: 3 }), (files) => {
        const ends = permutations(files).map(endState);
        const first = ends[0] as End;
        for (const end of ends.slice(1)) {
          expect(end.facts).toEqual(first.facts);
          expect(end.scores).toEqual(first.scores);
        }
        expect((first.scores.bob as { flags: string[] }).flags).toEqual(['dishonest-debtor']);
        // No fact refused: each file says what its furnisher said, and each is stored.
        expect(first.factsRefused.every((c) => c === 0)).toBe(true);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 4), seed: Number(process.env.FC_SEED ?? 20261130) },
    );
  }, 600_000);
});
