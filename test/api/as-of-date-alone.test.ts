import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// An `asOf` of a date alone (2026-06-01) is taken as midnight UTC, as the CLI's --as-of is, but
// /openapi.json described only "an ISO 8601 instant with a time zone", so a relying party could
// not know a date was accepted, nor which instant of that day it named.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

describe('asOf as a date alone', () => {
  it('is midnight UTC, and /openapi.json says so wherever asOf is taken', async () => {
    const day = new Date(w.clock.now - 40 * 86_400_000).toISOString().slice(0, 10);
    const r = await w.call(
      'GET',
      `/v1/persons/${w.keys.personSubject}/score?program=marketplace&purpose=credit&asOf=${day}`,
      w.keys.rp,
    );
    expect(r.status).toBe(200);
    expect(r.body.asOf).toBe(`${day}T00:00:00.000Z`);

    const doc = (await w.call('GET', '/openapi.json')).body;
    const described: string[] = [];
    for (const methods of Object.values(doc.paths) as Record<string, any>[]) {
      for (const op of Object.values(methods)) {
        for (const p of op.parameters ?? [])
          if (p.name === 'asOf') described.push(p.schema?.description ?? p.description);
        const body = op.requestBody?.content?.['application/json']?.schema?.properties?.asOf;
        if (body) described.push(body.description);
      }
    }
    expect(described.length).toBeGreaterThanOrEqual(4);
    for (const d of described) expect(d).toMatch(/a date alone .* midnight UTC/);
  });
});
