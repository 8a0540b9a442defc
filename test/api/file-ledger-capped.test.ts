import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_END } from '../../src/generate/index.js';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A ledger line of the person's file gave `points` (what the rule's expression gave, before its
// cap) beside `raw` (what counts, after the cap): a capped purchase read "points: 5" though none of
// it counted, and nothing said which number was which. Each line now says it in words.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

describe('GET /v1/me/file: a ledger line says in words what counts', () => {
  it('a line its cap cut says what the rule gave and how much counts; others what they give', async () => {
    const at = new Date(Date.parse(DEFAULT_END) - 60_000).toISOString();
    const facts = Array.from({ length: 6 }, (_, i) => ({
      id: `qa-cap-${i}`,
      source: 'shop',
      type: 'purchase.completed',
      occurredAt: at,
      subject: { subjectId: w.keys.personSubject },
      data: { amount: 300, items: 1 },
    }));
    const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, { facts });
    expect(sent.body.counts.accepted).toBe(6);
    const file = await w.call('GET', '/v1/me/file', w.keys.person);
    expect(file.status).toBe(200);
    const rows = file.body.ledgers as { points: number; raw: number; reason: string; what: string }[];
    const capped = rows.filter((r) => r.points !== r.raw);
    // Six purchases of 5 points under a cap of 10 per 30 days: at least four are cut.
    expect(capped.length).toBeGreaterThanOrEqual(4);
    const n = (x: number) => `${Math.abs(x)} point${Math.abs(x) === 1 ? '' : 's'}`;
    for (const r of capped) {
      expect(r.what).toContain(r.reason);
      expect(r.what).toContain(n(r.points));
      expect(r.what).toContain(r.raw === 0 ? 'lets none of them count' : `lets only ${n(r.raw)} count`);
    }
    for (const r of rows.filter((x) => x.points === x.raw)) {
      expect(r.what).toContain(n(r.raw));
      expect(r.what).not.toMatch(/cap/);
    }
  });
});
