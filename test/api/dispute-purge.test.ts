import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpiredFacts } from '../../src/store/sqlite/sqlite-purge.js';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A fact can leave the store while a dispute of it is open: `credence purge` deletes it once its
// retention period has passed. Upholding the dispute then tried to retract a fact that no longer
// existed, was refused as an unknown retraction, and the dispute could only be rejected.
describe('a dispute of a fact deleted meanwhile', () => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await makeApiWorld({ people: 30 });
  });
  afterAll(async () => w?.dispose());

  it('can be upheld, with nothing left to retract', async () => {
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    const fact = file.facts[0];
    const opened = await w.call('POST', '/v1/me/disputes', w.keys.person, {
      source: fact.source,
      factId: fact.id,
      reason: 'not mine',
    });
    expect(opened.status).toBe(200);
    const purged = purgeExpiredFacts(w.db, [{ type: fact.type, before: Date.parse('2100-01-01') }]);
    expect(purged.facts).toBeGreaterThan(0);
    expect((await w.api.ctx.app.store.findFacts([{ source: fact.source, id: fact.id }])).size).toBe(0);

    const resolved = await w.call('POST', `/v1/disputes/${opened.body.id}/resolve`, w.keys.operator, {
      outcome: 'upheld',
      note: 'deleted under its retention period',
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'upheld' });
    const retraction = await w.api.ctx.app.store.findFacts([
      { source: fact.source, id: `dispute-${opened.body.id}` },
    ]);
    expect(retraction.size).toBe(0);
  });
});
