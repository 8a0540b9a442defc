import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// An ID or account number sent as a JSON number past 2^53 is rounded by JSON.parse
// (110105194912310021 reads as 110105194912310020): stored and read as someone else's. The body's
// text is checked before it is parsed away, as `credence ingest` checks each line; the batch is
// refused whole, naming the field, and nothing is stored.

describe('POST /v1/facts and numbers JSON cannot hold exactly', () => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await makeApiWorld({ people: 2 });
  });
  afterAll(() => w.dispose());

  const body = (account: string, id: string): string =>
    `{"facts":[{"id":"${id}-ok","source":"shop","type":"purchase.completed","occurredAt":"${new Date(w.clock.now - 86_400_000).toISOString()}","subject":{"subjectId":"${w.keys.personSubject}"},"data":{"amount":10,"items":1}},` +
    `{"id":"${id}","source":"shop","type":"purchase.completed","occurredAt":"${new Date(w.clock.now - 86_400_000).toISOString()}","subject":{"subjectId":"${w.keys.personSubject}"},"data":{"amount":10,"items":1,"account":${account}}}]}`;
  const json = { 'content-type': 'application/json' };
  const stored = (): number => {
    const db = new Database(w.db, { readonly: true });
    try {
      return db.prepare('SELECT count(*) FROM facts').pluck().get() as number;
    } finally {
      db.close();
    }
  };

  it('refuses the batch, naming the field and the digits as sent, and stores none of it', async () => {
    const before = stored();
    const r = await w.call('POST', '/v1/facts', w.keys.furnisher, body('110105194912310021', 'big-1'), json);
    expect(r.status).toBe(400);
    const err = (r.body as { error: { code: string; message: string; details: { path: string }[] } }).error;
    expect(err.code).toBe('CREDENCE_E_USAGE');
    expect(err.message).toContain('110105194912310021');
    expect(err.message).toContain(`reads as ${BigInt(Number('110105194912310021'))}`);
    expect(err.message).toContain('send an ID, account or card number as a string');
    expect(err.details[0]?.path).toBe('body.facts[1].data.account');
    expect(stored()).toBe(before);
  });

  it('takes numbers a double holds exactly, however many digits they have', async () => {
    // 2^60 and 10^20 are exact doubles; 9007199254740991 is the largest exact integer of 16 digits.
    for (const [n, id] of [
      ['1152921504606846976', 'exact-1'],
      ['100000000000000000000', 'exact-2'],
      ['9007199254740991', 'exact-3'],
      ['12345.678901234567891', 'exact-4'],
    ] as const) {
      const r = await w.call('POST', '/v1/facts', w.keys.furnisher, body(n, id), json);
      expect(r.status, n).toBe(200);
      expect((r.body as { counts: { accepted: number } }).counts.accepted, n).toBe(2);
    }
  });

  it('still refuses a body that is not JSON, and one poisoning a prototype', async () => {
    const bad = await w.call('POST', '/v1/facts', w.keys.furnisher, '{"facts":[', json);
    expect(bad.status).toBe(400);
    const proto = await w.call(
      'POST',
      '/v1/facts',
      w.keys.furnisher,
      '{"facts":[{"__proto__":{"x":1}}]}',
      json,
    );
    expect(proto.status).toBe(400);
  });
});
