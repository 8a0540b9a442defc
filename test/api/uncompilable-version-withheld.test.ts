import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileRulebook } from '../../src/core/rulebook/index.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { type ApiWorld, makeApiWorld, PROGRAM_FILES, shopFact } from './api-world.js';

// A stored version this build's compiler refuses for a reason other than the hard line (here a
// rule's CEL the checker now refuses, what a CEL upgrade or a stricter check does to a version an
// older build stored) made the server's facts route refuse every batch, for every program. It
// withholds its own program as a version the hard line refuses does (refused-version-withheld).
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
  const marketplace = readFileSync(PROGRAM_FILES[0] as string, 'utf8').replace(
    /\nrules:\n/,
    `\nrules:\n  - { id: qa-many, on: purchase.completed, when: "fact.items > 'many'", points: -1, reason: { code: QA1, text: q } }\n`,
  );
  expect(() => compileRulebook(marketplace)).toThrow(expect.objectContaining({ code: 'CREDENCE_E_CEL' }));
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

describe('the API beside a stored version that no longer compiles', () => {
  it('takes facts the other programs score, and refuses only those no other program takes, saying why', async () => {
    const subject = { subjectId: w.keys.personSubject };
    const r = await w.call('POST', '/v1/facts', w.keys.furnisher, {
      facts: [
        {
          id: 'loan-u1',
          source: 'shop',
          type: 'loan.repaid',
          occurredAt: '2026-10-01T00:00:00Z',
          subject,
          data: { lender: 'shop', loan: 'L1', amount: 10, days_late: 0 },
        },
        shopFact('buy-u1', subject),
      ],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.counts).toMatchObject({ facts: 2, accepted: 1 });
    const refused = r.body.results.find((x: { status: string }) => x.status === 'rejected');
    expect(refused).toMatchObject({ id: 'buy-u1', code: 'CREDENCE_E_FACT_UNKNOWN_TYPE', field: 'type' });
    expect(refused.reason).toContain(
      'declared by marketplace, whose version 2 no longer compiles (CREDENCE_E_CEL)',
    );
    expect(refused.reason).not.toContain('hard line');
  });

  it("lists the refused version to the operator with the compiler's reason", async () => {
    const r = await w.call('GET', '/v1/programs', w.keys.operator);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const market = r.body.programs.find((p: { program: string }) => p.program === 'marketplace');
    expect(market.versions).toEqual([
      expect.not.objectContaining({ refused: expect.anything() }),
      expect.objectContaining({
        version: 2,
        refused: expect.stringMatching(/^rules\[0\]\.when: "fact\.items > 'many'"/),
      }),
    ]);
  });

  it('refuses a decision in the withheld program naming the version and the reason', async () => {
    const refused = await w.call('POST', '/v1/decisions', w.keys.rp, {
      subject: w.keys.personSubject,
      program: 'marketplace',
      policy: 'deposit-free-bike',
      purpose: 'credit',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('CREDENCE_E_CEL');
    expect(refused.body.error.message).toContain('marketplace v2 is not a valid rulebook');
  });

  it("shows no cached number as the person's score there", async () => {
    const file = await w.call('GET', '/v1/me/file', w.keys.person);
    expect(file.status, JSON.stringify(file.body)).toBe(200);
    const rows = file.body.scores.filter((s: { program: string }) => s.program === 'marketplace');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows)
      expect(row).toMatchObject({
        version: 2,
        asOf: file.body.generatedAt,
        status: 'not-scored',
        score: null,
      });
  });
});
