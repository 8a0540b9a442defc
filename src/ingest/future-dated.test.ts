import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { consentVerdict } from '../core/consent/index.js';
import { compileRulebook } from '../core/rulebook/compile.js';
import { openSqliteStore } from '../store/sqlite/index.js';
import type { SourceLine } from './jsonl-reader.js';
import { IngestPipeline } from './pipeline.js';
import { ProgramSet } from './program-set.js';
import { ExactResolver } from './resolve/index.js';
import type { Rejection } from './validate.js';

// A fact dated later than the ingest clock plus the clock skew allowed (5 minutes) is refused
// with CREDENCE_E_FACT_IN_FUTURE on its line and field, the rest of the batch stored; a
// retraction and an opt-in likewise, an opt-out never (the hard line). The clock is fixed: the
// verdicts do not depend on the day the test runs.

const YAML = `program: shop
name: Shop
enrollment: opt-out
scale: { min: 0, max: 2000, base: 1000 }
tiers: [{ id: A, min: 1000 }, { id: B, min: 0 }]
events:
  shop.buy: { category: commerce, fields: { amount: number } }
rules:
  - { id: buy, on: shop.buy, points: 7, reason: { code: B1, text: Purchases } }
`;
const rb = compileRulebook(YAML);
const dir = mkdtempSync(join(tmpdir(), 'credence-future-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NOW = Date.parse('2026-06-01T12:00:00Z');
const MIN = 60_000;
const iso = (t: number) => new Date(t).toISOString();
const buyer = { phone: '+8613800138000' };
const other = { phone: '+8613900139000' };
const buy = (id: string, at: string) =>
  JSON.stringify({ id, source: 's', type: 'shop.buy', occurredAt: at, subject: buyer, data: { amount: 1 } });
const consent = (id: string, type: string, at: string) =>
  JSON.stringify({ id, source: 'desk', type, occurredAt: at, subject: other, data: { program: 'shop' } });
const retract = (id: string, target: string, at: string) =>
  JSON.stringify({ id, source: 's', retracts: target, occurredAt: at });

const LINES = [
  buy('past', iso(NOW - 60 * MIN)),
  buy('skew', iso(NOW + 4 * MIN)),
  // The bound itself is in time: only later than now + 5 minutes is refused.
  buy('edge', iso(NOW + 5 * MIN)),
  buy('ahead', iso(NOW + 5 * MIN + 1)),
  buy('typo', '2062-06-01T10:00:00+08:00'),
  retract('r-ahead', 'past', '2062-01-01T00:00:00Z'),
  consent('in-ahead', 'credence.opt_in', '2062-01-01T00:00:00Z'),
  consent('out-ahead', 'credence.opt_out', '2062-01-01T00:00:00Z'),
  // The person who opted out bought too: with the opt-out lost, they would be scored.
  JSON.stringify({
    id: 'o1',
    source: 's',
    type: 'shop.buy',
    occurredAt: iso(NOW - 90 * MIN),
    subject: other,
    data: { amount: 1 },
  }),
];

async function run(path: string): Promise<{ p: IngestPipeline; refused: Rejection[] }> {
  const store = await openSqliteStore(path, { create: true });
  await store.migrate();
  await store.addRulebook({ program: 'shop', name: 'Shop', yaml: YAML, effectiveFrom: 0, loadedAt: 0 });
  const p = new IngestPipeline(store, new ProgramSet([rb]), new ExactResolver(store), {
    now: () => NOW,
    batchSize: 3,
  });
  const refused: Rejection[] = [];
  const numbered: SourceLine[] = LINES.map((text, i) => ({ file: 'f.jsonl', line: i + 1, text }));
  await p.ingest(
    (async function* () {
      yield { lines: numbered, bytes: 0 };
    })(),
    { rejected: (r) => refused.push(r) },
  );
  await store.close();
  return { p, refused };
}

function rows(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    return {
      facts: db.prepare('SELECT source, id, subject, at, body, retracts FROM facts ORDER BY seq').all(),
      consents: db.prepare('SELECT * FROM consents ORDER BY subject, program, fact_key').all(),
      ledger: db.prepare('SELECT * FROM ledger ORDER BY subject, program, fact_key, rule_id').all(),
      scores: db.prepare('SELECT * FROM scores ORDER BY subject, program').all(),
    };
  } finally {
    db.close();
  }
}

describe('ingest refuses a fact dated ahead of its clock', () => {
  const path = join(dir, 'future.db');

  it('refuses it on its line and field, naming the instant and the now, and stores the rest', async () => {
    const { p, refused } = await run(path);
    expect(refused.map((r) => [r.line, r.code, r.field])).toEqual([
      [4, 'CREDENCE_E_FACT_IN_FUTURE', 'occurredAt'],
      [5, 'CREDENCE_E_FACT_IN_FUTURE', 'occurredAt'],
      [6, 'CREDENCE_E_FACT_IN_FUTURE', 'occurredAt'],
      [7, 'CREDENCE_E_FACT_IN_FUTURE', 'occurredAt'],
    ]);
    expect(refused[0]?.reason).toBe(
      'occurred 2026-06-01T12:05:00.001Z, later than now (2026-06-01T12:00:00.000Z) by more than the 5 minutes allowed for clock skew: a fact records what has happened; correct the date (or the sending clock) and send it again',
    );
    // The instant as an instant: the +08:00 of the line is read, not dropped.
    expect(refused[1]?.reason).toMatch(
      /^occurred 2062-06-01T02:00:00\.000Z, later than now \(2026-06-01T12:00:00\.000Z\)/,
    );
    expect(refused[1]?.text).toBe(LINES[4]);
    expect(p.counts).toMatchObject({ lines: 9, accepted: 5, rejected: 4, consents: 1, retractions: 0 });

    const r = rows(path);
    expect((r.facts as { source: string; id: string }[]).map((f) => `${f.source}/${f.id}`)).toEqual([
      's/past',
      's/skew',
      's/edge',
      'desk/out-ahead',
      's/o1',
    ]);
    // The retraction dated ahead changed nothing: "past" still counts.
    expect((r.ledger as { fact_key: string }[]).map((l) => l.fact_key)).toEqual([
      's/edge',
      's/past',
      's/skew',
    ]);
  });

  it('records an opt-out dated ahead, which takes effect when received (an opt-out is never lost to the check)', async () => {
    const r = rows(path);
    const held = r.consents as { subject: string; program: string; action: string; at: number }[];
    expect(held).toHaveLength(1);
    // In effect from the ingest clock, not from 2062: an opt-in the person gives after today holds
    // (at its date it outweighed every opt-in until 2062, and an opt-out cannot be retracted).
    expect(held[0]).toMatchObject({ program: 'shop', action: 'opt-out', at: NOW });
    // The fact keeps the date it was sent with.
    expect((r.facts as { id: string; at: number }[]).find((f) => f.id === 'out-ahead')?.at).toBe(
      Date.parse('2062-01-01T00:00:00Z'),
    );
    // The opt-in dated ahead was refused, so nothing overtakes the opt-out: out now and after 2062.
    const history = held.map((h) => ({ action: h.action as 'opt-out', at: h.at }));
    expect(consentVerdict('opt-out', history, NOW).scorable).toBe(false);
    const later = [...history, { action: 'opt-in' as const, at: NOW + 86_400_000 }];
    expect(consentVerdict('opt-out', later, NOW + 2 * 86_400_000).scorable).toBe(true);
    expect(consentVerdict('opt-out', history, Date.parse('2070-01-01T00:00:00Z')).scorable).toBe(false);
    // No ledger and no cached score for the person who opted out, though they bought; the buyer's are there.
    const out = held[0]?.subject;
    expect((r.ledger as { subject: string }[]).filter((l) => l.subject === out)).toEqual([]);
    expect((r.scores as { subject: string }[]).map((x) => x.subject)).not.toContain(out);
    expect(r.scores).toHaveLength(1);
  });

  it('a second run with the same clock refuses the same lines and stores nothing more', async () => {
    const before = rows(path);
    const { p, refused } = await run(path);
    expect(refused.map((r) => [r.line, r.code])).toEqual([
      [4, 'CREDENCE_E_FACT_IN_FUTURE'],
      [5, 'CREDENCE_E_FACT_IN_FUTURE'],
      [6, 'CREDENCE_E_FACT_IN_FUTURE'],
      [7, 'CREDENCE_E_FACT_IN_FUTURE'],
    ]);
    expect(p.counts).toMatchObject({ accepted: 0, duplicates: 5, rejected: 4 });
    expect(rows(path)).toEqual(before);
  });
});
