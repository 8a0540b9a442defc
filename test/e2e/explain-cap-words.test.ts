import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { line, makeWorld, ok, type World } from './cli.js';

const RULEBOOK = `program: fines
name: Fines
enrollment: opt-out
scale: { min: 0, max: 1000, base: 500 }
tiers:
  - { id: a, min: 0 }
events:
  city.fine: { category: legal, fields: { n: number } }
  shop.buy: { category: commerce, fields: { n: number } }
rules:
  - { id: fine, on: city.fine, points: -15, cap: { max: 20, per: P10D }, reason: { code: F, text: Fines } }
  - { id: buy, on: shop.buy, points: 4, cap: { max: 10, per: P10D }, reason: { code: B, text: Purchases } }
  - { id: mixed, on: shop.buy, points: "fact.n", cap: { max: 6, per: P10D }, reason: { code: M, text: Mixed } }
`;

// A cap bounds a rule's points in their own direction (docs/rulebook.md: on a deduction rule,
// `max: 20` means at most -20). The person's explanation of a fine said "gives -15 points; at most 20
// in any 10 days", read as a bound on a gain, beside inactivity rules that say "at most -30 in all".
describe('credence explain words a cap in the direction of its points (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('says at most -20 for a deduction, at most 10 for a gain, and either way for computed points', () => {
    w = makeWorld();
    const rb = join(w.dir, 'fines.yaml');
    writeFileSync(rb, RULEBOOK);
    ok(w.run(['program', 'load', rb]));
    const s = { phone: '+8613800138000' };
    const facts = [
      line({
        id: 'f1',
        source: 'city',
        type: 'city.fine',
        occurredAt: '2026-01-01T00:00:00Z',
        subject: s,
        data: { n: 0 },
      }),
      line({
        id: 'b1',
        source: 'shop',
        type: 'shop.buy',
        occurredAt: '2026-01-02T00:00:00Z',
        subject: s,
        data: { n: 2 },
      }),
    ];
    ok(w.run(['ingest', '-'], { input: `${facts.join('\n')}\n` }));
    const text = ok(
      w.run(['explain', 'P0000001', '--program', 'fines', '--as-of', '2026-01-05T00:00:00Z']),
    ).stdout;
    expect(text).toContain('each city.fine gives -15 points; at most -20 in any 10 days');
    expect(text).toContain('each shop.buy gives 4 points; at most 10 in any 10 days');
    expect(text).toContain('each shop.buy gives (fact.n) points; at most 6 either way in any 10 days');
  });
});
