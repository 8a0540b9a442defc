import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// POST /v1/keys: a binding that does not apply to the role asked for (purposes on a furnisher key,
// a subject on an operator key) was dropped without a word, so the operator believed the key bound
// by something it is not bound by. Each is refused by name; no key is issued.

describe('POST /v1/keys: bindings of another role are refused, not dropped', () => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await makeApiWorld({ people: 3 });
  });
  afterAll(() => w.dispose());

  const count = async () => (await w.call('GET', '/v1/keys', w.keys.operator)).body.keys.length as number;

  it('refuses each binding the role does not take, naming it', async () => {
    const subject = w.keys.personSubject;
    const cases: [Record<string, unknown>, string][] = [
      [{ role: 'furnisher', source: 'shop', purposes: ['tenancy'] }, 'purposes'],
      [{ role: 'furnisher', source: 'shop', subject }, 'subject'],
      [{ role: 'relying-party', purposes: ['tenancy'], source: 'shop' }, 'source'],
      [{ role: 'relying-party', purposes: ['tenancy'], subject }, 'subject'],
      [{ role: 'person', subject, purposes: ['tenancy'] }, 'purposes'],
      [{ role: 'person', subject, source: 'shop' }, 'source'],
      [{ role: 'operator', subject }, 'subject'],
      [{ role: 'operator', source: 'shop' }, 'source'],
      [{ role: 'operator', purposes: ['tenancy'] }, 'purposes'],
    ];
    const before = await count();
    for (const [body, field] of cases) {
      const r = await w.call('POST', '/v1/keys', w.keys.operator, { name: 'k', ...body });
      expect([body.role, field, r.status]).toEqual([body.role, field, 400]);
      expect(r.body.error.code).toBe('CREDENCE_E_USAGE');
      expect(r.body.error.details).toContainEqual(expect.objectContaining({ field }));
      expect(r.body.error.message).toContain(String(body.role));
    }
    expect(await count()).toBe(before);
  });

  it('issues each role with its own bindings', async () => {
    for (const body of [
      { role: 'furnisher', source: 'shop' },
      { role: 'relying-party', purposes: ['tenancy'] },
      { role: 'person', subject: w.keys.personSubject },
      { role: 'operator' },
    ]) {
      const r = await w.call('POST', '/v1/keys', w.keys.operator, { name: 'k', ...body });
      expect([body.role, r.status]).toEqual([body.role, 200]);
    }
  });
});

describe('the audit entry of an issued key says what it may do', () => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await makeApiWorld({ people: 3 });
  });
  afterAll(() => w.dispose());

  it('key.issue records the scopes, purposes, source, subject and rate granted', async () => {
    for (const body of [
      { role: 'furnisher', source: 'court', scopes: ['facts:write'], rate: 5 },
      { role: 'relying-party', purposes: ['tenancy', 'credit'] },
      { role: 'person', subject: w.keys.personSubject },
    ]) {
      const r = await w.call('POST', '/v1/keys', w.keys.operator, { name: 'granted', ...body });
      expect(r.status).toBe(200);
      const [entry] = await w.api.ctx.audit
        .query({ actions: ['key.issue'] })
        .then((all) => all.filter((e) => JSON.parse(e.detail).keyId === r.body.key.keyId));
      const k = r.body.key;
      expect(JSON.parse(entry?.detail ?? '{}')).toEqual({
        keyId: k.keyId,
        role: k.role,
        // A person token's name is not logged (person-token-name-unlogged.test.ts).
        ...(k.role === 'person' ? {} : { name: k.name }),
        scopes: k.scopes,
        purposes: k.purposes,
        source: k.source,
        subject: k.subject,
        rate: k.rate,
      });
    }
  });
});
