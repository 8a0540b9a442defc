import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT } from '../../src/api/server.js';
import { type ApiWorld, documentedRoutes, makeApiWorld } from './api-world.js';

// Every route that reads a body answers 415 CREDENCE_E_MEDIA_TYPE to a body that is not JSON and
// 413 CREDENCE_E_TOO_LARGE to one over its limit, but /openapi.json declared them only for
// POST /v1/facts (and 413 for the two rulebook uploads): a client generated from it had no type
// for those answers on the other eleven routes, and /docs did not list them.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

function keyFor(path: string): string {
  if (path === '/v1/facts') return w.keys.furnisher;
  if (path === '/v1/decisions' || path === '/v1/screen') return w.keys.rp;
  if (path.startsWith('/v1/me/')) return w.keys.person;
  return w.keys.operator;
}

describe('/openapi.json declares the refusals of a body', () => {
  it('every route that reads a body declares 413 and 415, and answers them', async () => {
    const doc = (await w.call('GET', '/openapi.json')).body;
    const withBody = (await documentedRoutes(w)).filter((r) => r.method === 'POST' || r.method === 'DELETE');
    expect(withBody.length).toBeGreaterThan(10);
    const undeclared: string[] = [];
    for (const r of withBody) {
      const declared = Object.keys(doc.paths[r.path][r.method.toLowerCase()].responses);
      const key = keyFor(r.path);
      const text = await w.call(r.method, r.url, key, 'x', { 'content-type': 'text/plain' });
      expect([r.path, text.status, text.body.error.code]).toEqual([r.path, 415, 'CREDENCE_E_MEDIA_TYPE']);
      const limit = r.path === '/v1/facts' ? 16 * BODY_LIMIT : BODY_LIMIT;
      const big = `{"x":"${'a'.repeat(limit)}"}`;
      const large = await w.call(r.method, r.url, key, big, { 'content-type': 'application/json' });
      expect([r.path, large.status, large.body.error.code]).toEqual([r.path, 413, 'CREDENCE_E_TOO_LARGE']);
      for (const s of ['413', '415']) {
        if (!declared.includes(s)) undeclared.push(`${r.method} ${r.path} ${s}`);
      }
    }
    expect(undeclared).toEqual([]);
  });
});
