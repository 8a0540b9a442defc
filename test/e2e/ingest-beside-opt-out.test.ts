import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { generateJsonl, recentEnd } from '../../src/generate/index.js';
import { BIN, CITY_CIVIC, countFacts, MARKETPLACE, makeWorld, ok, type World } from './cli.js';

// A `credence ingest` holds people (their facts and consents) in memory between batches. An
// opt-out written meanwhile by another process (`credence consent`, the API) must be seen by the
// batches that follow it: judged from what the ingest read before, a later fact of that person
// stored a ledger and a cached score in the program they left — a hidden score.

/** The person's id, the rows stored for them in a program, and whether a fact of theirs was stored after their opt-out. */
function afterOptOut(path: string, nationalId: string, program: string) {
  const db = new Database(path, { readonly: true });
  try {
    const subject = (
      db
        .prepare("SELECT subject FROM identifiers WHERE kind = 'national_id' AND value = ?")
        .get(nationalId) as {
        subject: string;
      }
    ).subject;
    const optOut = db
      .prepare("SELECT max(seq) AS seq FROM facts WHERE subject = ? AND type = 'credence.opt_out'")
      .pluck()
      .get(subject) as number | null;
    const later = db
      .prepare("SELECT count(*) FROM facts WHERE subject = ? AND seq > ? AND type NOT LIKE 'credence.%'")
      .pluck()
      .get(subject, optOut ?? 0) as number;
    const ledger = db
      .prepare('SELECT count(*) FROM ledger WHERE subject = ? AND program = ?')
      .pluck()
      .get(subject, program) as number;
    const scores = db
      .prepare('SELECT status, score FROM scores WHERE subject = ? AND program = ?')
      .all(subject, program);
    return { subject, optOut, later, ledger, scores };
  } finally {
    db.close();
  }
}

describe('credence ingest beside an opt-out written by another process', () => {
  const worlds: World[] = [];
  afterEach(() => {
    for (const w of worlds.splice(0)) w.dispose();
  });

  it('stores no ledger and no cached score for the person in the program they left', async () => {
    const w = makeWorld({ programs: [MARKETPLACE, CITY_CIVIC] });
    worlds.push(w);
    const lines = [...generateJsonl({ people: 400, seed: 3, days: 364, end: recentEnd() })];
    // The first person's facts that name their resident ID: the first three open the file, the
    // rest close it, so the ingest meets them before and after the opt-out.
    const nationalId = (JSON.parse(lines[0] as string) as { subject: { national_id: string } }).subject
      .national_id;
    const theirs = lines.filter((l) => l.includes(nationalId));
    const others = lines.filter((l) => !l.includes(nationalId));
    expect(theirs.length).toBeGreaterThan(8);
    // The ingest reads standard input: it runs, waiting for the rest of its lines, until they are sent.
    const child = spawn(process.execPath, [BIN, 'ingest', '-', '--db', w.db, '--batch-size', '100'], {
      cwd: w.dir,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    child.stdin.write([...theirs.slice(0, 3), ...others.slice(0, 297)].join(''));
    for (let i = 0; i < 1000 && countFacts(w.db) < 300; i++) await new Promise((r) => setTimeout(r, 10));
    ok(w.run(['consent', nationalId, '--program', 'marketplace', '--opt-out']));
    child.stdin.end([...others.slice(297), ...theirs.slice(3)].join(''));
    expect(await code, stderr).toBe(0);

    const seen = afterOptOut(w.db, nationalId, 'marketplace');
    // The opt-out landed mid-file: facts of the person were ingested after it.
    expect(seen.optOut).not.toBeNull();
    expect(seen.later).toBeGreaterThan(0);
    expect({ ledger: seen.ledger, scores: seen.scores }).toEqual({ ledger: 0, scores: [] });
    expect(w.json(['score', seen.subject, '--program', 'marketplace'])).toMatchObject({
      status: 'not-scored',
      reason: 'opted-out',
    });
  });
});
