import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { generateJsonl, generatePopulation, recentEnd, toJsonLine } from '../../src/generate/index.js';
import {
  CITY_CIVIC,
  countFacts,
  dumpDatabase,
  MARKETPLACE,
  makeWorld,
  ok,
  spawnCli,
  type World,
} from './cli.js';

const PROGRAMS = [MARKETPLACE, CITY_CIVIC];

/** Generated people split into two files by person (each file keeps its people's retractions). */
function twoFiles(dir: string, people: number): [string, string] {
  const halves: string[][] = [[], []];
  let i = 0;
  for (const { facts } of generatePopulation({ people, seed: 11, days: RECENT_DAYS, end: recentEnd() })) {
    const half = halves[i++ < people / 2 ? 0 : 1] as string[];
    for (const f of facts) half.push(`${toJsonLine(f)}\n`);
  }
  const fa = join(dir, 'a.jsonl');
  const fb = join(dir, 'b.jsonl');
  writeFileSync(fa, halves[0]?.join('') ?? '');
  writeFileSync(fb, halves[1]?.join('') ?? '');
  return [fa, fb];
}

// The year up to today 00:00, a day less (as `credence generate` does): ingested later today, a
// first-day wallet balance (kept P1Y) would already be past retention and refused.
const RECENT_DAYS = 364;

/** Cached scores and ledgers keyed by each person's identifiers, not by their (order-dependent) ids. */
function scoresByIdentity(path: string): Record<string, unknown> {
  const db = new Database(path, { readonly: true });
  try {
    const idents = new Map<string, string>();
    for (const r of db
      .prepare(
        "SELECT subject, group_concat(kind || ':' || value, '|') AS k FROM (SELECT * FROM identifiers ORDER BY kind, value) GROUP BY subject",
      )
      .all() as {
      subject: string;
      k: string;
    }[]) {
      idents.set(r.subject, r.k);
    }
    const out: Record<string, unknown> = {};
    for (const s of db.prepare('SELECT * FROM scores').all() as { subject: string; program: string }[]) {
      out[`${idents.get(s.subject)}@${s.program}`] = { ...s, subject: undefined };
    }
    const ledger = db.prepare('SELECT subject, program, fact_key, rule_id, raw FROM ledger').all() as {
      subject: string;
      program: string;
      fact_key: string;
      rule_id: string;
      raw: number;
    }[];
    out.ledger = ledger
      .map((l) => `${idents.get(l.subject)} ${l.program} ${l.fact_key} ${l.rule_id} ${l.raw}`)
      .sort();
    return out;
  } finally {
    db.close();
  }
}

/** Each person's cached scores keyed by the first of their facts: the same people, whatever their ids. */
function scoresByFacts(path: string): Record<string, unknown> {
  const db = new Database(path, { readonly: true });
  try {
    const first = new Map<string, string>();
    for (const r of db
      .prepare("SELECT subject, min(source || '/' || id) AS k, count(*) AS n FROM facts GROUP BY subject")
      .all() as { subject: string; k: string; n: number }[]) {
      first.set(r.subject, `${r.k} (${r.n} facts)`);
    }
    const out: Record<string, unknown> = {};
    for (const s of db.prepare('SELECT * FROM scores').all() as { subject: string; program: string }[]) {
      out[`${first.get(s.subject)}@${s.program}`] = { ...s, subject: undefined };
    }
    return out;
  } finally {
    db.close();
  }
}

describe('ingest is idempotent, order-independent and crash-safe (real binary, real SQLite file)', () => {
  const worlds: World[] = [];
  const world = (): World => {
    const w = makeWorld({ programs: PROGRAMS });
    worlds.push(w);
    return w;
  };
  afterEach(() => {
    for (const w of worlds.splice(0)) w.dispose();
  });

  it('the same files twice, in either order, give identical scores and ledgers', () => {
    const ab = world();
    const [fa, fb] = twoFiles(ab.dir, 160);
    ok(ab.run(['ingest', fa, fb]));
    const ba = world();
    ok(ba.run(['ingest', fb, fa]));
    ok(ba.run(['ingest', fa, fb, '--json']));
    const again = JSON.parse(ba.run(['ingest', fb, '--json']).stdout);
    expect(again.accepted).toBe(0);
    expect(again.duplicates).toBe(again.lines);
    const x = scoresByIdentity(ab.db);
    expect(Object.keys(x).length).toBeGreaterThan(160);
    expect(scoresByIdentity(ba.db)).toEqual(x);
  });

  it('one generated file cut in three by lines, people spread over the parts, gives the same people and scores in either order', () => {
    // Seeds 5 and 7 each linked one person to another of the same common name in one order only
    // (addresses that shared only street-type words and the city; sequential customer numbers).
    for (const seed of [5, 7]) {
      const lines = [...generateJsonl({ people: 300, days: 200, seed, end: recentEnd() })];
      const forward = world();
      const third = Math.ceil(lines.length / 3);
      const parts = [0, 1, 2].map((k) => {
        const f = join(forward.dir, `part${k}.jsonl`);
        writeFileSync(f, lines.slice(k * third, (k + 1) * third).join(''));
        return f;
      });
      for (const f of parts) ok(forward.run(['ingest', f]));
      const backward = world();
      for (const f of [...parts].reverse()) ok(backward.run(['ingest', f]));
      const scores = scoresByFacts(forward.db);
      expect(Object.keys(scores).length).toBeGreaterThan(300);
      expect(scoresByFacts(backward.db)).toEqual(scores);
    }
  });

  it('rebuild re-derives exactly the ledgers and scores ingest wrote', () => {
    const w = world();
    const [fa, fb] = twoFiles(w.dir, 100);
    ok(w.run(['ingest', fa, fb]));
    const before = dumpDatabase(w.db);
    const r = w.run(['rebuild', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).people).toBe(before.subjects?.length);
    expect(dumpDatabase(w.db)).toEqual(before);
  });

  it('a killed ingest, run again, gives the same database as an uninterrupted one', async () => {
    const whole = world();
    const file = join(whole.dir, 'facts.jsonl');
    writeFileSync(
      file,
      [...generateJsonl({ people: 700, seed: 5, days: RECENT_DAYS, end: recentEnd() })].join(''),
    );
    ok(whole.run(['ingest', file, '--batch-size', '300']));

    const killed = world();
    const child = spawnCli(['ingest', file, '--db', killed.db, '--batch-size', '300'], killed.dir);
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    // Kill it mid-file: after some batches are committed, well before the end.
    for (let i = 0; i < 600 && countFacts(killed.db) < 2000; i++) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    await exited;
    const partial = countFacts(killed.db);
    const total = countFacts(whole.db);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(total);
    const rerun = killed.run(['ingest', file, '--batch-size', '300', '--json']);
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout).duplicates).toBe(partial);
    expect(dumpDatabase(killed.db)).toEqual(dumpDatabase(whole.db));
  });

  it('Ctrl-C stops after the batch in flight; the same command again finishes the job', async () => {
    const whole = world();
    const file = join(whole.dir, 'facts.jsonl');
    writeFileSync(
      file,
      [...generateJsonl({ people: 700, seed: 9, days: RECENT_DAYS, end: recentEnd() })].join(''),
    );
    ok(whole.run(['ingest', file, '--batch-size', '200']));

    const stopped = world();
    const child = spawnCli(
      ['ingest', file, '--db', stopped.db, '--batch-size', '200', '--json'],
      stopped.dir,
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    const code = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    for (let i = 0; i < 600 && countFacts(stopped.db) < 1000; i++)
      await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGINT');
    expect(await code).toBe(130);
    expect(JSON.parse(stdout)).toMatchObject({ interrupted: true });
    ok(stopped.run(['ingest', file, '--batch-size', '200']));
    expect(dumpDatabase(stopped.db)).toEqual(dumpDatabase(whole.db));
  });
});
