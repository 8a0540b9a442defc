import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiSchema } from '../../src/api/sqlite/api-schema.js';
import { line, MARKETPLACE, makeWorld, ok, type World } from './cli.js';

interface ScoreJson {
  subject: string;
  status: string;
  score?: number;
  flags?: string[];
}

// `credence score` and `explain` marked a fact under dispute at every as-of, by today's state: a
// dispute opened in May took the default out of a replay of April, and once rejected the stretch
// it was open was replayed as if it had never been. A dispute marks its fact from `opened_at`
// until `resolved_at`, as the API's as-of scores do.
describe('credence score/explain --as-of mark a disputed fact as it stood then (real binary)', () => {
  let w: World;
  beforeEach(() => {
    w = makeWorld({ programs: [MARKETPLACE] });
  });
  afterEach(() => w.dispose());

  it('before the opening, while open, after the rejection', () => {
    const subject = { phone: '+8613800138000' };
    const lines = [1, 2, 3, 4].map((d) =>
      line({
        id: `p${d}`,
        source: 'pay',
        type: 'payment.completed',
        occurredAt: `2026-03-0${d}T10:00:00Z`,
        subject,
        data: { amount: 50 },
      }),
    );
    lines.push(
      line({
        id: 'L1-default',
        source: 'bank',
        type: 'loan.defaulted',
        occurredAt: '2026-03-05T10:00:00Z',
        subject,
        data: { lender: 'bank', loan: 'L1', amount: 5000 },
      }),
    );
    const file = join(w.dir, 'in.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    ok(w.run(['ingest', file, '--json']));
    const score = (asOf: string) =>
      w.json<ScoreJson>(['score', '+8613800138000', '--program', 'marketplace', '--as-of', asOf]);
    const explained = (asOf: string) =>
      JSON.parse(
        ok(w.run(['explain', '+8613800138000', '--program', 'marketplace', '--as-of', asOf, '--json']))
          .stdout,
      ).outcome.score as number;
    const instants = {
      before: '2026-04-01T00:00:00Z',
      opened: '2026-05-01T00:00:00Z',
      during: '2026-05-10T00:00:00Z',
      resolved: '2026-06-01T00:00:00Z',
      after: '2026-06-15T00:00:00Z',
    };
    // The answers with no dispute at all, and with the default left out (the dispute open).
    const plain = Object.fromEntries(Object.entries(instants).map(([k, t]) => [k, score(t)]));

    const db = new Database(w.db);
    db.exec(apiSchema);
    db.prepare(
      `INSERT INTO api_disputes (id, subject, source, fact_id, reason, opened_at, due_at, status)
       VALUES ('d-1', ?, 'bank', 'L1-default', 'never borrowed', ?, ?, 'open')`,
    ).run(plain.before?.subject, Date.parse(instants.opened), Date.parse(instants.opened) + 20 * 86_400_000);
    db.close();

    // Open: nothing before the opening changes; from the opening on the default is left out.
    expect(score(instants.before)).toEqual(plain.before);
    expect(explained(instants.before)).toBe(plain.before?.score);
    const suspended = {
      opened: score(instants.opened),
      during: score(instants.during),
      resolved: score(instants.resolved),
      after: score(instants.after),
    };
    for (const k of ['opened', 'during', 'resolved', 'after'] as const) {
      expect(suspended[k].score, k).toBeGreaterThan(plain[k]?.score as number);
    }
    expect(explained(instants.during)).toBe(suspended.during.score);

    const again = new Database(w.db);
    again
      .prepare("UPDATE api_disputes SET status = 'rejected', resolved_at = ? WHERE id = 'd-1'")
      .run(Date.parse(instants.resolved));
    again.close();
    // Rejected: the stretch it was open keeps the mark; before and after, the default counts.
    expect(score(instants.before)).toEqual(plain.before);
    expect(score(instants.opened)).toEqual(suspended.opened);
    expect(score(instants.during)).toEqual(suspended.during);
    expect(explained(instants.during)).toBe(suspended.during.score);
    expect(score(instants.resolved)).toEqual(plain.resolved);
    expect(score(instants.after)).toEqual(plain.after);
    expect(explained(instants.after)).toBe(plain.after?.score);
  });
});
