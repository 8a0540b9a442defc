import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// An operator validating, loading or activating a rulebook over HTTP gets the same refusal as
// `credence program load` when a shared event type's field clashes with a loaded program's:
// a fact of that type feeds every program declaring it, and none could satisfy both.

const clash = `program: lender-watch
name: Lender watch
enrollment: opt-in
scale: { min: 0, max: 100, base: 50 }
tiers: [{ id: A, min: 0 }]
events:
  loan.repaid: { category: credit, fields: { lender: number } }
rules:
  - { id: r, on: loan.repaid, points: 1, reason: { code: A, text: a } }
`;

describe('operators loading a rulebook beside the loaded programs', () => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await makeApiWorld({ people: 5 });
  });
  afterAll(() => w.dispose());

  it('validate and drafts refuse a clashing shared event type with its path and reason', async () => {
    for (const url of ['/v1/programs/validate', '/v1/programs/drafts']) {
      const r = await w.call('POST', url, w.keys.operator, { yaml: clash });
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe('CREDENCE_E_RULEBOOK_INVALID');
      expect(r.body.error.details).toContainEqual(
        expect.objectContaining({
          path: "events['loan.repaid'].fields.lender",
          line: 7,
          column: expect.any(Number),
          reason: expect.stringMatching(
            /is number here, but program (city-civic|marketplace) \(v1\) declares it string/,
          ),
        }),
      );
    }
    const list = await w.call('GET', '/v1/programs', w.keys.operator);
    expect(list.body.drafts).toEqual([]);
  });

  it('validate and drafts refuse a rule that cannot read the stored facts of its type', async () => {
    // payment.completed facts are stored without a channel: a rule reading it unguarded could
    // not be evaluated on them when the ledgers are re-derived.
    const reads = (expr: string) => `program: channel-watch
name: Channel watch
enrollment: opt-in
scale: { min: 0, max: 100, base: 50 }
tiers: [{ id: A, min: 0 }]
events:
  payment.completed: { category: payment, fields: { amount: number, channel: string } }
rules:
  - { id: r, on: payment.completed, points: 1, when: ${JSON.stringify(expr)}, reason: { code: A, text: a } }
`;
    for (const url of ['/v1/programs/validate', '/v1/programs/drafts']) {
      const r = await w.call('POST', url, w.keys.operator, { yaml: reads('fact.channel == "app"') });
      expect(r.status).toBe(422);
      expect(r.body.error.details).toContainEqual(
        expect.objectContaining({
          path: 'rules[0].when',
          line: 9,
          reason: expect.stringMatching(/stored facts? of payment\.completed .* lacks? fact\.channel/),
        }),
      );
    }
    const ok = await w.call('POST', '/v1/programs/validate', w.keys.operator, {
      yaml: reads('has(fact.channel) && fact.channel == "app"'),
    });
    expect(ok.status).toBe(200);
  });
});
