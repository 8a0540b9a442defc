import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from '../../src/store/sqlite/sqlite-migrations.js';
import { MARKETPLACE, makeWorld } from './cli.js';

const w = makeWorld({ programs: [MARKETPLACE] });
afterAll(() => w.dispose());

const pragma = (sql: string) => {
  const db = new Database(w.db);
  try {
    return db.pragma(sql, { simple: true });
  } finally {
    db.close();
  }
};

describe('a database made by a newer Credence (real binary, real file)', () => {
  // A file whose schema is past the migrations this Credence knows was opened, scored, ingested
  // into, rebuilt and even "initialised": an older Credence writing it leaves whatever the newer
  // schema added (tables, columns, seals) unmaintained, so the file is refused, untouched.
  // `audit verify` would check only the seals it knows and call the file intact.
  it('is refused by every command with CREDENCE_E_DB, and nothing is written', () => {
    const facts = join(w.dir, 'facts.jsonl');
    writeFileSync(
      facts,
      `${JSON.stringify({ id: 'p1', source: 'pay', type: 'payment.completed', occurredAt: '2026-06-01T00:00:00Z', subject: { phone: '+8613800138000' }, data: { amount: 10 } })}\n`,
    );
    expect(w.run(['ingest', facts]).code).toBe(0);
    const newer = migrations.length + 3;
    pragma(`user_version = ${newer}`);
    const before = { facts: count('facts'), scores: count('scores'), ledger: count('ledger') };
    for (const args of [
      ['init'],
      ['ingest', facts],
      ['rebuild'],
      ['score', 'P0000001', '--program', 'marketplace'],
      ['export', 'P0000001'],
      ['program', 'load', MARKETPLACE],
      ['audit', 'verify'],
      ['audit', 'list'],
      ['purge', '--dry-run'],
    ]) {
      const r = w.run(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(
        new RegExp(
          `^error: database .*credence\\.db was made by a newer Credence \\(schema ${newer}; this one knows up to ${migrations.length}\\)[^\\n]*\\n {2}\\[CREDENCE_E_DB\\]\\n$`,
        ),
      );
    }
    expect(pragma('user_version')).toBe(newer);
    expect({ facts: count('facts'), scores: count('scores'), ledger: count('ledger') }).toEqual(before);
  });
});

function count(table: string): number {
  const db = new Database(w.db, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}
