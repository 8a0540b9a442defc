import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A furnisher reads a batch's results by `index` (0-based, the fact's place in `facts`); a reason
// that points at another fact of the batch points there the same way, not at a file's line.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

const fact = (id: string, amount: number) => ({
  id,
  source: 'shop',
  type: 'purchase.completed',
  occurredAt: '2026-10-01T10:00:00Z',
  subject: { subjectId: w.keys.personSubject },
  data: { amount, items: 1 },
});

describe('POST /v1/facts: two facts of one id in a batch', () => {
  it('the conflicting one names the earlier one by its index in the batch', async () => {
    const r = await w.call('POST', '/v1/facts', w.keys.furnisher, {
      facts: [fact('other', 5), fact('twice', 10), fact('twice', 11)],
    });
    expect(r.status).toBe(200);
    expect(r.body.results[2]).toMatchObject({
      index: 2,
      status: 'rejected',
      code: 'CREDENCE_E_FACT_CONFLICT',
    });
    expect(r.body.results[2].reason).toContain('facts[1] of this batch');
    expect(r.body.results[2].reason).not.toMatch(/line \d/);
  });
});

describe('POST /v1/facts: a retraction sent before its fact in one batch', () => {
  it('says the fact comes later in the batch, naming where, not that it was never sent', async () => {
    const r = await w.call('POST', '/v1/facts', w.keys.furnisher, {
      facts: [
        { id: 'undo-early', source: 'shop', retracts: 'late-fact', occurredAt: '2026-10-03T10:00:00Z' },
        fact('late-fact', 7),
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.results[0]).toMatchObject({ status: 'rejected', code: 'CREDENCE_E_RETRACTION_UNKNOWN' });
    expect(r.body.results[0].reason).toContain('facts[1] of this batch');
    expect(r.body.results[1]).toMatchObject({ status: 'accepted' });
  });
});
