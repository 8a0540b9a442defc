import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A furnisher's first request is often the example of /openapi.json (or /docs) pasted as it is.
// The fact shown for POST /v1/facts was refused by a server with the example programs loaded:
// `data.items` missing, which the marketplace rulebook declares for a purchase.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

/** Every `examples` list in a part of the description, wherever it sits. */
function examplesIn(node: unknown): unknown[] {
  if (typeof node !== 'object' || node === null) return [];
  const own = (node as { examples?: unknown }).examples;
  return [
    ...(Array.isArray(own) ? own : []),
    ...Object.entries(node).flatMap(([k, v]) => (k === 'examples' ? [] : examplesIn(v))),
  ];
}

describe('the examples of /openapi.json', () => {
  it('each fact shown for POST /v1/facts is accepted by a server running the example programs', async () => {
    const doc = (await w.call('GET', '/openapi.json')).body;
    const facts = examplesIn(doc.paths['/v1/facts'].post.requestBody);
    expect(facts.length).toBeGreaterThan(0);
    const r = await w.call('POST', '/v1/facts', w.keys.furnisher, { facts });
    expect(r.status).toBe(200);
    expect(r.body.results).toEqual(
      facts.map((_, index) => expect.objectContaining({ index, status: 'accepted' })),
    );
  });
});
