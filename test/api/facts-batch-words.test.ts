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
