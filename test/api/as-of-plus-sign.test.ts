import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A relying party asking `asOf=2026-11-01T08:00:00+08:00` unencoded gets the "+" read as a space,
// as every query string does, and was told the instant "2026-11-01T08:00:00 08:00" has no time
// zone: the offset it had written plainly was not there, and nothing said why.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

describe('an asOf whose "+" offset arrived as a space', () => {
  it('is refused naming asOf and saying to write the "+" as %2B', async () => {
    const base = `/v1/persons/${w.keys.personSubject}/score?program=marketplace&purpose=tenancy`;
    const r = await w.call('GET', `${base}&asOf=2026-11-01T08:00:00+08:00`, w.keys.rp);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('CREDENCE_E_USAGE');
    expect(r.body.error.details).toEqual([expect.objectContaining({ field: 'asOf' })]);
    expect(r.body.error.message).toContain('%2B');
    const own = await w.call('GET', '/v1/me/scores/marketplace?asOf=2026-11-01T08:00+0800', w.keys.person);
    expect(own.status).toBe(400);
    expect(own.body.error.message).toContain('%2B');

    // Encoded, the same instant is taken; a plain bad value is not told about "+".
    const ok = await w.call('GET', `${base}&asOf=2026-11-01T08:00:00%2B08:00`, w.keys.rp);
    expect(ok.status).toBe(200);
    expect(ok.body.asOf).toBe('2026-11-01T00:00:00.000Z');
    const bad = await w.call('GET', `${base}&asOf=yesterday`, w.keys.rp);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).not.toContain('%2B');
  });
});
