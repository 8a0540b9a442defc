import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// POST /v1/facts goes through the ingest pipeline: a fact already past its type's retention at the
// API's clock is refused in its result with CREDENCE_E_FACT_PAST_RETENTION, the others accepted.

describe('POST /v1/facts refuses a fact already past its retention', () => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await makeApiWorld({ people: 3 });
  });
  afterAll(() => w.dispose());

  it('names the code, occurredAt and the period in the fact result, and stores the rest', async () => {
    const subject = { subjectId: w.keys.personSubject };
    const DAY = 86_400_000;
    // purchase.completed is kept P3Y (marketplace): as of the API clock, ten days past it and within it.
    const at = (days: number) => new Date(w.clock.now - days * DAY).toISOString();
    const fact = (id: string, occurredAt: string) => ({
      id,
      source: 'shop',
      type: 'purchase.completed',
      occurredAt,
      subject,
      data: { amount: 10, items: 1 },
    });
    const r = await w.call('POST', '/v1/facts', w.keys.furnisher, {
      facts: [fact('ret-old', at(3 * 365 + 10)), fact('ret-new', at(3 * 365 - 10))],
    });
    expect(r.status).toBe(200);
    expect(r.body.results).toEqual([
      expect.objectContaining({
        index: 0,
        status: 'rejected',
        code: 'CREDENCE_E_FACT_PAST_RETENTION',
        field: 'occurredAt',
        reason: expect.stringMatching(/"purchase\.completed" is kept P3Y \(marketplace\)/),
      }),
      expect.objectContaining({ index: 1, status: 'accepted' }),
    ]);
  });
});
