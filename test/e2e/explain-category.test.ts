import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { conditionWords, pointsWords } from '../../src/core/scoring/condition-words.js';
import { line, MARKETPLACE, makeWorld, ok, payment, type World } from './cli.js';

// `credence explain` gives each point the category of the data it comes from and the rule behind
// it, as GET /v1/me/explanations does (policy.md: the declared categories are shown to every
// scored person with each point). Expectations are read from the rulebook file itself.

interface SpecRule {
  id: string;
  on: string;
  when?: string;
  points: number | string;
  cap?: { max: number; per: string };
}
interface SpecInactivity {
  id: string;
  of: string[];
  after: string;
  points: number;
}
const spec = parse(readFileSync(MARKETPLACE, 'utf8')) as {
  events: Record<string, { category: string }>;
  rules: SpecRule[];
  inactivity: SpecInactivity[];
};

const WEI = { national_id: '11010519491231002X', phone: '+8613800138000' };
// Long after the last activity, so the inactivity rule gives a point too.
const AS_OF = ['--as-of', '2026-12-01T00:00:00Z'];

interface Point {
  kind: 'rule' | 'inactivity';
  ruleId: string;
  factKey?: string;
  type?: string;
  category: string | null;
  rule: Record<string, unknown> | null;
}

describe('credence explain: each point with its data category and rule (real binary)', () => {
  let w: World;
  beforeAll(() => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const facts = [
      payment('w1', '2026-01-02T10:00:00Z', WEI, 80),
      payment('w2', '2026-02-02T10:00:00Z', WEI, 80),
      line({
        id: 'o1',
        source: 'shop',
        type: 'purchase.completed',
        occurredAt: '2026-02-10T10:00:00Z',
        subject: WEI,
        data: { amount: 250, items: 2 },
      }),
      line({
        id: 'l1',
        source: 'bank',
        type: 'loan.defaulted',
        occurredAt: '2026-03-01T00:00:00Z',
        subject: { national_id: WEI.national_id },
        data: { lender: 'b', loan: 'x1', amount: 5000 },
      }),
    ];
    const file = join(w.dir, 'facts.jsonl');
    writeFileSync(file, `${facts.join('\n')}\n`);
    ok(w.run(['ingest', file]));
  });
  afterAll(() => w.dispose());

  it('--json carries category and rule per point, as the rulebook declares them', () => {
    const x = w.json<{ contributions: Point[] }>([
      'explain',
      'P0000001',
      '--program',
      'marketplace',
      ...AS_OF,
    ]);
    const kinds = new Set(x.contributions.map((c) => c.kind));
    expect(kinds).toEqual(new Set(['rule', 'inactivity']));
    for (const c of x.contributions) {
      if (c.kind === 'rule') {
        const r = spec.rules.find((y) => y.id === c.ruleId) as SpecRule;
        expect(c.category).toBe(spec.events[c.type as string]?.category);
        expect(c.rule).toMatchObject({ on: r.on, points: String(r.points) });
        expect(c.rule?.when).toBe(r.when);
        if (r.cap) expect(c.rule?.cap).toEqual(r.cap);
      } else {
        const r = spec.inactivity.find((y) => y.id === c.ruleId) as SpecInactivity;
        const categories = [...new Set(r.of.map((t) => spec.events[t]?.category))];
        expect(c.category?.split(', ')).toEqual(categories);
        expect(c.rule).toMatchObject({ of: r.of, after: r.after, points: r.points });
      }
    }
  });

  it('the text says under each point, in words, what data it comes from and which rule gave it', () => {
    const x = w.json<{ contributions: Point[] }>([
      'explain',
      'P0000001',
      '--program',
      'marketplace',
      ...AS_OF,
    ]);
    const r = ok(w.run(['explain', 'P0000001', '--program', 'marketplace', ...AS_OF]));
    const lines = r.stdout.split('\n');
    for (const c of x.contributions) {
      // The point's own line, then the words about it.
      const at = lines.findIndex(
        (l) =>
          l.includes(` ${c.ruleId} `) && l.includes(c.kind === 'rule' ? (c.factKey as string) : 'inactivity'),
      );
      expect(at, `no ledger line for ${c.ruleId}`).toBeGreaterThan(-1);
      const words = lines.slice(at + 1, at + 3).join('\n');
      if (c.kind === 'rule') {
        const rule = spec.rules.find((y) => y.id === c.ruleId) as SpecRule;
        expect(words).toContain(`data: ${spec.events[rule.on]?.category} (`);
        expect(words).toContain(`rule: each ${rule.on}`);
        // The condition and computed points in words where they are simple, else as written.
        if (rule.when) expect(words).toContain(conditionWords(rule.when));
        expect(words).toContain(
          typeof rule.points === 'number' ? String(rule.points) : pointsWords(rule.points),
        );
      } else {
        const rule = spec.inactivity.find((y) => y.id === c.ruleId) as SpecInactivity;
        const categories = [...new Set(rule.of.map((t) => spec.events[t]?.category))];
        expect(words).toContain(`data: ${categories.join(', ')}`);
        for (const t of rule.of) expect(words).toContain(t);
        expect(words).toContain(`${rule.points} points`);
      }
    }
  });
});
