import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { line, makeWorld } from './cli.js';

// A stored version that the grown word lists now refuse stopped every `credence ingest`,
// `rebuild` and program load of the file (exit 6), for all programs and not only its own, and the
// scores it had cached stayed in the file, shown in the person's copy as their score. Decided: the
// program scores no one while such a version of it is in force at some as-of (no ledger kept, no
// cached score, queries refused naming the version); the other programs go on; the operator is
// told which program, which version, why and what to do; the person's opt-out is still recorded.
const notes = (word: string) => `program: notes
name: Notes
enrollment: opt-out
scale: { min: 0, max: 1000, base: 500 }
tiers: [{ id: a, min: 0 }]
events:
  order.noted: { category: commerce, fields: { tag: string } }
rules:
  - { id: tagged, on: order.noted, when: "fact.tag == '${word}'", points: -100, reason: { code: N1, text: "Order note" } }
`;
const shop = (points: number) => `program: shop
name: Shop
enrollment: opt-out
scale: { min: 0, max: 1000, base: 500 }
tiers: [{ id: a, min: 0 }]
events:
  order.paid: { category: commerce, fields: { amount: number } }
rules:
  - { id: paid, on: order.paid, points: ${points}, reason: { code: S1, text: "Order paid" } }
`;

const PHONE = '+8613800138000';
const fact = (id: string, type: string, data: Record<string, unknown>, day = '01') =>
  line({ id, source: 'shop', type, occurredAt: `2026-03-${day}T10:00:00Z`, subject: { phone: PHONE }, data });

const w = makeWorld();
afterAll(() => w.dispose());

const file = (name: string, text: string): string => {
  const path = join(w.dir, name);
  writeFileSync(path, text);
  return path;
};
const rows = (sql: string): unknown[] => {
  const db = new Database(w.db, { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  for (const f of [file('notes.yaml', notes('late')), file('shop.yaml', shop(10))])
    expect(w.run(['program', 'load', f]).code).toBe(0);
  const first = w.run(['ingest', '-'], {
    input: `${fact('o1', 'order.noted', { tag: 'late' })}\n${fact('p1', 'order.paid', { amount: 5 })}\n`,
  });
  expect(first.code, first.stderr).toBe(0);
  expect(rows("SELECT program FROM scores WHERE program = 'notes'")).toHaveLength(1);
  // What an older word list let through, stored as its loader stored it.
  const store = await openSqliteStore(w.db);
  try {
    await store.addRulebook({
      program: 'notes',
      name: 'Notes',
      yaml: notes('protest'),
      effectiveFrom: 0,
      loadedAt: Date.now(),
    });
  } finally {
    await store.close();
  }
});

describe('a stored version the hard line now refuses withholds its own program only (real binary)', () => {
  it('ingest goes on for the other programs, tells the operator, and refuses only facts no other program takes', () => {
    const r = w.run(['ingest', '-'], { input: `${fact('p2', 'order.paid', { amount: 5 }, '02')}\n` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('program notes scores no one: notes v2 is refused');
    expect(r.stderr).toContain('picks out facts by "protest"');
    expect(r.stderr).toContain('credence program load');
    const list = w.run(['program', 'list']);
    expect(list.stdout).toMatch(
      /notes v2 {2}Notes {2}in force now; REFUSED by the hard line, so notes scores no one: rule "tagged" picks out facts by "protest"/,
    );
    expect(
      w
        .json<{ programs: Array<{ version: number; refused?: string }> }>(['program', 'list'])
        .programs.filter((p) => p.refused !== undefined),
    ).toEqual([expect.objectContaining({ version: 2 })]);
    const scored = w.json<{ status: string; score: number }>(['score', PHONE, '--program', 'shop']);
    expect(scored).toMatchObject({ status: 'scored', score: 520 });

    const noted = w.run(['ingest', '-', '--json'], {
      input: `${fact('o2', 'order.noted', { tag: 'x' }, '02')}\n`,
    });
    expect(noted.code).toBe(3);
    expect(noted.stderr).toContain('CREDENCE_E_FACT_UNKNOWN_TYPE');
    expect(noted.stderr).toMatch(
      /"order\.noted" is declared by notes, whose version 2 the hard line refuses/,
    );
  });

  it('serves no score of it: score and explain refuse naming the version, the copy shows none', () => {
    for (const cmd of ['score', 'explain']) {
      const r = w.run([cmd, PHONE, '--program', 'notes']);
      expect(r.code, cmd).toBe(6);
      expect(r.stderr).toContain('notes v2 is refused');
    }
    const copy = w.json<{
      scores: Array<{ program: string; asOf: string; status: string; score?: number; reason?: string }>;
      ledgers: Record<string, unknown[]>;
    }>(['export', PHONE]);
    expect(copy.scores.find((s) => s.program === 'shop')).toMatchObject({ status: 'scored', score: 520 });
    const held = copy.scores.find((s) => s.program === 'notes');
    expect(held).toMatchObject({ status: 'not-scored', reason: 'rulebook-refused' });
    expect(held).not.toHaveProperty('score');
    // As of the copy, as the rows beside it, not of the number it replaces (the fact's date).
    expect(held?.asOf).not.toBe('2026-03-01T10:00:00.000Z');
    expect(held?.asOf).toBe(copy.scores.find((s) => s.program === 'shop')?.asOf);
    // The person's record of what was counted stays in their copy until a rebuild.
    expect(copy.ledgers.notes).toHaveLength(1);
  });

  it('records the person opting out of it, and lets another program load a version', () => {
    const out = w.run(['consent', PHONE, '--program', 'notes', '--opt-out', '--at', '2026-03-03T00:00:00Z']);
    expect(out.code, out.stderr).toBe(0);
    expect(rows("SELECT action FROM consents WHERE program = 'notes'")).toEqual([{ action: 'opt-out' }]);
    const next = w.run(['program', 'load', file('shop2.yaml', shop(20))]);
    expect(next.code, next.stderr).toBe(0);
    expect(w.json<{ score: number }>(['score', PHONE, '--program', 'shop']).score).toBe(540);
  });

  it('rebuild re-derives the others, drops what it cached and says so', () => {
    const r = w.run(['rebuild']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('program notes scores no one: notes v2 is refused');
    expect(rows("SELECT program FROM scores WHERE program = 'notes'")).toEqual([]);
    expect(rows("SELECT program FROM scores WHERE program = 'shop'")).toHaveLength(1);
    const audit = w.run(['audit', 'verify']);
    expect(audit.code, audit.stderr + audit.stdout).toBe(0);
  });
});
