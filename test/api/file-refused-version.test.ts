import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { type ApiWorld, activateRulebook, makeApiWorld, PROGRAM_FILES } from './api-world.js';

// A stored version is checked against the hard line again whenever it is compiled, so one loaded
// before its word joined the lists is refused from then on. The person's copy of their file
// rendered its ledger's reason texts from that version and failed with it; `credence export` was
// fixed the same way (d1a10f7).
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

describe('GET /v1/me/file beside a stored version the hard line now refuses', () => {
  it('answers the whole file, each ledger line with its code', async () => {
    const before = await w.call('GET', '/v1/me/file', w.keys.person);
    expect(before.status).toBe(200);
    const lines = Object.values(before.body.ledgers as Record<string, unknown[]>).flat().length;
    expect(lines).toBeGreaterThan(0);

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
    const score = await w.call(
      'GET',
      `/v1/persons/${w.keys.personSubject}/score?program=marketplace&purpose=credit`,
      w.keys.rp,
    );
    expect(score.status).toBe(422);
    expect(score.body.error.code).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');

    const after = await w.call('GET', '/v1/me/file', w.keys.person);
    expect(after.status, JSON.stringify(after.body)).toBe(200);
    expect(Object.values(after.body.ledgers as Record<string, unknown[]>).flat()).toHaveLength(lines);
  });

  it('is replaced by validating and activating a corrected version', async () => {
    const corrected = readFileSync(PROGRAM_FILES[0] as string, 'utf8');
    const valid = await w.call('POST', '/v1/programs/validate', w.keys.operator, { yaml: corrected });
    expect(valid.status, JSON.stringify(valid.body)).toBe(200);
    expect(await activateRulebook(w, corrected)).toBe(3);
    const score = await w.call(
      'GET',
      `/v1/persons/${w.keys.personSubject}/score?program=marketplace&purpose=credit`,
      w.keys.rp,
    );
    expect(score.status, JSON.stringify(score.body)).toBe(200);
  });
});
