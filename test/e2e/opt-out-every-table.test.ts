import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEntries, line, MARKETPLACE, makeWorld, ok, payment, type World } from './cli.js';

// The person's rights, through the real binary on a real SQLite file. The hard line: an opt-out
// leaves no score and no ledger row of the person anywhere, not after new facts about them, a
// retraction, a new rulebook version, a rebuild, or a merge with a record that was scored; and
// explain shows every point the store holds, each with its fact's source and its rule.

const WEI = { national_id: '11010519491231002X', phone: '+8613800138000' };
const LI = { national_id: '110105194912310037' };
// The same person as Wei, first known by another phone only.
const WEI_NEW_PHONE = { phone: '+8613900139000' };

// Tables that name a person without holding anything scored about them: who they are, what was
// sent about them, their consent, how their records were linked, and the audit log.
const NAMES_ONLY = new Set([
  'subjects',
  'identifiers',
  'facts',
  'consents',
  'identity_records',
  'identity_reviews',
  'identity_decisions',
  'identity_moves',
  'identity_state',
  'audit_log',
  'audit_subject',
]);

/** Every row of every table of the file that mentions one of `ids`, by table. */
function rowsMentioning(path: string, ids: readonly string[]): Record<string, string[]> {
  const db = new Database(path, { readonly: true });
  try {
    const out: Record<string, string[]> = {};
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as string[];
    for (const t of tables) {
      const rows = (db.prepare(`SELECT * FROM "${t}"`).all() as unknown[]).map((r) =>
        JSON.stringify(r, (_k, v) =>
          typeof v === 'bigint' ? String(v) : Buffer.isBuffer(v) ? v.toString('latin1') : v,
        ),
      );
      const hits = rows.filter((r) => ids.some((id) => r.includes(id)));
      if (hits.length > 0) out[t] = hits;
    }
    return out;
  } finally {
    db.close();
  }
}

function count(path: string, sql: string, ...params: unknown[]): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(sql).get(...params) as { n: number }).n;
  } finally {
    db.close();
  }
}

describe("the person's rights through the CLI (real binary, real SQLite file)", () => {
  let w: World;
  beforeEach(() => {
    w = makeWorld({ programs: [MARKETPLACE] });
  });
  afterEach(() => w.dispose());

  const ingest = (name: string, lines: readonly string[]): void => {
    const file = join(w.dir, name);
    writeFileSync(file, `${lines.join('\n')}\n`);
    ok(w.run(['ingest', file]));
  };

  it('explain shows every stored point, each with its fact, source and rule', () => {
    ingest('a.jsonl', [
      payment('p1', '2026-03-01T10:00:00Z', WEI, 120),
      payment('p2', '2026-03-05T10:00:00Z', WEI, 60),
      line({
        id: 's1',
        source: 'shop',
        type: 'purchase.completed',
        occurredAt: '2026-03-06T10:00:00Z',
        subject: { phone: WEI.phone },
        data: { amount: 300, items: 2 },
      }),
      payment('p3', '2026-03-07T10:00:00Z', WEI, 5),
    ]);
    const asOf = '2026-04-01T00:00:00Z';
    const x = w.json<{
      outcome: { status: string; score: number };
      base: number;
      contributions: {
        kind: string;
        factKey?: string;
        source?: string;
        factId?: string;
        ruleId: string;
        points: number;
        reason: { code: string; text: string };
        rule?: { on: string };
      }[];
    }>(['explain', 'P0000001', '--program', 'marketplace', '--as-of', asOf]);
    expect(x.outcome.status).toBe('scored');
    const db = new Database(w.db, { readonly: true });
    const ledger = db
      .prepare(
        "SELECT fact_key, rule_id, points FROM ledger WHERE subject = 'P0000001' AND program = 'marketplace'",
      )
      .all() as { fact_key: string; rule_id: string; points: number }[];
    db.close();
    expect(ledger.length).toBeGreaterThan(0);
    const rules = x.contributions.filter((c) => c.kind === 'rule');
    expect(rules.map((c) => `${c.factKey} ${c.ruleId} ${c.points}`).sort()).toEqual(
      ledger.map((l) => `${l.fact_key} ${l.rule_id} ${l.points}`).sort(),
    );
    for (const c of rules) {
      expect(c.factKey).toBe(`${c.source}/${c.factId}`);
      expect(c.rule?.on, c.ruleId).toBeTruthy();
      expect(c.reason.code).toBeTruthy();
    }
    // Every point, inactivity included, adds up to the score.
    const total = x.contributions.reduce((s, c) => s + c.points, x.base);
    expect(Math.round(total)).toBe(x.outcome.score);
    const text = ok(w.run(['explain', 'P0000001', '--program', 'marketplace', '--as-of', asOf])).stdout;
    for (const c of rules) expect(text).toContain(`${c.source}/${c.factId}`);
  });

  it('an opt-out leaves no score or ledger row of the person in any table, whatever comes after', () => {
    ingest('a.jsonl', [
      payment('p1', '2026-03-01T10:00:00Z', WEI, 120),
      payment('p2', '2026-03-05T10:00:00Z', WEI, 60),
      payment('p3', '2026-03-06T10:00:00Z', WEI, 60),
      payment('l1', '2026-03-01T10:00:00Z', LI, 50),
      payment('l2', '2026-03-02T10:00:00Z', LI, 50),
      payment('l3', '2026-03-03T10:00:00Z', LI, 50),
      // Wei under another phone only: a second person until an operator joins them.
      payment('n1', '2026-03-02T10:00:00Z', WEI_NEW_PHONE, 50),
      payment('n2', '2026-03-03T10:00:00Z', WEI_NEW_PHONE, 50),
      payment('n3', '2026-03-04T10:00:00Z', WEI_NEW_PHONE, 50),
    ]);
    const before = w.json<{ status: string }>([
      'score',
      'P0000001',
      '--program',
      'marketplace',
      '--as-of',
      '2026-04-01T00:00:00Z',
    ]);
    expect(before.status).toBe('scored');
    // The search finds what scoring keeps about a person while they are in.
    const kept = Object.keys(rowsMentioning(w.db, ['P0000001'])).filter((t) => !NAMES_ONLY.has(t));
    expect(kept).toEqual(expect.arrayContaining(['ledger', 'scores']));
    const other = w.json<{ subject: string }>(['score', WEI_NEW_PHONE.phone, '--program', 'marketplace']);
    const wei2 = other.subject;
    expect(wei2).not.toBe('P0000001');
    expect(count(w.db, 'SELECT count(*) AS n FROM ledger WHERE subject = ?', wei2)).toBeGreaterThan(0);

    ok(
      w.run(['consent', 'P0000001', '--program', 'marketplace', '--opt-out', '--at', '2026-04-02T00:00:00Z']),
    );
    const optedOutAt = auditEntries(w.db).at(-1)?.seq ?? 0;
    // New facts about them: from before the opt-out (late), after it, by each identifier.
    ingest('b.jsonl', [
      payment('p0', '2026-02-10T10:00:00Z', WEI, 120),
      payment('p4', '2026-04-10T10:00:00Z', WEI, 120),
      line({
        id: 's2',
        source: 'shop',
        type: 'purchase.completed',
        occurredAt: '2026-04-11T10:00:00Z',
        subject: { phone: WEI.phone },
        data: { amount: 300, items: 2 },
      }),
      line({ id: 'r1', source: 'pay', retracts: 'p2', occurredAt: '2026-04-12T00:00:00Z' }),
    ]);
    // A new version of the rulebook re-derives every ledger; a rebuild re-derives everything.
    const v2 = join(w.dir, 'marketplace-v2.yaml');
    writeFileSync(v2, readFileSync(MARKETPLACE, 'utf8').replace(/^name: .*$/m, 'name: Marketplace v2'));
    ok(w.run(['program', 'load', v2]));
    ok(w.run(['rebuild']));
    // The operator finds the other phone's person to be Wei, and joins them (the older id stays).
    ok(w.run(['identity', 'merge', 'P0000001', wei2, '--note', 'same person']));
    ingest('c.jsonl', [payment('n4', '2026-04-20T10:00:00Z', WEI_NEW_PHONE, 50)]);

    const ids = ['P0000001', wei2];
    const found = rowsMentioning(w.db, ids);
    const scoring = Object.fromEntries(Object.entries(found).filter(([t]) => !NAMES_ONLY.has(t)));
    expect(scoring).toEqual({});
    expect(count(w.db, "SELECT count(*) AS n FROM ledger WHERE subject IN ('P0000001', ?)", wei2)).toBe(0);
    expect(count(w.db, "SELECT count(*) AS n FROM scores WHERE subject IN ('P0000001', ?)", wei2)).toBe(0);
    // Li, who never left, is scored as before.
    expect(count(w.db, "SELECT count(*) AS n FROM ledger WHERE subject NOT IN ('P0000001', ?)", wei2)).toBe(
      3,
    );

    // Every answer about Wei since says so, for any as-of, and the audit log records no number.
    for (const asOf of ['2026-03-20T00:00:00Z', '2026-06-01T00:00:00Z']) {
      const s = w.json<{ status: string; reason: string; score?: number }>([
        'score',
        'P0000001',
        '--program',
        'marketplace',
        '--as-of',
        asOf,
      ]);
      expect(s).toMatchObject({ status: 'not-scored', reason: 'opted-out' });
      expect(s.score).toBeUndefined();
      const e = w.json<{ outcome: { status: string }; contributions: unknown[] }>([
        'explain',
        'P0000001',
        '--program',
        'marketplace',
        '--as-of',
        asOf,
      ]);
      expect(e.outcome.status).toBe('not-scored');
      expect(e.contributions).toEqual([]);
    }
    const file = w.json<{ ledgers: unknown; scores: { status: string; score?: number }[] }>([
      'export',
      'P0000001',
    ]);
    expect(JSON.stringify(file.ledgers)).not.toMatch(/points|fact_key|factKey/);
    for (const s of file.scores) expect(s.score, JSON.stringify(s)).toBeUndefined();
    const later = auditEntries(w.db).filter((e) => e.seq > optedOutAt && ids.includes(e.subject ?? ''));
    expect(later.length).toBeGreaterThan(0);
    for (const e of later) expect(e.detail.score, JSON.stringify(e)).toBeUndefined();
  });
});
