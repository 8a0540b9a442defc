import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// The API's clock is fixed (the world's): POST /v1/facts refuses a fact dated later than it plus
// 5 minutes of clock skew in that fact's result (CREDENCE_E_FACT_IN_FUTURE), the rest stored.

const MIN = 60_000;
const DAY = 86_400_000;

describe('the API and instants later than now', () => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await makeApiWorld({ people: 3 });
  });
  afterAll(() => w.dispose());

  const iso = (t: number) => new Date(t).toISOString();

  it('POST /v1/facts refuses a fact dated ahead in its result, stores the rest, and a re-send changes nothing', async () => {
    const subject = { subjectId: w.keys.personSubject };
    const fact = (id: string, occurredAt: string) => ({
      id,
      source: 'shop',
      type: 'purchase.completed',
      occurredAt,
      subject,
      data: { amount: 10, items: 1 },
    });
    const now = w.clock.now;
    const facts = [
      fact('fut-past', iso(now - DAY)),
      fact('fut-ahead', iso(now + 6 * MIN)),
      fact('fut-skew', iso(now + 4 * MIN)),
    ];
    const r = await w.call('POST', '/v1/facts', w.keys.furnisher, { facts });
    expect(r.status).toBe(200);
    expect(r.body.results).toEqual([
      expect.objectContaining({ index: 0, status: 'accepted' }),
      expect.objectContaining({
        index: 1,
        id: 'fut-ahead',
        status: 'rejected',
        code: 'CREDENCE_E_FACT_IN_FUTURE',
        field: 'occurredAt',
        reason: `occurred ${iso(now + 6 * MIN)}, later than now (${iso(now)}) by more than the 5 minutes allowed for clock skew: a fact records what has happened; correct the date (or the sending clock) and send it again`,
      }),
      expect.objectContaining({ index: 2, status: 'accepted' }),
    ]);
    const again = await w.call('POST', '/v1/facts', w.keys.furnisher, { facts });
    expect(again.body.results.map((x: { status: string; code?: string }) => [x.status, x.code])).toEqual([
      ['duplicate', undefined],
      ['rejected', 'CREDENCE_E_FACT_IN_FUTURE'],
      ['duplicate', undefined],
    ]);
    // Once its date has come (the clock moved on), the same fact is taken.
    w.clock.now = now + 2 * MIN;
    const later = await w.call('POST', '/v1/facts', w.keys.furnisher, { facts: [facts[1]] });
    expect(later.body.results[0]).toMatchObject({ status: 'accepted' });
    w.clock.now = now;
  });
});
