import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 5 });
});
afterAll(async () => w.dispose());

const expectError = (r: { status: number; body: any }, status: number, code: string) => {
  expect(r.status).toBe(status);
  expect(r.body.error.code).toBe(code);
  expect(typeof r.body.error.message).toBe('string');
};

describe('malformed and oversized bodies', () => {
  it('malformed JSON is a 400 usage error', async () => {
    const r = await w.call('POST', '/v1/facts', w.keys.furnisher, '{"facts": [', {
      'content-type': 'application/json',
    });
    expectError(r, 400, 'CREDENCE_E_USAGE');
  });

  it('a body over the limit is a 413, and nothing is written', async () => {
    const before = await w.api.ctx.app.store.counts();
    const big = JSON.stringify({ yaml: 'x'.repeat(1024 * 1024 + 10) });
    expectError(
      await w.call('POST', '/v1/programs/validate', w.keys.operator, big, {
        'content-type': 'application/json',
      }),
      413,
      'CREDENCE_E_TOO_LARGE',
    );
    const facts = Array.from({ length: 10_001 }, (_, i) => ({ id: `big-${i}`, source: 'shop' }));
    expectError(await w.call('POST', '/v1/facts', w.keys.furnisher, { facts }), 400, 'CREDENCE_E_USAGE');
    const huge = `{"facts":[${'"x",'.repeat(5_000_000)}"x"]}`;
    expectError(
      await w.call('POST', '/v1/facts', w.keys.furnisher, huge, { 'content-type': 'application/json' }),
      413,
      'CREDENCE_E_TOO_LARGE',
    );
    expect(await w.api.ctx.app.store.counts()).toEqual(before);
  });

  it('a path that is not valid percent-encoding is a 400 from the catalogue, not a framework body', async () => {
    for (const [url, key] of [
      ['/v1/persons/%E0%A4%A/score?program=marketplace&purpose=credit', w.keys.rp],
      ['/v1/persons/%ED%A0%80/score?program=marketplace&purpose=credit', w.keys.rp],
      ['/v1/me/scores/%ED%A0%80', w.keys.person],
      ['/v1/me/explanations/%FF', w.keys.person],
    ] as const) {
      const r = await w.call('GET', url, key);
      expectError(r, 400, 'CREDENCE_E_USAGE');
      expect(r.body.error.details).toEqual(expect.any(Array));
    }
  });

  it('a body that is not JSON is a 415', async () => {
    const r = await w.call('POST', '/v1/decisions', w.keys.rp, 'subject=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expectError(r, 415, 'CREDENCE_E_MEDIA_TYPE');
    // text/plain too, even when the text is JSON (Fastify parses it as a string by default).
    for (const [url, key, body] of [
      ['/v1/facts', w.keys.furnisher, '{"facts":[{"id":"t1"}]}'],
      ['/v1/decisions', w.keys.rp, '{"subject":"x"}'],
    ] as const) {
      expectError(
        await w.call('POST', url, key, body, { 'content-type': 'text/plain' }),
        415,
        'CREDENCE_E_MEDIA_TYPE',
      );
    }
  });

  it('a screening date of birth that is not a date is a 400, not a silently dropped qualifier', async () => {
    for (const dob of ['garbage', '1990-02-30', '19901301']) {
      const r = await w.call('POST', '/v1/screen', w.keys.rp, { name: 'Wang Wei', dob, purpose: 'tenancy' });
      expectError(r, 400, 'CREDENCE_E_USAGE');
      expect(r.body.error.details[0].field).toBe('dob');
    }
    const ok = await w.call('POST', '/v1/screen', w.keys.rp, {
      name: 'Wang Wei',
      dob: '1990',
      purpose: 'tenancy',
    });
    expect(ok.status).toBe(200);
  });

  it('schema violations name the field', async () => {
    const r = await w.call('POST', '/v1/me/consent', w.keys.person, {
      program: 'marketplace',
      action: 'maybe',
    });
    expectError(r, 400, 'CREDENCE_E_USAGE');
    expect(r.body.error.details[0].path).toMatch(/^body/);
    const e = await w.call('POST', '/v1/facts', w.keys.furnisher, { facts: [] });
    expectError(e, 400, 'CREDENCE_E_USAGE');
  });

  it('a missing field, a value outside a list and a bad asOf are each one detail naming the field and why', async () => {
    // A missing field was placed at `body` (its name only inside ajv's sentence), a value outside
    // a list of literals gave one "must be equal to constant" per literal without saying which
    // values are allowed, and an asOf that is not a date carried no field at all.
    const missing = await w.call('POST', '/v1/decisions', w.keys.rp, {
      subject: w.keys.personSubject,
      program: 'marketplace',
      purpose: 'tenancy',
    });
    expectError(missing, 400, 'CREDENCE_E_USAGE');
    expect(missing.body.error.details).toEqual([
      expect.objectContaining({ path: 'body.policy', reason: expect.stringMatching(/required/) }),
    ]);
    expect(missing.body.error.message).toContain('body.policy');

    const outside = await w.call('POST', '/v1/me/consent', w.keys.person, {
      program: 'marketplace',
      action: 'maybe',
    });
    expectError(outside, 400, 'CREDENCE_E_USAGE');
    expect(outside.body.error.details).toHaveLength(1);
    expect(outside.body.error.details[0].path).toBe('body.action');
    expect(outside.body.error.details[0].reason).toContain('opt-out');
    expect(outside.body.error.details[0].reason).toContain('opt-in');
    expect(outside.body.error.message).toContain('opt-in');

    const empty = await w.call('POST', '/v1/me/disputes', w.keys.person, {
      source: 'shop',
      factId: 'x',
      reason: '',
    });
    expect(empty.body.error.details).toEqual([
      expect.objectContaining({ path: 'body.reason', reason: 'must not be empty' }),
    ]);

    const q = await w.call('GET', `/v1/persons/${w.keys.personSubject}/score?purpose=tenancy`, w.keys.rp);
    expect(q.body.error.details).toEqual([expect.objectContaining({ path: 'querystring.program' })]);

    for (const [method, url, key, body] of [
      [
        'GET',
        `/v1/persons/${w.keys.personSubject}/score?program=marketplace&purpose=tenancy&asOf=yesterday`,
        w.keys.rp,
      ],
      ['GET', '/v1/me/scores/marketplace?asOf=2026-02-30', w.keys.person],
      ['GET', '/v1/me/explanations/marketplace?asOf=soon', w.keys.person],
      [
        'POST',
        '/v1/decisions',
        w.keys.rp,
        {
          subject: w.keys.personSubject,
          program: 'marketplace',
          policy: 'deposit-free-bike',
          purpose: 'tenancy',
          asOf: 'last week',
        },
      ],
    ] as const) {
      const r = await w.call(method, url, key, body);
      expectError(r, 400, 'CREDENCE_E_USAGE');
      expect([url, r.body.error.details[0].field]).toEqual([url, 'asOf']);
    }
  });

  it('a field the route does not know is refused by name: a misspelt asOf is not answered as of now', async () => {
    // `asof` was ignored: the relying party got today's answer for the date it thought it asked.
    const decision = {
      subject: w.keys.personSubject,
      program: 'marketplace',
      policy: 'deposit-free-bike',
      purpose: 'tenancy',
    };
    for (const [method, url, key, body, path] of [
      ['POST', '/v1/decisions', w.keys.rp, { ...decision, asof: '2026-01-01T00:00:00Z' }, 'body.asof'],
      [
        'GET',
        `/v1/persons/${w.keys.personSubject}/score?program=marketplace&purpose=tenancy&as_of=2026-01-01T00:00:00Z`,
        w.keys.rp,
        undefined,
        'querystring.as_of',
      ],
      [
        'POST',
        '/v1/screen',
        w.keys.rp,
        { name: 'Wang Wei', purpose: 'tenancy', dateOfBirth: '1990' },
        'body.dateOfBirth',
      ],
      [
        'POST',
        '/v1/me/consent',
        w.keys.person,
        { program: 'marketplace', action: 'opt-out', when: 'later' },
        'body.when',
      ],
      [
        'GET',
        '/v1/me/scores/marketplace?asof=2026-01-01T00:00:00Z',
        w.keys.person,
        undefined,
        'querystring.asof',
      ],
    ] as const) {
      const r = await w.call(method, url, key, body);
      expectError(r, 400, 'CREDENCE_E_USAGE');
      expect([url, r.body.error.details]).toEqual([url, [expect.objectContaining({ path })]]);
    }
    // Nothing was changed by the refused opt-out.
    expect(await w.api.ctx.scores.score(w.keys.personSubject, 'marketplace', w.clock.now)).not.toMatchObject({
      reason: 'opted-out',
    });
    expect((await w.call('POST', '/v1/decisions', w.keys.rp, decision)).status).toBe(200);
  });
});

describe('refusals read as sentences', () => {
  it('a key of the wrong role is told which roles the route is for, with the right article', async () => {
    const r = await w.call('POST', '/v1/facts', w.keys.operator, { facts: [{ id: 'x' }] });
    expectError(r, 403, 'CREDENCE_E_FORBIDDEN');
    expect(r.body.error.message).toBe('an operator key cannot call this route (it is for: furnisher)');
    const p = await w.call('GET', '/v1/keys', w.keys.person);
    expect(p.body.error.message).toBe('a person key cannot call this route (it is for: operator)');
  });
});

describe('domain errors map to the catalogue', () => {
  it('unknown program, person, policy, import, dispute, route', async () => {
    const s = w.keys.personSubject;
    expectError(
      await w.call('GET', `/v1/persons/${s}/score?program=nope&purpose=tenancy`, w.keys.rp),
      404,
      'CREDENCE_E_PROGRAM_NOT_FOUND',
    );
    const unknown = await w.call(
      'GET',
      '/v1/persons/P9999999/score?program=marketplace&purpose=tenancy',
      w.keys.rp,
    );
    expectError(unknown, 404, 'CREDENCE_E_SUBJECT_NOT_FOUND');
    // The API's own parameter, not the CLI's argument name.
    expect(JSON.stringify(unknown.body)).toContain('"field":"subject"');
    expectError(
      await w.call('POST', '/v1/decisions', w.keys.rp, {
        subject: s,
        program: 'marketplace',
        policy: 'nope',
        purpose: 'tenancy',
      }),
      404,
      'CREDENCE_E_NOT_FOUND',
    );
    expectError(await w.call('GET', '/v1/imports/nope', w.keys.furnisher), 404, 'CREDENCE_E_NOT_FOUND');
    expectError(
      await w.call('POST', '/v1/disputes/nope/resolve', w.keys.operator, { outcome: 'upheld', note: '' }),
      404,
      'CREDENCE_E_NOT_FOUND',
    );
    expectError(await w.call('GET', '/v1/nothing-here'), 404, 'CREDENCE_E_NOT_FOUND');
    expectError(
      await w.call(
        'GET',
        `/v1/persons/${s}/score?program=marketplace&purpose=tenancy&asOf=yesterday`,
        w.keys.rp,
      ),
      400,
      'CREDENCE_E_USAGE',
    );
  });

  it('a consent record is changed, not disputed: an upheld dispute would erase an opt-out', async () => {
    // Upholding retracts the record, as if the person had never opted out: their ledger comes
    // back, past as-of dates are scored again and the opt-out leaves their copy of the file.
    const [, , third] = await w.api.ctx.app.store.subjectsPage('', 3);
    const subject = third as string;
    const key = (await w.api.ctx.auth.issue({ role: 'person', name: 'Person three', subject, rate: 1000 }))
      .token;
    const out = await w.call('POST', '/v1/me/consent', key, { program: 'marketplace', action: 'opt-out' });
    expect(out.status).toBe(200);
    const e = await w.call('POST', '/v1/me/disputes', key, {
      source: 'credence',
      factId: out.body.factId,
      reason: 'x',
    });
    expectError(e, 422, 'CREDENCE_E_CONSENT_INVALID');
    expect(e.body.error.message).toContain('/v1/me/consent');
    expect((await w.call('GET', '/v1/disputes', w.keys.operator)).body.disputes).not.toContainEqual(
      expect.objectContaining({ subject }),
    );
    const score = await w.call(
      'GET',
      `/v1/persons/${subject}/score?program=marketplace&purpose=tenancy`,
      w.keys.rp,
    );
    expect(score.body).toMatchObject({ status: 'not-scored' });
  });

  it('a YAML alias bomb is an invalid rulebook (422), never a 500', async () => {
    let yaml = 'a: &a [x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 9; i++) {
      const [n, p] = [String.fromCharCode(97 + i), String.fromCharCode(96 + i)];
      yaml += `${n}: &${n} [${Array(9).fill(`*${p}`).join(', ')}]\n`;
    }
    expectError(
      await w.call('POST', '/v1/programs/validate', w.keys.operator, { yaml }),
      422,
      'CREDENCE_E_RULEBOOK_INVALID',
    );
  });

  it('a fact nested thousands deep is refused with its index, never a 500', async () => {
    // Serialising it for the stored body overflowed the stack: the whole batch answered 500.
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const good = {
      id: 'deep-ok',
      source: 'shop',
      type: 'purchase.completed',
      occurredAt: '2026-10-01T10:00:00Z',
      subject: { subjectId: w.keys.personSubject },
      data: { amount: 1, items: 1 },
    };
    const r = await w.call(
      'POST',
      '/v1/facts',
      w.keys.furnisher,
      `{"facts":[${JSON.stringify(good)},{"id":"deep","source":"shop","data":{"x":${deep}}},${deep}]}`,
      { 'content-type': 'application/json' },
    );
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { status: string }) => x.status)).toEqual([
      'accepted',
      'rejected',
      'rejected',
    ]);
    expect(r.body.results[1]).toMatchObject({
      code: 'CREDENCE_E_FACT_INVALID',
      reason: expect.stringMatching(/nested/),
    });
  });

  it('an invalid rulebook lists every error', async () => {
    const r = await w.call('POST', '/v1/programs/drafts', w.keys.operator, {
      yaml: 'program: p\nscale: { min: 0 }\nrules: 5\n',
    });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toMatch(/^CREDENCE_E_RULEBOOK/);
    expect(r.body.error.details.length).toBeGreaterThan(1);
  });

  it('a person token for an unknown subject cannot be issued', async () => {
    expectError(
      await w.call('POST', '/v1/keys', w.keys.operator, { role: 'person', name: 'x', subject: 'P9999999' }),
      404,
      'CREDENCE_E_SUBJECT_NOT_FOUND',
    );
    expectError(
      await w.call('POST', '/v1/keys', w.keys.operator, { role: 'furnisher', name: 'x' }),
      400,
      'CREDENCE_E_USAGE',
    );
    expectError(
      await w.call('POST', '/v1/keys', w.keys.operator, {
        role: 'person',
        name: 'x',
        subject: w.keys.personSubject,
        scopes: ['keys:admin'],
      }),
      400,
      'CREDENCE_E_USAGE',
    );
  });
});

describe('internal errors', () => {
  it('a 500 says only "internal error", never the cause', async () => {
    const world = await makeApiWorld({ people: 2 });
    try {
      // Break the store underneath the running server: its connection is gone.
      await world.api.ctx.app.store.close();
      const r = await world.call(
        'GET',
        `/v1/persons/${world.keys.personSubject}/score?program=marketplace&purpose=tenancy`,
        world.keys.rp,
      );
      expect(r.status).toBe(500);
      expect(r.body).toEqual({
        error: { code: 'CREDENCE_E_INTERNAL', message: 'internal error', details: [] },
      });
    } finally {
      await world.dispose().catch(() => undefined);
    }
  });
});
