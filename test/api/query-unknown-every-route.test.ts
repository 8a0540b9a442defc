import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, documentedRoutes, makeApiWorld } from './api-world.js';

// A route without query fields of its own (the operator's listings, an import's status, the
// POST routes, a key's revocation) answered `?since=…` or `?status=open` as if it were not there,
// so an operator took the whole list for a filtered one, while the routes with query fields and
// the person's listings refuse a field they do not read (400 CREDENCE_E_USAGE naming it). Every
// documented route now refuses it, and a refused request writes nothing.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

/** A body each POST route accepts, so that the query string is what is judged. */
const BODIES: Record<string, unknown> = {
  '/v1/facts': {
    facts: [
      {
        id: 'q-1',
        source: 'shop',
        type: 'purchase.completed',
        occurredAt: '2026-01-01T00:00:00Z',
        subject: { subjectId: 'P0000001' },
        data: { amount: 1, items: 1 },
      },
    ],
  },
  '/v1/decisions': { subject: 'P0000001', program: 'marketplace', policy: 'x', purpose: 'credit' },
  '/v1/screen': { name: 'Wang Wei', purpose: 'credit' },
  '/v1/me/consent': { program: 'marketplace', action: 'opt-out' },
  '/v1/me/disputes': { source: 'shop', factId: 'x', reason: 'not mine' },
  '/v1/me/link-disputes': { record: 'x', reason: 'not me' },
  '/v1/programs/validate': { yaml: 'x' },
  '/v1/programs/drafts': { yaml: 'x' },
  '/v1/programs/drafts/{draftId}/compare': {},
  '/v1/disputes/{id}/resolve': { outcome: 'rejected', note: 'checked' },
  '/v1/identity/reviews/{recordId}': { verdict: 'different', subjectId: 'P0000001' },
  '/v1/keys': { role: 'operator', name: 'Second operator' },
};

function keyFor(path: string): string {
  if (path === '/v1/facts' || path.startsWith('/v1/imports/')) return w.keys.furnisher;
  if (path.startsWith('/v1/persons/') || path === '/v1/decisions' || path === '/v1/screen') return w.keys.rp;
  if (path.startsWith('/v1/me/')) return w.keys.person;
  return w.keys.operator;
}

describe('a query field a route does not read', () => {
  it('is refused by name on every documented route, and nothing is written', async () => {
    const keysBefore = (await w.call('GET', '/v1/keys', w.keys.operator)).body.keys.length;
    const doc = (await w.call('GET', '/openapi.json')).body;
    const wrong: string[] = [];
    for (const r of await documentedRoutes(w)) {
      const op = doc.paths[r.path][r.method.toLowerCase()];
      const own = (op.parameters ?? []).filter((p: { in: string }) => p.in === 'query');
      // A route's own query fields, where it has any, are not what is judged here.
      if (own.some((p: { required?: boolean }) => p.required)) continue;
      const body = r.method === 'POST' ? (BODIES[r.path] ?? undefined) : undefined;
      if (r.method === 'POST' && op.requestBody && body === undefined) {
        throw new Error(`no body for ${r.path}: add one to BODIES`);
      }
      const res = await w.call(r.method, `${r.url}?since=2026-01-01`, keyFor(r.path), body);
      const detail = res.body?.error?.details?.[0];
      if (res.status !== 400 || detail?.path !== 'querystring.since') {
        wrong.push(`${r.method} ${r.path}: ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
      } else {
        expect(detail.reason).toBe('is not a field of this request');
      }
    }
    expect(wrong).toEqual([]);
    // The refused POST /v1/keys issued no key; the refused batch stored no fact.
    expect((await w.call('GET', '/v1/keys', w.keys.operator)).body.keys.length).toBe(keysBefore);
    const fact = await w.api.ctx.app.store.findFacts([{ source: 'shop', id: 'q-1' }]);
    expect(fact.size).toBe(0);
  });
});
