import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateInWords } from '../../src/api/services/person-file-service.js';
import { type ApiWorld, activateRulebook, exampleWith, makeApiWorld } from './api-world.js';

// GET /v1/me/explanations gave each point as numbers and the rulebook's own terms (raw 3, points 0,
// decay { expires: 'P1Y' }, cap { max: 12, per: 'P30D' }): a person could not tell why a payment
// that gave 3 points now counts 0, nor read P30D. `credence explain` words each point's rule; the
// API now gives each point in one sentence (what): what it is for, which fact, what it counts now
// and why less than at first, and its rule in words.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 6 });
});
afterAll(async () => w.dispose());

interface Point {
  kind: string;
  source?: string;
  type?: string;
  occurredAt?: string;
  raw: number;
  points: number;
  reason: { text: string };
  what: string;
}

const n = (x: number) => `${Math.abs(x)} point${Math.abs(x) === 1 ? '' : 's'}`;

describe('each point of an explanation in words', () => {
  it('names its fact and date, what it counts now and why less, and its rule without codes', async () => {
    const now = (await w.call('GET', '/v1/me/explanations/marketplace', w.keys.person)).body;
    // Two years on (a projection): the same points, faded or gone.
    const later = (await w.call('GET', '/v1/me/explanations/marketplace?asOf=2028-11-01', w.keys.person))
      .body;
    expect(later.projection).toBe(true);
    const points = [...now.contributions, ...later.contributions] as Point[];
    expect(points.some((p) => p.kind === 'rule' && p.raw !== 0 && p.points === 0)).toBe(true);
    for (const p of points) {
      expect(p.what.startsWith(`${p.reason.text}: `)).toBe(true);
      expect(p.what).toContain('The rule: ');
      // No ISO 8601 duration or instant is left for the person to decode.
      expect(p.what).not.toMatch(/\bP\d+[YMWD]\b|\d{4}-\d{2}-\d{2}T/);
      if (p.kind !== 'rule') continue;
      expect(p.what).toContain(`your ${p.type} from ${p.source} of ${dateInWords(p.occurredAt as string)}`);
      if (p.raw !== 0 && p.points === p.raw)
        expect(p.what).toContain(p.raw < 0 ? `takes ${n(p.raw)} off` : `gives ${n(p.raw)}`);
      if (p.raw !== 0 && p.points === 0) expect(p.what).toContain('no longer counts');
      if (p.raw !== 0 && p.points !== 0 && p.points !== p.raw) expect(p.what).toContain('fade with age');
    }
  });
});

describe("a point its rule's cap cut", () => {
  it('says how many of the rule’s points count', async () => {
    await activateRulebook(
      w,
      exampleWith(
        0,
        /(id: wallet-payment[\s\S]*?cap: \{ max: )12(, per: P30D \})/,
        (_m, a, b) => `${a}10${b}`,
      ),
    );
    const pay = (await w.api.ctx.auth.issue({ role: 'furnisher', name: 'Pay', source: 'pay', rate: 1000 }))
      .token;
    const facts = [1, 2, 3, 4].map((d) => ({
      id: `cap-${d}`,
      source: 'pay',
      type: 'payment.completed',
      occurredAt: `2026-10-0${d}T09:00:00Z`,
      subject: { subjectId: w.keys.otherSubject },
      data: { amount: 50 },
    }));
    expect((await w.call('POST', '/v1/facts', pay, { facts })).body.counts.accepted).toBe(4);
    const ex = (await w.call('GET', '/v1/me/explanations/marketplace', w.keys.other)).body;
    const fourth = (ex.contributions as (Point & { factKey?: string })[]).find(
      (c) => c.factKey === 'pay/cap-4',
    );
    expect(fourth?.raw).toBe(1);
    expect(fourth?.what).toContain("gives 1 point (the rule's cap lets only 1 point of its 3 points count)");
  });
});
