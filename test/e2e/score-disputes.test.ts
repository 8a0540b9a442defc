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

// The API marks a fact under open dispute, and a program with `disputes: { suspend: true }`
// (marketplace) leaves it out while the dispute is open. `credence score` and `explain` read the
// same database without the marks: the operator's CLI answered with the contested default.
describe('credence score and explain leave out a disputed fact, as the API does (real binary)', () => {
  let w: World;
  beforeEach(() => {
    w = makeWorld({ programs: [MARKETPLACE] });
  });
  afterEach(() => w.dispose());

  it('while the dispute is open, and count it again once the dispute is rejected', () => {
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
    const score = () =>
      w.json<ScoreJson>([
        'score',
        '+8613800138000',
        '--program',
        'marketplace',
        '--as-of',
        '2026-04-01T00:00:00Z',
      ]);
    const before = score();
    expect(before.status).toBe('scored');

    const db = new Database(w.db);
    db.exec(apiSchema);
    db.prepare(
      `INSERT INTO api_disputes (id, subject, source, fact_id, reason, opened_at, due_at, status)
       VALUES ('d-1', ?, 'bank', 'L1-default', 'never borrowed', 0, 0, 'open')`,
    ).run(before.subject);
    db.close();
    const open = score();
    expect(open.score).toBeGreaterThan(before.score as number);
    expect(open.flags ?? []).not.toEqual(before.flags ?? []);
    const explained = w.run([
      'explain',
      '+8613800138000',
      '--program',
      'marketplace',
      '--as-of',
      '2026-04-01T00:00:00Z',
      '--json',
    ]);
    expect(JSON.parse(explained.stdout).outcome.score).toBe(open.score);

    const again = new Database(w.db);
    again.prepare("UPDATE api_disputes SET status = 'rejected' WHERE id = 'd-1'").run();
    again.close();
    expect(score()).toEqual(before);
  });
});
