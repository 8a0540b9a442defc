import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, documentedRoutes, makeApiWorld } from './api-world.js';

let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 10 });
});
afterAll(async () => w.dispose());

type RoleName = 'none' | 'furnisher' | 'relying-party' | 'person' | 'operator';

/** Who may call what: the authorization matrix, asserted route by route. */
const MATRIX: Record<string, RoleName[]> = {
  'GET /health': ['none', 'furnisher', 'relying-party', 'person', 'operator'],
  'POST /v1/facts': ['furnisher'],
  'GET /v1/imports/{importId}': ['furnisher'],
  'GET /v1/persons/{subject}/score': ['relying-party'],
  'POST /v1/decisions': ['relying-party'],
  'POST /v1/screen': ['relying-party'],
  'GET /v1/me/file': ['person'],
  'GET /v1/me/inquiries': ['person'],
  'GET /v1/me/scores/{program}': ['person'],
  'GET /v1/me/explanations/{program}': ['person'],
  'POST /v1/me/consent': ['person'],
  'POST /v1/me/disputes': ['person'],
  'GET /v1/me/disputes': ['person'],
  'POST /v1/me/link-disputes': ['person'],
  'POST /v1/me/disputes/{id}/withdraw': ['person'],
  'GET /v1/programs': ['operator'],
  'POST /v1/programs/validate': ['operator'],
  'POST /v1/programs/drafts': ['operator'],
  'POST /v1/programs/drafts/{draftId}/activate': ['operator'],
  'POST /v1/programs/drafts/{draftId}/compare': ['operator'],
  'GET /v1/disputes': ['operator'],
  'POST /v1/disputes/{id}/resolve': ['operator'],
  'GET /v1/identity/reviews': ['operator'],
  'POST /v1/identity/reviews/{recordId}': ['operator'],
  'GET /v1/keys': ['operator'],
  'GET /v1/sources': ['operator'],
  'POST /v1/keys': ['operator'],
  'DELETE /v1/keys/{keyId}': ['operator'],
  'GET /v1/audit/verify': ['operator'],
};

describe('authorization matrix', () => {
  it('lists every documented route', async () => {
    const routes = await documentedRoutes(w);
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(Object.keys(MATRIX).sort());
  });

  it('every role × every route: allowed roles get past auth, the others are refused', async () => {
    const keyOf: Record<RoleName, string | undefined> = {
      none: undefined,
      furnisher: w.keys.furnisher,
      'relying-party': w.keys.rp,
      person: w.keys.person,
      operator: w.keys.operator,
    };
    const before = (await w.api.ctx.audit.query({ actions: ['auth.refused'] })).length;
    let refusals = 0;
    for (const r of await documentedRoutes(w)) {
      const allowed = MATRIX[`${r.method} ${r.path}`] as RoleName[];
      for (const role of Object.keys(keyOf) as RoleName[]) {
        // An empty object body: allowed callers then fail validation (400) at worst, never auth.
        const res = await w.call(
          r.method,
          r.url,
          keyOf[role],
          r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
        );
        const label = `${role} → ${r.method} ${r.path}: ${res.status}`;
        if (allowed.includes(role)) {
          expect([401, 403, 429], label).not.toContain(res.status);
        } else {
          refusals++;
          expect(res.status, label).toBe(role === 'none' ? 401 : 403);
          expect(res.body.error.code, label).toBe(
            role === 'none' ? 'CREDENCE_E_UNAUTHENTICATED' : 'CREDENCE_E_FORBIDDEN',
          );
        }
      }
    }
    const after = (await w.api.ctx.audit.query({ actions: ['auth.refused'] })).length;
    expect(after - before).toBe(refusals);
  });
});

describe('keys', () => {
  it('refuses malformed, unknown, and wrong-secret tokens, even after the real one is cached', async () => {
    const url = '/v1/keys';
    expect((await w.call('GET', url, w.keys.operator)).status).toBe(200);
    const wrongSecret =
      `${w.keys.operator.slice(0, -4)}AAAA` === w.keys.operator
        ? `${w.keys.operator.slice(0, -4)}BBBB`
        : `${w.keys.operator.slice(0, -4)}AAAA`;
    for (const bad of [
      wrongSecret,
      'cred_operator_short',
      'garbage',
      `cred_rp_${w.keys.operator.slice(14)}`,
    ]) {
      const r = await w.call('GET', url, bad);
      expect(r.status, bad).toBe(401);
    }
    const basic = await w.call('GET', url, undefined, undefined, {
      authorization: `Basic ${w.keys.operator}`,
    });
    expect(basic.status).toBe(401);
  });

  it('stores only scrypt hashes', async () => {
    const rows = w.api.ctx.db.prepare('SELECT hash FROM api_keys').all() as { hash: string }[];
    for (const r of rows) expect(r.hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    const all = JSON.stringify(w.api.ctx.db.prepare('SELECT * FROM api_keys').all());
    for (const token of [w.keys.operator, w.keys.rp, w.keys.person, w.keys.furnisher])
      expect(all).not.toContain(token.slice(-32));
  });

  it('rate-limits per key with 429 and Retry-After, and logs the refusal', async () => {
    const issued = await w.api.ctx.auth.issue({ role: 'operator', name: 'slow', rate: 1 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await w.call('GET', '/v1/keys', issued.token)).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    const r = await w.call('GET', '/v1/keys', issued.token);
    expect(r.headers['retry-after']).toBe('1');
    const refused = await w.api.ctx.audit.query({
      actor: `key:${issued.key.keyId}`,
      actions: ['auth.refused'],
    });
    expect(refused).toHaveLength(3);
  });
});

describe('purposes', () => {
  it('a relying party without a permitted purpose is refused, and nothing reaches the inquiry list', async () => {
    const s = w.keys.personSubject;
    const before = (await w.call('GET', '/v1/me/inquiries', w.keys.person)).body.inquiries.length;
    for (const [key, q] of [
      [w.keys.rpMarketing, 'purpose=tenancy'],
      [w.keys.rp, 'purpose=marketing'],
      [w.keys.rp, ''],
    ] as const) {
      const r = await w.call('GET', `/v1/persons/${s}/score?program=marketplace&${q}`, key);
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('CREDENCE_E_PURPOSE');
    }
    const d = await w.call('POST', '/v1/decisions', w.keys.rpMarketing, {
      subject: s,
      program: 'marketplace',
      policy: 'deposit-free-bike',
      purpose: 'tenancy',
    });
    expect(d.status).toBe(403);
    const after = (await w.call('GET', '/v1/me/inquiries', w.keys.person)).body.inquiries.length;
    expect(after).toBe(before);
    const refused = await w.api.ctx.audit.query({ actions: ['auth.refused'] });
    expect(refused.some((e) => JSON.parse(e.detail).code === 'CREDENCE_E_PURPOSE')).toBe(true);
  });
});

describe('furnishers', () => {
  it('cannot send facts of another source, nor consent changes', async () => {
    const subject = { subjectId: w.keys.personSubject };
    const r = await w.call('POST', '/v1/facts', w.keys.furnisher, {
      facts: [
        {
          id: 'x-1',
          source: 'court',
          type: 'court.judgment_unpaid',
          occurredAt: '2026-10-01T00:00:00Z',
          subject,
          data: { amount: 100 },
        },
        {
          id: 'x-2',
          source: 'shop',
          type: 'credence.opt_out',
          occurredAt: '2026-10-01T00:00:00Z',
          subject,
          data: { program: 'marketplace' },
        },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: any) => [x.status, x.code, x.field])).toEqual([
      ['rejected', 'CREDENCE_E_FORBIDDEN', 'source'],
      ['rejected', 'CREDENCE_E_FORBIDDEN', 'type'],
    ]);
    expect(
      (
        await w.api.ctx.app.store.findFacts([
          { source: 'court', id: 'x-1' },
          { source: 'shop', id: 'x-2' },
        ])
      ).size,
    ).toBe(0);
  });

  it('an enrolment desk with consent:write may record consent; the scope is refused to other roles', async () => {
    const desk = await w.api.ctx.auth.issue({
      role: 'furnisher',
      name: 'Desk',
      source: 'desk',
      scopes: ['facts:write', 'consent:write'],
    });
    const r = await w.call('POST', '/v1/facts', desk.token, {
      facts: [
        {
          id: 'c-1',
          source: 'desk',
          type: 'credence.opt_in',
          occurredAt: '2026-10-01T00:00:00Z',
          subject: { subjectId: w.keys.personSubject },
          data: { program: 'city-civic' },
        },
      ],
    });
    expect(r.body.results[0].status).toBe('accepted');
    await expect(
      w.api.ctx.auth.issue({ role: 'relying-party', name: 'x', scopes: ['consent:write'] }),
    ).rejects.toThrow(/cannot hold consent:write/);
  });

  it("cannot read another key's import", async () => {
    const mine = await w.call('POST', '/v1/facts', w.keys.furnisher, { facts: [{}] });
    const other = await w.api.ctx.auth.issue({ role: 'furnisher', name: 'Other shop', source: 'food' });
    expect((await w.call('GET', `/v1/imports/${mine.body.importId}`, other.token)).status).toBe(404);
  });
});

describe('persons', () => {
  it('a person token reads only its own file', async () => {
    const mine = await w.call('GET', '/v1/me/file', w.keys.person);
    const theirs = await w.call('GET', '/v1/me/file', w.keys.other);
    expect(mine.body.subject).toBe(w.keys.personSubject);
    expect(theirs.body.subject).toBe(w.keys.otherSubject);
    const otherFact = theirs.body.facts[0];
    const r = await w.call('POST', '/v1/me/disputes', w.keys.person, {
      source: otherFact.source,
      factId: otherFact.id,
      reason: 'x',
    });
    expect(r.status).toBe(404);
  });
});
