import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, documentedRoutes, makeApiWorld } from './api-world.js';

// Fastify answered HEAD on every GET route, though /openapi.json and /docs list none and the
// authorization matrix covers none: `HEAD /v1/me/file` built the whole copy and logged a
// file.export, `HEAD /v1/persons/{subject}/score` logged an inquiry and told the relying party the
// answer's length (a scored answer is longer than a not-scored one) without a documented route.
// Only the documented methods are served now; `HEAD /health` stays, for uptime monitors.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

function keyFor(path: string): string {
  if (path.startsWith('/v1/imports/')) return w.keys.furnisher;
  if (path.startsWith('/v1/persons/')) return w.keys.rp;
  if (path.startsWith('/v1/me/')) return w.keys.person;
  return w.keys.operator;
}

describe('HEAD', () => {
  it('is not served on an undocumented route, and reads nothing', async () => {
    const before = (await w.api.ctx.audit.query({})).length;
    const gets = (await documentedRoutes(w)).filter((r) => r.method === 'GET' && r.path !== '/health');
    expect(gets.length).toBeGreaterThan(10);
    for (const r of gets) {
      const url = r.path.startsWith('/v1/persons/') ? `${r.url}?program=marketplace&purpose=credit` : r.url;
      const res = await w.call('HEAD', url, keyFor(r.path));
      expect([r.path, res.status]).toEqual([r.path, 404]);
    }
    expect((await w.api.ctx.audit.query({})).length).toBe(before);
    expect((await w.call('HEAD', '/health')).status).toBe(200);
  });
});
