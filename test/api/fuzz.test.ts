import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, documentedRoutes, makeApiWorld } from './api-world.js';

let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 5 });
});
afterAll(async () => w.dispose());

const ROLE_KEY = (path: string, method: string): string | undefined => {
  if (path === '/health') return undefined;
  if (path.startsWith('/v1/facts') || path.startsWith('/v1/imports')) return w.keys.furnisher;
  if (path.startsWith('/v1/persons') || path === '/v1/decisions') return w.keys.rp;
  if (path.startsWith('/v1/me')) return w.keys.person;
  void method;
  return w.keys.operator;
};

const text = fc.oneof(
  fc.string(),
  fc.constantFrom('marketplace', 'city-civic', 'tenancy', 'P0000001', '', '..', '%00', '2026-01-01'),
);
const query = fc.dictionary(fc.constantFrom('program', 'purpose', 'asOf', 'status', 'x'), text, {
  maxKeys: 4,
});

const stored = async (): Promise<number> => {
  const c = await w.api.ctx.app.store.counts();
  return c.facts + c.retractions;
};

describe('fuzzing every route (no 500, nothing half-written)', () => {
  it('random path parameters, query strings and JSON bodies on every route', async () => {
    const routes = await documentedRoutes(w);
    const doc = (await w.call('GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    for (const r of routes) {
      // Every answer is one /openapi.json declares for the route (a client is generated from it).
      const declared = Object.keys(doc.paths[r.path]?.[r.method.toLowerCase()]?.responses ?? {});
      await fc.assert(
        fc.asyncProperty(
          fc.array(text, { minLength: 3, maxLength: 3 }),
          query,
          fc.jsonValue({ maxDepth: 3 }),
          async (params, q, body) => {
            let i = 0;
            const path = r.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(params[i++] ?? 'x') || 'x');
            const qs = new URLSearchParams(q).toString();
            const before = await stored();
            const res = await w.call(
              r.method,
              `${path}${qs ? `?${qs}` : ''}`,
              ROLE_KEY(r.path, r.method),
              r.method === 'GET' || r.method === 'DELETE' ? undefined : JSON.stringify(body),
              r.method === 'GET' || r.method === 'DELETE' ? {} : { 'content-type': 'application/json' },
            );
            expect(
              res.status,
              `${r.method} ${path} → ${JSON.stringify(res.body).slice(0, 300)}`,
            ).toBeLessThan(500);
            if (res.status >= 400) expect(typeof res.body.error.code).toBe('string');
            expect(
              declared,
              `${r.method} ${r.path} answered ${res.status}: ${res.body?.error?.code}`,
            ).toContain(String(res.status));
            if (r.path !== '/v1/facts' && r.path !== '/v1/me/consent' && !r.path.endsWith('/resolve')) {
              expect(await stored()).toBe(before);
            }
          },
        ),
        { numRuns: 15 },
      );
    }
  });

  it('fact batches: every fact gets a result, and exactly the accepted ones are stored', async () => {
    const subject = fc.oneof(
      fc.constant({ subjectId: w.keys.personSubject }),
      fc.record({ phone: fc.constantFrom('+8613800138000', 'x', '') }),
      fc.jsonValue({ maxDepth: 1 }),
    );
    const fact = fc.oneof(
      fc.record(
        {
          id: fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.integer()),
          source: fc.constantFrom('shop', 'court', '', 'sh/op'),
          type: fc.constantFrom('purchase.completed', 'order.refunded', 'nope', 'credence.opt_out'),
          occurredAt: fc.constantFrom(
            '2026-10-01T00:00:00Z',
            '2026-10-02',
            'yesterday',
            '2026-02-30T00:00:00Z',
          ),
          subject,
          data: fc.oneof(
            fc.record({ amount: fc.oneof(fc.double(), fc.string()), items: fc.integer() }),
            fc.jsonValue({ maxDepth: 1 }),
          ),
          retracts: fc.string({ maxLength: 4 }),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue({ maxDepth: 2 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fact, { minLength: 1, maxLength: 30 }), async (facts) => {
        const before = await stored();
        const res = await w.call('POST', '/v1/facts', w.keys.furnisher, { facts });
        if (res.status === 400) {
          // The JSON parser refuses prototype-poisoning keys (`__proto__`, `constructor.prototype`) outright.
          expect(JSON.stringify(facts)).toMatch(/__proto__|"constructor"/);
          expect(res.body.error.code).toBe('CREDENCE_E_USAGE');
          expect(await stored()).toBe(before);
          return;
        }
        expect(res.status).toBe(200);
        expect(res.body.results).toHaveLength(facts.length);
        expect(res.body.results.map((x: { index: number }) => x.index)).toEqual(facts.map((_, i) => i));
        for (const x of res.body.results) if (x.status === 'rejected') expect(x.code).toMatch(/^CREDENCE_E_/);
        expect(await stored()).toBe(before + res.body.counts.accepted);
      }),
      { numRuns: 60 },
    );
    expect((await w.api.ctx.audit.verify()).ok).toBe(true);
  });
});
