import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// /openapi.json described the answer of GET /v1/me/file, the person's whole copy of their file,
// as `{}`: nothing said what a copy holds (facts, links, ledgers, inquiries, disputes, ...), and
// /docs showed no schema for the route the issue names first among the person's rights. It is
// now described field by field, closed, and a real copy (every part filled) is held to it.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 12 });
});
afterAll(async () => w.dispose());

describe('GET /v1/me/file in /openapi.json', () => {
  it('describes every part of the copy, and a full copy matches the description', async () => {
    const doc = (await w.call('GET', '/openapi.json')).body;
    const schema = doc.paths['/v1/me/file'].get.responses['200'].content['application/json'].schema;
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties).sort()).toEqual(
      [
        'subject',
        'generatedAt',
        'facts',
        'retractedFacts',
        'retractions',
        'identifiers',
        'identityLinks',
        'consents',
        'ledgers',
        'scores',
        'scoresSent',
        'inquiries',
        'disputes',
        'identityDecisions',
        'tokens',
      ].sort(),
    );

    // A copy with every part filled: an inquiry that sent a score, a dispute of a fact and of a
    // link, a retracted fact (the furnisher's own), an opt-out.
    const me = w.keys.personSubject;
    const before = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    const asked = await w.call(
      'GET',
      `/v1/persons/${me}/score?program=marketplace&purpose=tenancy`,
      w.keys.rp,
    );
    expect(asked.status).toBe(200);
    const [first, second] = before.facts as { source: string; id: string }[];
    expect(second).toBeDefined();
    const disputed = await w.call('POST', '/v1/me/disputes', w.keys.person, {
      source: first?.source,
      factId: first?.id,
      reason: 'not mine',
    });
    expect(disputed.status).toBe(200);
    const record = before.identityLinks[0].record;
    expect(
      (await w.call('POST', '/v1/me/link-disputes', w.keys.person, { record, reason: 'not me' })).status,
    ).toBe(200);
    const retracted = await w.call('POST', '/v1/facts', w.keys.furnisher, {
      facts: [
        {
          id: 's-1',
          source: 'shop',
          type: 'purchase.completed',
          occurredAt: '2026-09-01T00:00:00Z',
          subject: { subjectId: me },
          data: { amount: 10, items: 1 },
        },
        {
          id: 'r-1',
          source: 'shop',
          retracts: 's-1',
          occurredAt: '2026-10-01T00:00:00Z',
          note: 'sent twice',
        },
      ],
    });
    expect(retracted.body.counts.accepted).toBe(2);
    expect(
      (await w.call('POST', '/v1/me/consent', w.keys.person, { program: 'city-civic', action: 'opt-out' }))
        .status,
    ).toBe(200);

    const now = w.clock.now;
    const res = await w.call('GET', '/v1/me/file', w.keys.person);
    expect(res.status).toBe(200);
    const copy = res.body;
    for (const part of ['facts', 'retractedFacts', 'retractions', 'identityLinks', 'consents', 'ledgers']) {
      expect([part, copy[part].length > 0]).toEqual([part, true]);
    }
    for (const part of ['inquiries', 'scoresSent', 'disputes', 'identifiers', 'scores', 'tokens']) {
      expect([part, copy[part].length > 0]).toEqual([part, true]);
    }
    expect(copy.retractions[0].sent).toEqual({ note: 'sent twice' });

    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const valid = ajv.validate(schema, copy);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // The copy is sent whole: nothing the service built is left out by the description.
    // (Built after the read above, which is one more use of the token: uses are left out.)
    const keyId = w.keys.person.slice('cred_person_'.length, 'cred_person_'.length + 10);
    const built = await w.api.ctx.files.copy(me, now, keyId);
    const unused = (c: { tokens: { uses?: number; lastUsedAt?: string | null }[] }) => ({
      ...c,
      tokens: c.tokens.map(({ uses, lastUsedAt, ...t }) => t),
    });
    expect(unused(copy)).toEqual(unused(JSON.parse(JSON.stringify(built))));
    expect(copy.tokens.map((t: { current: boolean }) => t.current)).toEqual([true]);
  });
});
