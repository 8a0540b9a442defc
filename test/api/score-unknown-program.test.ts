import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A relying party asking for a score in a program that does not exist was answered after the
// person was looked up: CREDENCE_E_PROGRAM_NOT_FOUND for an identifier Credence holds,
// CREDENCE_E_SUBJECT_NOT_FOUND for one it does not. Whether anything is held about a phone or an
// ID number could be read off that way, with no score asked and no inquiry in the person's list.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 5 });
});
afterAll(async () => w.dispose());

describe('a score asked in a program that does not exist', () => {
  it('is the same refusal for a person held and for no one, and nothing about the person is logged', async () => {
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    const held = (file.identifiers as { kind: string; value: string }[]).map((i) => i.value);
    expect(held.length).toBeGreaterThan(0);
    const before = await w.api.ctx.audit.query({ subject: w.keys.personSubject });
    const asked = [w.keys.personSubject, ...held, 'P9999999', '+8613000000000', 'nobody@example.org'];
    const answers = [];
    for (const subject of asked) {
      for (const program of ['no-such-program', 'Marketplace']) {
        const r = await w.call(
          'GET',
          `/v1/persons/${encodeURIComponent(subject)}/score?program=${program}&purpose=tenancy`,
          w.keys.rp,
        );
        answers.push({
          status: r.status,
          code: r.body.error?.code,
          field: r.body.error?.details?.[0]?.field,
        });
      }
    }
    expect(answers).toEqual(
      asked.flatMap(() => [
        { status: 404, code: 'CREDENCE_E_PROGRAM_NOT_FOUND', field: 'program' },
        { status: 404, code: 'CREDENCE_E_PROGRAM_NOT_FOUND', field: 'program' },
      ]),
    );
    expect(await w.api.ctx.audit.query({ subject: w.keys.personSubject })).toEqual(before);
    // The program that exists still answers, and is an inquiry.
    const ok = await w.call(
      'GET',
      `/v1/persons/${encodeURIComponent(held[0] as string)}/score?program=marketplace&purpose=tenancy`,
      w.keys.rp,
    );
    expect(ok.status).toBe(200);
    expect(ok.body.subject).toBe(w.keys.personSubject);
    const after = await w.api.ctx.audit.query({ subject: w.keys.personSubject, actions: ['score.query'] });
    expect(after).toHaveLength(1);
  });
});
