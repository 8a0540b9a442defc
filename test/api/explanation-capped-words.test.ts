import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A point its rule's cap cut was told only when the rule gives fixed points: a purchase under
// `points: "fact.amount >= 200.0 ? 5 : 3"` whose cap left 2 of its 5 read 'gives 2 points', and
// one the cap left nothing of read 'its rule gave no points for it, or the rule's cap let none of
// them count', a guess, though the ledger knows what the rule gave (`uncapped`).
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 4 });
});
afterAll(async () => w.dispose());

interface Point {
  factKey?: string;
  raw: number;
  uncapped?: number;
  what: string;
}

describe('a point the cap cut under a rule whose points are an expression', () => {
  it('says what the rule gave and what its cap let count', async () => {
    // Before the generated year (it starts in April), so no other purchase shares the 30-day cap:
    // 5 + 3 count in full, then 5 of which the cap (at most 10) lets 2 count, then 5 it lets none of.
    const amounts = [300, 50, 300, 300];
    const facts = amounts.map((amount, i) => ({
      id: `capx-${i}`,
      source: 'shop',
      type: 'purchase.completed',
      occurredAt: `2026-01-05T0${i}:00:00Z`,
      subject: { subjectId: w.keys.otherSubject },
      data: { amount, items: 1 },
    }));
    expect((await w.call('POST', '/v1/facts', w.keys.furnisher, { facts })).body.counts.accepted).toBe(4);
    const ex = (await w.call('GET', '/v1/me/explanations/marketplace', w.keys.other)).body;
    const byKey = (k: string) => (ex.contributions as Point[]).find((c) => c.factKey === `shop/${k}`);
    const [full, , part, none] = ['capx-0', 'capx-1', 'capx-2', 'capx-3'].map(byKey);
    expect([full?.raw, part?.raw, part?.uncapped, none?.raw, none?.uncapped]).toEqual([5, 2, 5, 0, 5]);
    expect(full?.what).toContain('gives 5 points.');
    expect(part?.what).toContain("gives 2 points (the rule's cap lets only 2 points of its 5 points count)");
    expect(none?.what).toContain(
      'counts nothing: the rule gave 5 points for it, but its cap let none of them count',
    );
    expect(none?.what).not.toContain('gave no points for it, or');
  });
});
