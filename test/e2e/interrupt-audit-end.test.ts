import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { generateJsonl, recentEnd } from '../../src/generate/index.js';
import { courtListSnapshot } from '../../src/ingest/sources/samples/index.js';
import { auditEntries, BIN, CITY_CIVIC, countFacts, MARKETPLACE, makeWorld, ok, type World } from './cli.js';

// A second Ctrl-C ended `credence ingest` and `credence import` at once with process.exit, and
// SIGTERM (a service manager, `kill`) ended them before any handler ran: the audit log kept
// `facts.ingest.start` / `facts.import.start` with no end, as if the run were still going. Every
// start now gets its end: the first signal (Ctrl-C or SIGTERM) stops after the batch in flight and
// logs the counts with `interrupted: true`; a second logs the counts so far with `abandoned: true`
// before the process ends. The chain stays valid.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Run {
  readonly code: Promise<number | null>;
  readonly pid: number;
  stdin?: NodeJS.WritableStream;
  err(): string;
  out(): string;
}

function start(w: World, args: readonly string[], stdin: boolean): Run {
  const child = spawn(process.execPath, [BIN, ...args, '--db', w.db], {
    cwd: w.dir,
    stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  return {
    code: new Promise((resolve) => child.on('exit', (c) => resolve(c))),
    pid: child.pid ?? -1,
    ...(child.stdin ? { stdin: child.stdin } : {}),
    err: () => stderr,
    out: () => stdout,
  };
}

async function untilFacts(db: string, n: number): Promise<void> {
  for (let i = 0; i < 3000 && countFacts(db) < n; i++) await sleep(10);
  expect(countFacts(db)).toBeGreaterThanOrEqual(n);
}

/** The run's two entries: its start and, last in the log, its end. */
function startAndEnd(w: World, action: string) {
  const entries = auditEntries(w.db);
  const starts = entries.filter((e) => e.action === `${action}.start`);
  const ends = entries.filter((e) => e.action === action);
  expect(starts).toHaveLength(1);
  expect(ends, JSON.stringify(entries.map((e) => e.action))).toHaveLength(1);
  expect(ends[0]?.seq).toBeGreaterThan(starts[0]?.seq ?? 0);
  return ends[0]?.detail ?? {};
}

function verified(w: World): void {
  const v = w.run(['audit', 'verify']);
  expect(v.code, v.stdout + v.stderr).toBe(0);
}

describe('every start of an ingest or import gets its end in the audit log (real binary, real file)', () => {
  const worlds: World[] = [];
  const world = (): World => {
    const w = makeWorld({ programs: [MARKETPLACE, CITY_CIVIC] });
    worlds.push(w);
    return w;
  };
  afterEach(() => {
    for (const w of worlds.splice(0)) w.dispose();
  });
  const lines = [...generateJsonl({ people: 150, seed: 3, days: 364, end: recentEnd() })];

  for (const [first, second] of [
    ['SIGINT', 'SIGTERM'],
    ['SIGTERM', 'SIGINT'],
  ] as const) {
    it(`ingest, ${first} then ${second}: the end says abandoned, with the counts so far; the chain verifies`, async () => {
      const w = world();
      // Reading standard input, the run waits for lines: two signals meet it mid-run.
      const r = start(w, ['ingest', '-', '--batch-size', '50', '--json'], true);
      r.stdin?.write(lines.slice(0, 200).join(''));
      await untilFacts(w.db, 100);
      await sleep(200);
      // Both signals must meet the run before the first has let it end (sent 50 ms apart, the
      // second came after the end at times, and killed the process). The same signal twice would
      // reach a stopped process as one, as the kernel keeps one pending of each; two kinds are
      // both delivered when it goes on. The same signal twice is held by the import cases below,
      // whose commit is held back instead.
      process.kill(r.pid, 'SIGSTOP');
      process.kill(r.pid, first);
      process.kill(r.pid, second);
      process.kill(r.pid, 'SIGCONT');
      expect(await r.code, r.err()).toBe(130);
      expect(r.err()).toMatch(/run the same command again to finish/);
      const end = startAndEnd(w, 'facts.ingest');
      expect(end).toMatchObject({ files: ['-'], interrupted: true, abandoned: true, lines: 200 });
      expect(end.accepted as number).toBeGreaterThanOrEqual(100);
      // --json prints its one line all the same: the counts so far, as the entry has them.
      const { files: _f, ...counts } = end;
      expect(JSON.parse(r.out())).toEqual({ files: 1, ...counts });
      verified(w);
      // Run again, it finishes the job; its own start and end follow.
      ok(w.run(['ingest', '-'], { input: lines.join('') }));
      verified(w);
    });
  }

  it('ingest, SIGTERM once: stops after the batch in flight; the end has the counts and interrupted', async () => {
    const w = world();
    const file = join(w.dir, 'facts.jsonl');
    writeFileSync(file, lines.join(''));
    const r = start(w, ['ingest', file, '--batch-size', '5'], false);
    await untilFacts(w.db, 20);
    process.kill(r.pid, 'SIGTERM');
    expect(await r.code, r.err()).toBe(130);
    const end = startAndEnd(w, 'facts.ingest');
    expect(end).toMatchObject({ files: [file], interrupted: true });
    expect(end.abandoned).toBeUndefined();
    expect(end.accepted).toBe(countFacts(w.db));
    verified(w);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`import, ${signal} twice: the end says abandoned, with the rows and facts so far; the chain verifies`, async () => {
      const w = world();
      const file = join(w.dir, 'court.csv');
      writeFileSync(
        file,
        `${[...courtListSnapshot({ rows: 20_000, people: 40_000, seed: 5 }, 1)].join('\n')}\n`,
      );
      const r = start(w, ['import', 'court', file], false);
      await untilFacts(w.db, 1);
      // Its next commit is held back (SQLite's write lock, for well under its 10 s wait), so that
      // both signals meet the import mid-run, not one that has just ended.
      const holder = new Database(w.db);
      try {
        holder.pragma('busy_timeout = 5000');
        holder.exec('BEGIN IMMEDIATE');
        process.kill(r.pid, signal);
        await sleep(50);
        process.kill(r.pid, signal);
        await sleep(50);
        holder.exec('ROLLBACK');
      } finally {
        holder.close();
      }
      expect(await r.code, r.err()).toBe(130);
      const end = startAndEnd(w, 'facts.import');
      expect(end).toMatchObject({ source: 'court', file, interrupted: true, abandoned: true });
      expect(end.rows as number).toBeGreaterThanOrEqual(2000);
      expect(end.accepted as number).toBeGreaterThanOrEqual(countFacts(w.db));
      verified(w);
    });
  }

  it('import, SIGTERM once: stops after the batch in flight and logs its end with interrupted', async () => {
    const w = world();
    const file = join(w.dir, 'court.csv');
    writeFileSync(
      file,
      `${[...courtListSnapshot({ rows: 20_000, people: 40_000, seed: 5 }, 1)].join('\n')}\n`,
    );
    const r = start(w, ['import', 'court', file], false);
    await untilFacts(w.db, 1);
    process.kill(r.pid, 'SIGTERM');
    expect(await r.code, r.err()).toBe(130);
    const end = startAndEnd(w, 'facts.import');
    expect(end).toMatchObject({ source: 'court', interrupted: true });
    expect(end.abandoned).toBeUndefined();
    verified(w);
  });
});
