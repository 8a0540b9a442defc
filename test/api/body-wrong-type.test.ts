import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, type ApiWorld, makeApiWorld } from './api-world.js';

// The server's schema check coerces types (a query string is all text), and it read a JSON body
// the same way: `"authorisation": true` was kept as the relying party's reference "true" and said
// to the person as such, a dispute's `"reason": false` opened a dispute reading "false", a `null`
// became "" and was refused as `asOf "" is not an ISO 8601 instant` (a value the client never
// sent). A JSON body says what type it means: a value of another type is refused by its field's
// name, as a list is (body-list-for-text.test.ts), beside every other problem; nothing is done.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

const decision = () => ({
  subject: w.keys.personSubject,
  program: 'marketplace',
  policy: 'deposit-free-bike',
  purpose: 'credit',
});
const inquiries = async () => (await w.call('GET', '/v1/me/inquiries', w.keys.person)).body.inquiries.length;
const paths = (r: Answer): string[] => r.body.error.details.map((d: { path: string }) => d.path).sort();

describe('a value of another JSON type than its field takes', () => {
  it('is refused on a decision, each field named with the type it takes; no inquiry is kept', async () => {
    const before = await inquiries();
    const cases: [string, unknown, string][] = [
      ['authorisation', true, 'must be string'],
      ['authorisation', 12345, 'must be string'],
      ['asOf', null, 'must be string'],
      ['asOf', 20260101, 'must be string'],
      ['subject', null, 'must be string'],
      ['purpose', false, 'must be string'],
    ];
    for (const [field, value, words] of cases) {
      const r = await w.call('POST', '/v1/decisions', w.keys.rp, { ...decision(), [field]: value });
      expect([field, value, r.status, r.body.error?.code]).toEqual([field, value, 400, 'CREDENCE_E_USAGE']);
      expect(r.body.error.details).toEqual([
        { code: 'CREDENCE_E_USAGE', path: `body.${field}`, reason: words },
      ]);
    }
    const both = await w.call('POST', '/v1/decisions', w.keys.rp, {
      ...decision(),
      subject: 7,
      authorisation: true,
      extra: 1,
    });
    expect(paths(both)).toEqual(['body.authorisation', 'body.extra', 'body.subject']);
    expect(await inquiries()).toBe(before);
  });

  it('is refused on a dispute, and none is opened', async () => {
    const fact = (await w.api.ctx.app.store.personFile(w.keys.personSubject)).facts[0];
    for (const reason of [false, 5, null]) {
      const r = await w.call('POST', '/v1/me/disputes', w.keys.person, {
        source: fact?.source,
        factId: fact?.id,
        reason,
      });
      expect([reason, r.status, paths(r)]).toEqual([reason, 400, ['body.reason']]);
    }
    expect((await w.call('GET', '/v1/me/disputes', w.keys.person)).body.disputes).toEqual([]);
  });

  it('is refused on a key: a rate sent as text, a name sent as a number', async () => {
    const before = (await w.call('GET', '/v1/keys', w.keys.operator)).body.keys.length;
    const r = await w.call('POST', '/v1/keys', w.keys.operator, {
      role: 'furnisher',
      name: 42,
      source: 'bank',
      rate: '5',
    });
    expect([r.status, paths(r)]).toEqual([400, ['body.name', 'body.rate']]);
    expect((await w.call('GET', '/v1/keys', w.keys.operator)).body.keys.length).toBe(before);
  });

  it('the same requests with values of their types are answered', async () => {
    const r = await w.call('POST', '/v1/decisions', w.keys.rp, {
      ...decision(),
      asOf: '2026-10-01',
      authorisation: 'form-7',
    });
    expect(r.status).toBe(200);
    const k = await w.call('POST', '/v1/keys', w.keys.operator, {
      role: 'furnisher',
      name: 'Bank',
      source: 'bank',
      rate: 5,
    });
    expect(k.status).toBe(200);
    // A query string is all text: its numbers are still read as numbers.
    const page = await w.call('GET', '/v1/me/inquiries?limit=1', w.keys.person);
    expect(page.status).toBe(200);
    expect(page.body.inquiries.length).toBe(1);
  });
});
