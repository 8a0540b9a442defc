import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileRulebook } from '../../src/core/rulebook/index.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { line, makeWorld } from './cli.js';

// A stored version that this build's compiler refuses for a reason other than the hard line (a
// rule's CEL a stricter checker or a CEL upgrade refuses, CREDENCE_E_CEL; a check added since it
// was stored, CREDENCE_E_RULEBOOK_INVALID) stopped every `credence ingest` and `rebuild` of the
// file, for every program. Decided: it withholds its own program as a version the hard line now
// refuses does (hard-line-stored-withheld.test.ts): the others go on, the operator is told which
// program, which version, the compiler's reason and what to do.
const notes = (when: string) => `program: notes
name: Notes
enrollment: opt-out
scale: { min: 0, max: 1000, base: 500 }
tiers: [{ id: a, min: 0 }]
events:
  order.noted: { category: commerce, fields: { tag: string } }
rules:
  - { id: tagged, on: order.noted, when: "${when}", points: -100, reason: { code: N1, text: "Order note" } }
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
// A flag lifted by a removal kept less long than the listing: refused since Credence checks it
// (CREDENCE_E_RULEBOOK_INVALID), also for a version stored before.
const court = (removalRetain: string) => `program: court
name: Court
enrollment: opt-out
scale: { min: 0, max: 1000, base: 500 }
tiers: [{ id: a, min: 0 }]
events:
  court.listed: { category: legal, fields: { case: string }, retain: P5Y }
  court.removed: { category: legal, fields: { case: string }, retain: ${removalRetain} }
flags:
  - { id: listed, set: court.listed, clear: court.removed, key: [case], reason: { code: C1, text: "Listed" } }
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
  for (const f of [
    file('notes.yaml', notes("fact.tag == 'late'")),
    file('shop.yaml', shop(10)),
    file('court.yaml', court('P5Y')),
  ])
    expect(w.run(['program', 'load', f]).code).toBe(0);
  const first = w.run(['ingest', '-'], {
    input: `${fact('o1', 'order.noted', { tag: 'late' })}\n${fact('p1', 'order.paid', { amount: 5 })}\n`,
  });
  expect(first.code, first.stderr).toBe(0);
  expect(rows("SELECT program FROM scores WHERE program = 'notes'")).toHaveLength(1);
  // What an older compiler let through, stored as its loader stored it: a string compared with a
  // number, and a removal kept a year where the listing is kept five.
  expect(() => compileRulebook(notes('fact.tag > 5'))).toThrow(
    expect.objectContaining({ code: 'CREDENCE_E_CEL' }),
  );
  expect(() => compileRulebook(court('P1Y'))).toThrow(
    expect.objectContaining({ code: 'CREDENCE_E_RULEBOOK_INVALID' }),
  );
  const store = await openSqliteStore(w.db);
  try {
    for (const [program, name, yaml] of [
      ['notes', 'Notes', notes('fact.tag > 5')],
      ['court', 'Court', court('P1Y')],
    ] as const)
      await store.addRulebook({ program, name, yaml, effectiveFrom: 0, loadedAt: Date.now() });
  } finally {
    await store.close();
  }
});

describe('a stored version that no longer compiles withholds its own program only (real binary)', () => {
  it('ingest goes on for the other programs and tells the operator which version, why and what to do', () => {
    const r = w.run(['ingest', '-'], { input: `${fact('p2', 'order.paid', { amount: 5 }, '02')}\n` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /program notes scores no one: notes v2 no longer compiles \(rules\[0\]\.when: "fact\.tag > 5" [^)]*\) \[CREDENCE_E_CEL\]/,
    );
    expect(r.stderr).toMatch(
      /program court scores no one: court v2 no longer compiles \(flags\[0\]\.clear: [^)]*kept P1Y/,
    );
    expect(r.stderr).toContain('[CREDENCE_E_RULEBOOK_INVALID]');
    expect(r.stderr).toContain('load a corrected version (credence program load FILE.yaml');
    expect(r.stderr).not.toContain('hard line');
    expect(w.json<{ score: number }>(['score', PHONE, '--program', 'shop']).score).toBe(520);

    const noted = w.run(['ingest', '-'], { input: `${fact('o2', 'order.noted', { tag: 'x' }, '02')}\n` });
    expect(noted.code).toBe(3);
    expect(noted.stderr).toContain('CREDENCE_E_FACT_UNKNOWN_TYPE');
    expect(noted.stderr).toMatch(/"order\.noted" is declared by notes, whose version 2 no longer compiles/);
  });

  it("program list marks the version refused with the compiler's reason", () => {
    const list = w.run(['program', 'list']);
    expect(list.stdout).toMatch(
      /notes v2 {2}Notes {2}in force now; REFUSED as it no longer compiles, so notes scores no one: rules\[0\]\.when/,
    );
    const json = w.json<{ programs: Array<{ program: string; version: number; refused?: string }> }>([
      'program',
      'list',
    ]);
    expect(
      json.programs
        .filter((p) => p.refused !== undefined)
        .map((p) => `${p.program} v${p.version}`)
        .sort(),
    ).toEqual(['court v2', 'notes v2']);
    expect(json.programs.find((p) => p.program === 'notes' && p.version === 2)?.refused).toMatch(
      /^rules\[0\]\.when: "fact\.tag > 5" /,
    );
  });

  it('serves no score of it: score and explain refuse naming the version, the copy shows none', () => {
    for (const program of ['notes', 'court'])
      for (const cmd of ['score', 'explain']) {
        const r = w.run([cmd, PHONE, '--program', program]);
        expect(r.code, `${cmd} ${program}: ${r.stdout}`).toBe(3);
        expect(r.stderr).toContain(`${program} v2`);
      }
    const copy = w.json<{
      scores: Array<{ program: string; status: string; score?: number; reason?: string }>;
    }>(['export', PHONE]);
    expect(copy.scores.find((s) => s.program === 'shop')).toMatchObject({ status: 'scored', score: 520 });
    const held = copy.scores.find((s) => s.program === 'notes');
    expect(held).toMatchObject({ status: 'not-scored', reason: 'rulebook-refused', version: 2 });
    expect(held).not.toHaveProperty('score');
  });

  it('rebuild re-derives the others and drops what it cached; a corrected version scores again', () => {
    const r = w.run(['rebuild']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('program notes scores no one: notes v2 no longer compiles');
    expect(rows("SELECT program FROM scores WHERE program = 'notes'")).toEqual([]);
    expect(rows("SELECT program FROM scores WHERE program = 'shop'")).toHaveLength(1);

    const fixed = w.run(['program', 'load', file('notes3.yaml', notes("fact.tag == 'late'"))]);
    expect(fixed.code, fixed.stderr).toBe(0);
    const again = w.run(['ingest', '-'], { input: `${fact('p3', 'order.paid', { amount: 5 }, '03')}\n` });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('program notes scores no one');
    expect(w.json<{ status: string; score: number }>(['score', PHONE, '--program', 'notes'])).toMatchObject({
      status: 'scored',
      score: 400,
    });
  });
});
