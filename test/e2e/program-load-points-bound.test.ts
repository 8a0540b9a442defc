import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { line, makeWorld, ok, type World } from './cli.js';

// A rule's points are bounded to ±1e9 on each fact (so no sum overflows), and loading a version
// re-derives the program's ledgers from the facts already stored. The check made before storing
// it tried each rule on those facts but let through any finite number: a version whose rule gave
// 5e12 points on a stored fact was stored and put in force, its re-derivation then failed
// (CREDENCE_E_FACT_INVALID, exit 3), and from then on every score and explanation of that person
// failed. Refused before anything is stored, as a rule that cannot be evaluated on them is.
const rulebook = (points: string) => `program: bounded
name: Bounded
enrollment: opt-out
scale: { min: 0, max: 1000, base: 500 }
tiers:
  - { id: a, min: 500 }
  - { id: b, min: 0 }
dimensions: [d]
minFacts: 1
events:
  shop.sale: { category: commerce, fields: { amount: number } }
rules:
  - id: per-amount
    on: shop.sale
    points: "${points}"
    dimension: d
    reason: { code: X1, text: "Sales" }
`;

describe('credence program load of a version whose points on stored facts exceed the bound (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('is refused naming the rule and the fact; the version in force and every score stay as they were', () => {
    w = makeWorld();
    const v1 = join(w.dir, 'v1.yaml');
    const v2 = join(w.dir, 'v2.yaml');
    writeFileSync(v1, rulebook('fact.amount'));
    writeFileSync(v2, rulebook('fact.amount * 1000000000000.0'));
    ok(w.run(['program', 'load', v1]));
    const sale = (id: string, amount: number) =>
      line({
        id,
        source: 'shop',
        type: 'shop.sale',
        occurredAt: '2026-03-01T10:00:00Z',
        subject: { phone: '+8613800138001' },
        data: { amount },
      });
    ok(w.run(['ingest', '-'], { input: `${sale('s1', 5)}\n${sale('s2', 0)}\n` }));
    const before = w.json<{ score: number }>(['score', '+8613800138001', '--program', 'bounded']);
    expect(before.score).toBe(505);

    const r = w.run(['program', 'load', v2]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('CREDENCE_E_RULEBOOK_INVALID');
    expect(r.stderr).toContain('rules[0].points');
    expect(r.stderr).toContain('shop/s1');
    expect(r.stderr).toContain('1,000,000,000');
    // s2 gives 0 points under either version: only the fact beyond the bound is counted.
    expect(r.stderr).toContain('1 stored fact of shop.sale');

    const { programs } = w.json<{ programs: { version: number; status: string }[] }>(['program', 'list']);
    expect(programs.map((p) => [p.version, p.status])).toEqual([[1, 'in-force']]);
    expect(
      w
        .json<{ entries: { action: string }[] }>(['audit', 'list'])
        .entries.filter((e) => e.action === 'program.load'),
    ).toHaveLength(1);
    const after = w.json<{ score: number; version: number }>([
      'score',
      '+8613800138001',
      '--program',
      'bounded',
    ]);
    expect(after).toMatchObject({ score: 505, version: 1 });
    ok(w.run(['explain', '+8613800138001', '--program', 'bounded']));
  });
});
