import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// The server's schema check coerces types (a query string is all text), and it read a JSON body
// the same way: a one-item list where one value is documented was taken as that value. A
// decision with `"purpose": ["credit"]` was answered (and logged) as one under "credit", an opt-out
// with `"program": ["city-civic"]` recorded. A body is JSON and says what it means: a list where a
// value belongs is refused by name, nothing done.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

const decision = { program: 'marketplace', policy: 'deposit-free-bike', purpose: 'credit' };

describe('a list in a JSON body where one value is documented', () => {
  it('is refused on a decision, each such field named, and no inquiry is kept', async () => {
    const before = (await w.call('GET', '/v1/me/inquiries', w.keys.person)).body.inquiries.length;
    for (const field of ['subject', 'program', 'policy', 'purpose'] as const) {
      const body = { subject: w.keys.personSubject, ...decision };
      const r = await w.call('POST', '/v1/decisions', w.keys.rp, { ...body, [field]: [body[field]] });
      expect([field, r.status, r.body.error?.code]).toEqual([field, 400, 'CREDENCE_E_USAGE']);
      expect(r.body.error.details.map((d: { path: string }) => d.path)).toEqual([`body.${field}`]);
    }
    const both = await w.call('POST', '/v1/decisions', w.keys.rp, {
      subject: [w.keys.personSubject],
      ...decision,
      purpose: ['credit'],
      extra: 1,
    });
    expect(both.status).toBe(400);
    // Every problem at once, as for any other body.
    expect(both.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'body.extra',
      'body.purpose',
      'body.subject',
    ]);
    const after = (await w.call('GET', '/v1/me/inquiries', w.keys.person)).body.inquiries.length;
    expect(after).toBe(before);
  });

  it('is refused on an opt-out, and the consent is unchanged', async () => {
    const r = await w.call('POST', '/v1/me/consent', w.keys.person, {
      program: ['marketplace'],
      action: 'opt-out',
    });
    expect([r.status, r.body.error?.code]).toEqual([400, 'CREDENCE_E_USAGE']);
    const a = await w.call('POST', '/v1/me/consent', w.keys.person, {
      program: 'marketplace',
      action: ['opt-out'],
    });
    expect(a.status).toBe(400);
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    expect(file.consents.filter((c: { program: string }) => c.program === 'marketplace')).toEqual([]);
  });

  it('the same request with the values themselves is answered', async () => {
    const r = await w.call('POST', '/v1/decisions', w.keys.rp, {
      subject: w.keys.personSubject,
      ...decision,
    });
    expect(r.status).toBe(200);
    const k = await w.call('POST', '/v1/keys', w.keys.operator, {
      role: 'relying-party',
      name: 'Lists stay lists',
      purposes: ['credit'],
    });
    expect(k.status).toBe(200);
  });
});
