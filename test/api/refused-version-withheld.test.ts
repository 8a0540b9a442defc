import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { type ApiWorld, makeApiWorld, PROGRAM_FILES, shopFact } from './api-world.js';

// A stored version the hard line now refuses withholds its own program only (docs/policy.md): the
// server's facts route refused every batch (the pipeline compiled it), the person's file showed the
// score it had cached, and the person could not opt out of it.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
  // As an older loader stored it: the marketplace with a rule on a word now listed.
  const marketplace = readFileSync(PROGRAM_FILES[0] as string, 'utf8').replace(
    /\nrules:\n/,
    `\nrules:\n  - { id: qa-cult, on: purchase.completed, when: "string(fact.items) == 'cult'", points: -1, reason: { code: QA1, text: q } }\n`,
  );
  const store = await openSqliteStore(w.db);
  try {
    await store.addRulebook({
      program: 'marketplace',
      name: 'Marketplace',
      yaml: marketplace,
      effectiveFrom: 0,
      loadedAt: w.clock.now,
    });
  } finally {
    await store.close();
  }
});
afterAll(async () => w.dispose());

describe('the API beside a stored version the hard line now refuses', () => {
  it('takes facts the other programs score, and refuses only those no other program takes, saying why', async () => {
    const subject = { subjectId: w.keys.personSubject };
    const r = await w.call('POST', '/v1/facts', w.keys.furnisher, {
      facts: [
        {
          id: 'loan-w1',
          source: 'shop',
          type: 'loan.repaid',
          occurredAt: '2026-10-01T00:00:00Z',
          subject,
          data: { lender: 'shop', loan: 'L1', amount: 10, days_late: 0 },
        },
        shopFact('buy-w1', subject),
      ],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.counts).toMatchObject({ facts: 2, accepted: 1 });
    const refused = r.body.results.find((x: { status: string }) => x.status === 'rejected');
    expect(refused).toMatchObject({ id: 'buy-w1', code: 'CREDENCE_E_FACT_UNKNOWN_TYPE', field: 'type' });
    expect(refused.reason).toContain('declared by marketplace, whose version 2 the hard line refuses');
  });

  it('lists the refused version to the operator, saying why', async () => {
    const r = await w.call('GET', '/v1/programs', w.keys.operator);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const market = r.body.programs.find((p: { program: string }) => p.program === 'marketplace');
    expect(market.versions).toEqual([
      expect.not.objectContaining({ refused: expect.anything() }),
      expect.objectContaining({ version: 2, refused: expect.stringContaining('"cult"') }),
    ]);
  });

  it('decides in the other program, and refuses a decision in the withheld one naming the version', async () => {
    const other = await w.call('POST', '/v1/decisions', w.keys.rp, {
      subject: w.keys.personSubject,
      program: 'city-civic',
      policy: 'no-luxury-travel',
      purpose: 'credit',
    });
    expect(other.status, JSON.stringify(other.body)).toBe(200);
    const refused = await w.call('POST', '/v1/decisions', w.keys.rp, {
      subject: w.keys.personSubject,
      program: 'marketplace',
      policy: 'deposit-free-bike',
      purpose: 'credit',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
    expect(refused.body.error.message).toContain('marketplace v2 is refused');
  });

  it("shows no cached number as the person's score there, and records their opt-out of it", async () => {
    const file = await w.call('GET', '/v1/me/file', w.keys.person);
    expect(file.status, JSON.stringify(file.body)).toBe(200);
    const rows = file.body.scores.filter((s: { program: string }) => s.program === 'marketplace');
    for (const row of rows)
      expect(row).toMatchObject({
        version: 2,
        asOf: file.body.generatedAt,
        status: 'not-scored',
        score: null,
        tier: null,
      });
    expect(rows.length).toBeGreaterThan(0);

    const out = await w.call('POST', '/v1/me/consent', w.keys.person, {
      program: 'marketplace',
      action: 'opt-out',
    });
    expect(out.status, JSON.stringify(out.body)).toBe(200);
    const after = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    expect(after.consents).toContainEqual(
      expect.objectContaining({ program: 'marketplace', action: 'opt-out' }),
    );
  });
});
