import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, documentedRoutes, makeApiWorld, mergedThenSplit } from './api-world.js';

// A person token names its subject id; when that id was merged into another person who was split
// since, every person route answers 409 CREDENCE_E_SUBJECT_AMBIGUOUS ("was merged into …, which
// was split since"), but /openapi.json declared 409 on none of them but POST /v1/me/disputes.
// (That such a token is locked out of its own file is reported, not changed here: the subject is
// resolved by currentPerson in src/open-app.ts.)
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

describe('a person token whose id was merged into a person split since', () => {
  it('answers 409 on the person routes, and each declares it', async () => {
    const { absorbed } = await mergedThenSplit(w);
    // A person token naming the merged-away id, as one issued before the merge does.
    const token = (await w.api.ctx.auth.issue({ role: 'person', name: 'Absorbed', subject: absorbed })).token;

    const doc = (await w.call('GET', '/openapi.json')).body;
    const bodies: Record<string, unknown> = {
      '/v1/me/consent': { program: 'marketplace', action: 'opt-out' },
      '/v1/me/disputes': { source: 'shop', factId: 'm-2', reason: 'not mine' },
      '/v1/me/link-disputes': { record: 'x', reason: 'not me' },
    };
    const routes = (await documentedRoutes(w)).filter((r) => r.path.startsWith('/v1/me/'));
    expect(routes.length).toBe(9);
    for (const r of routes) {
      const res = await w.call(r.method, r.url, token, r.method === 'POST' ? bodies[r.path] : undefined);
      expect([r.path, res.status, res.body.error?.code]).toEqual([
        r.path,
        409,
        'CREDENCE_E_SUBJECT_AMBIGUOUS',
      ]);
      expect([r.method, r.path, Object.keys(doc.paths[r.path][r.method.toLowerCase()].responses)]).toEqual([
        r.method,
        r.path,
        expect.arrayContaining(['409']),
      ]);
    }
  });
});
