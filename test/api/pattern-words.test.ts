import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A value refused for its form was answered with the schema's regular expression ("must match
// pattern "^[\x21-\x7E]+$"") and, for a header, "the request's headers is invalid". Each such
// refusal now says in words what the value must be.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

describe('a value refused for its form', () => {
  it('an Idempotency-Key with a space or a letter past ASCII: visible ASCII, in words', async () => {
    const r = await w.call(
      'POST',
      '/v1/keys',
      w.keys.operator,
      { role: 'operator', name: 'Spare' },
      { 'idempotency-key': 'two words' },
    );
    expect([r.status, r.body.error?.code]).toEqual([400, 'CREDENCE_E_USAGE']);
    expect(r.body.error.message).toContain("the request's headers are invalid");
    expect(r.body.error.details).toEqual([
      {
        code: 'CREDENCE_E_USAGE',
        path: 'headers.idempotency-key',
        reason: 'must be visible ASCII characters only, no spaces (a UUID will do)',
      },
    ]);
    expect(r.body.error.message).not.toContain('pattern');
  });

  it('a published head that is not a hash: 64 lowercase hexadecimal digits, in words', async () => {
    const r = await w.call('GET', '/v1/audit/verify?published=abc', w.keys.operator);
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([
      {
        code: 'CREDENCE_E_USAGE',
        path: 'querystring.published',
        reason: 'must be a head hash as verify gives it: 64 lowercase hexadecimal digits',
      },
    ]);
  });
});
