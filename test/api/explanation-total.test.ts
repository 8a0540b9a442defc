import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A score held at the scale's minimum was told as its points only: base 550 and points adding up
// to -209 read as a score of 350 with nothing saying why 341 became 350, so the points a person
// reads did not add up to their score. The explanation now says how the base and the points make
// the score (`total`): their sum, and where it was rounded or held within the scale.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 6 });
});
afterAll(async () => w.dispose());

interface Total {
  points: number;
  sum: number;
  score: number;
  what: string;
}

const cents = (x: number) => Math.round(x * 100) / 100;

async function explanation(key: string) {
  const ex = (await w.call('GET', '/v1/me/explanations/marketplace', key)).body;
  const points = cents((ex.contributions as { points: number }[]).reduce((s, c) => s + c.points, 0));
  return { ex, points, total: ex.total as Total | undefined };
}

describe('how the points make the score', () => {
  it('a score within the scale: base plus the points listed, rounded, is the score', async () => {
    const { ex, points, total } = await explanation(w.keys.person);
    expect(ex.outcome.status).toBe('scored');
    expect(total).toBeDefined();
    expect(total?.points).toBe(points);
    expect(total?.sum).toBe(cents(ex.base + points));
    expect(total?.score).toBe(ex.outcome.score);
    expect(Math.round(total?.sum as number)).toBe(ex.outcome.score);
    expect(total?.what).toContain(`${ex.outcome.score}`);
    expect(total?.what).not.toMatch(/lowest|highest/);
  });

  it('a score held at the scale minimum says so, with the sum it was held from', async () => {
    const bank = (await w.api.ctx.auth.issue({ role: 'furnisher', name: 'Bank', source: 'bank', rate: 1000 }))
      .token;
    const facts = [1, 2, 3, 4, 5, 6].map((d) => ({
      id: `dflt-${d}`,
      source: 'bank',
      type: 'loan.defaulted',
      occurredAt: `2026-10-0${d}T09:00:00Z`,
      subject: { subjectId: w.keys.otherSubject },
      data: { lender: 'bank', loan: `L${d}`, amount: 1000 },
    }));
    expect((await w.call('POST', '/v1/facts', bank, { facts })).body.counts.accepted).toBe(6);
    const { ex, points, total } = await explanation(w.keys.other);
    expect(ex.outcome.score).toBe(ex.outcome.scale.min);
    expect(total?.sum).toBe(cents(ex.base + points));
    expect(total?.sum as number).toBeLessThan(ex.outcome.scale.min);
    expect(total?.what).toContain(`add up to ${total?.sum}`);
    expect(total?.what).toContain(`the lowest score this program gives (${ex.outcome.scale.min})`);
  });

  it('a person with no score has no total', async () => {
    await w.call('POST', '/v1/me/consent', w.keys.other, { program: 'marketplace', action: 'opt-out' });
    const { ex, total } = await explanation(w.keys.other);
    expect(ex.outcome.status).toBe('not-scored');
    expect(total).toBeUndefined();
  });
});
