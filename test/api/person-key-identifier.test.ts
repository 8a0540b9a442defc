import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// Every other route takes a person as a subject id or a strong identifier (docs/api.md), and so did
// an operator issuing a person token: POST /v1/keys with the e-mail a person's score is asked by was
// refused, "no person \"…@…\"", though GET /v1/persons/{that e-mail}/score answered for them.
describe('POST /v1/keys: a person token for a strong identifier', () => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await makeApiWorld({ people: 3 });
  });
  afterAll(() => w.dispose());

  it('is bound to the person the identifier names, by their subject id', async () => {
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    const id = (file.identifiers as { kind: string; value: string }[])[0];
    expect(id).toBeDefined();
    const r = await w.call('POST', '/v1/keys', w.keys.operator, {
      role: 'person',
      name: 'by identifier',
      subject: id?.value,
    });
    expect(r.status).toBe(200);
    expect(r.body.key.subject).toBe(w.keys.personSubject);
    const own = await w.call('GET', '/v1/me/file', r.body.token);
    expect(own.status).toBe(200);
    expect(own.body.subject).toBe(w.keys.personSubject);
  });

  it('still refuses an identifier nobody holds, naming the field', async () => {
    const r = await w.call('POST', '/v1/keys', w.keys.operator, {
      role: 'person',
      name: 'nobody',
      subject: 'nobody-at-all@example.org',
    });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('CREDENCE_E_SUBJECT_NOT_FOUND');
    expect(r.body.error.details).toContainEqual(expect.objectContaining({ field: 'subject' }));
  });
});
