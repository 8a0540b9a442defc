import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi } from '../../src/api/index.js';
import { type ApiWorld, makeApiWorld, PROGRAM_FILES } from './api-world.js';

// POST /v1/keys and POST /v1/programs/drafts created something new on every call: an operator
// whose answer was lost (a timeout, a dropped connection) and who sent the request again got a
// second key, with a token nobody had seen, or a second draft. Both now take an `Idempotency-Key`
// header: a retry with the same key and body answers the first answer and creates nothing; the same
// key with another body is refused.
let w: ApiWorld;
let operator2: string;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
  operator2 = (await w.api.ctx.auth.issue({ role: 'operator', name: 'Ops two', rate: 100_000 })).token;
});
afterAll(async () => w.dispose());

const keyCount = () => w.api.ctx.auth.list().length;
const issues = async () => (await w.api.ctx.audit.query({ actions: ['key.issue'] })).length;
const issue = (idem: string | undefined, body: unknown, key = w.keys.operator) =>
  w.call('POST', '/v1/keys', key, body, idem === undefined ? {} : { 'idempotency-key': idem });
const rp = (name: string) => ({ role: 'relying-party', name, purposes: ['tenancy'] });

describe('POST /v1/keys with an Idempotency-Key', () => {
  it('issues one key for a request sent twice, and answers the retry with the same token', async () => {
    const [keys, logged] = [keyCount(), await issues()];
    const first = await issue('retry-1', rp('Retry Ltd'));
    const again = await issue('retry-1', rp('Retry Ltd'));
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(keyCount()).toBe(keys + 1);
    expect(await issues()).toBe(logged + 1);
    // The token answered again is the key's, and works.
    const r = await w.call(
      'GET',
      `/v1/persons/${w.keys.personSubject}/score?program=marketplace&purpose=tenancy`,
      again.body.token,
    );
    expect(r.status).toBe(200);
  });

  it('issues one key for the same request sent several times at once', async () => {
    const keys = keyCount();
    const all = await Promise.all([1, 2, 3, 4].map(() => issue('at-once', rp('At Once Ltd'))));
    expect(all.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(all.map((a) => a.body.token)).size).toBe(1);
    expect(keyCount()).toBe(keys + 1);
  });

  it('refuses the same Idempotency-Key with another body, naming the header; issues nothing', async () => {
    await issue('reused', rp('First Ltd'));
    const keys = keyCount();
    const r = await issue('reused', rp('Second Ltd'));
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('CREDENCE_E_STATE');
    expect(r.body.error.message).toContain('reused');
    expect(r.body.error.details[0]).toMatchObject({ field: 'headers.idempotency-key' });
    expect(keyCount()).toBe(keys);
  });

  it('keeps each caller’s keys apart, and a request without the header issues a key each time', async () => {
    const keys = keyCount();
    const a = await issue('shared-name', rp('Caller Ltd'));
    const b = await issue('shared-name', rp('Caller Ltd'), operator2);
    expect(b.body.token).not.toBe(a.body.token);
    await issue(undefined, rp('No Header Ltd'));
    await issue(undefined, rp('No Header Ltd'));
    expect(keyCount()).toBe(keys + 4);
  });

  it('issues one key when two servers on one file take the same request at once', async () => {
    const second = await openApi(w.db, { clock: () => w.clock.now });
    try {
      const keys = keyCount();
      const send = (api: typeof second) =>
        api.server.inject({
          method: 'POST',
          url: '/v1/keys',
          headers: { authorization: `Bearer ${w.keys.operator}`, 'idempotency-key': 'two-servers' },
          payload: rp('Two Servers Ltd'),
        });
      const [a, b] = await Promise.all([send(w.api), send(second)]);
      expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
      expect(b.json().token).toBe(a.json().token);
      expect(keyCount()).toBe(keys + 1);
    } finally {
      await second.close();
    }
  });

  it('never stores an issued token in the clear', async () => {
    const r = await issue('sealed', rp('Sealed Ltd'));
    const rows = w.api.ctx.db.prepare('SELECT * FROM api_idempotency').all() as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    const secret = (r.body.token as string).slice(-32);
    for (const row of rows) expect(JSON.stringify(row)).not.toContain(secret);
  });

  it('refuses a malformed Idempotency-Key by name', async () => {
    const r = await issue('has space', rp('Bad Header Ltd'));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('CREDENCE_E_USAGE');
    expect(JSON.stringify(r.body.error.details)).toContain('idempotency-key');
  });

  it('law: keys issued are the distinct Idempotency-Keys; each answer is its key’s first, or 409 for another body', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 1 })), {
          minLength: 1,
          maxLength: 6,
        }),
        async (requests) => {
          run++;
          const keys = keyCount();
          const first = new Map<number, { body: number; token: string }>();
          for (const [k, body] of requests) {
            const r = await issue(`law-${run}-${k}`, rp(`Law ${body}`));
            const seen = first.get(k);
            if (seen === undefined) {
              expect(r.status).toBe(200);
              first.set(k, { body, token: r.body.token });
            } else if (seen.body === body) {
              expect([r.status, r.body.token]).toEqual([200, seen.token]);
            } else {
              expect([r.status, r.body.error.code]).toEqual([409, 'CREDENCE_E_STATE']);
            }
          }
          expect(keyCount()).toBe(keys + first.size);
        },
      ),
      { numRuns: 8 },
    );
  });
});

describe('POST /v1/programs/drafts with an Idempotency-Key', () => {
  const yaml = readFileSync(PROGRAM_FILES[0] as string, 'utf8');
  const drafts = async () => (await w.call('GET', '/v1/programs', w.keys.operator)).body.drafts.length;

  it('stores one draft for a request sent twice, and answers the retry with it', async () => {
    const before = await drafts();
    const first = await w.call(
      'POST',
      '/v1/programs/drafts',
      w.keys.operator,
      { yaml },
      { 'idempotency-key': 'd-1' },
    );
    const again = await w.call(
      'POST',
      '/v1/programs/drafts',
      w.keys.operator,
      { yaml },
      { 'idempotency-key': 'd-1' },
    );
    expect(first.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await drafts()).toBe(before + 1);
    const other = await w.call(
      'POST',
      '/v1/programs/drafts',
      w.keys.operator,
      { yaml: `${yaml}\n# edited\n` },
      { 'idempotency-key': 'd-1' },
    );
    expect([other.status, other.body.error.code]).toEqual([409, 'CREDENCE_E_STATE']);
    expect(await drafts()).toBe(before + 1);
  });

  it('forgets a key after a day: the same request then stores a new draft', async () => {
    const first = await w.call(
      'POST',
      '/v1/programs/drafts',
      w.keys.operator,
      { yaml },
      { 'idempotency-key': 'd-2' },
    );
    w.clock.now += 24 * 3_600_000 + 1;
    const later = await w.call(
      'POST',
      '/v1/programs/drafts',
      w.keys.operator,
      { yaml },
      { 'idempotency-key': 'd-2' },
    );
    expect(later.status).toBe(200);
    expect(later.body.id).not.toBe(first.body.id);
  });
});
