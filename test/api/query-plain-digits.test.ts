import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// Query numbers were coerced by ajv as JavaScript's Number() reads text: `after=0x10` read as 16,
// `limit=1e3` as 1000, ` 5`, `+5`, `0b1`, `5.0` as numbers too. Only plain decimal digits are
// numbers here, without a leading zero (`010` is 8 to a reader that takes it for octal).
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

/** Every numeric query parameter, and the key that may read its route. */
const NUMERIC = (): (readonly [string, string, string])[] => [
  ['/v1/me/inquiries', 'limit', w.keys.person],
  ['/v1/me/inquiries', 'after', w.keys.person],
  ['/v1/keys', 'limit', w.keys.operator],
  ['/v1/sources', 'limit', w.keys.operator],
  ['/v1/disputes', 'limit', w.keys.operator],
  ['/v1/identity/reviews', 'limit', w.keys.operator],
];

const NOT_DIGITS = [
  '0x10',
  '1e3',
  ' 5',
  '5 ',
  '+5',
  '-5',
  '0b1',
  '0o7',
  '5.0',
  '5.',
  '.5',
  '010',
  '00',
  '',
  '1_000',
  'Infinity',
  '١٢',
  '５',
];

describe('a numeric query parameter', () => {
  it('every one is listed here: /openapi.json has no other', async () => {
    const doc = (await w.call('GET', '/openapi.json')).body as {
      paths: Record<
        string,
        Record<string, { parameters?: { in: string; name: string; schema?: { type?: string } }[] }>
      >;
    };
    const found: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths))
      for (const op of Object.values(methods))
        for (const p of op.parameters ?? [])
          if (p.in === 'query' && ['integer', 'number'].includes(p.schema?.type ?? ''))
            found.push(`${path} ${p.name}`);
    expect(found.sort()).toEqual(
      NUMERIC()
        .map(([u, n]) => `${u} ${n}`)
        .sort(),
    );
  });

  it('written other than in plain decimal digits is refused, naming it and what it takes', async () => {
    for (const [url, name, key] of NUMERIC())
      for (const v of NOT_DIGITS) {
        const r = await w.call('GET', `${url}?${name}=${encodeURIComponent(v)}`, key);
        expect([url, name, v, r.status]).toEqual([url, name, v, 400]);
        expect(r.body.error.code).toBe('CREDENCE_E_USAGE');
        expect(r.body.error.details).toEqual([
          {
            code: 'CREDENCE_E_USAGE',
            path: `querystring.${name}`,
            reason: expect.stringContaining('decimal digits'),
          },
        ]);
        expect(r.body.error.message).toContain(`querystring.${name}`);
      }
  });

  it('any text but plain digits is refused, never answered as a number', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 8 }), async (v) => {
        fc.pre(!/^(0|[1-9][0-9]*)$/.test(v));
        const r = await w.call('GET', `/v1/me/inquiries?after=${encodeURIComponent(v)}`, w.keys.person);
        expect(r.status).toBe(400);
        expect(r.body.error.details[0].path).toBe('querystring.after');
      }),
      { numRuns: 60 },
    );
  });

  it('past 2^53 - 1 is refused: it would be read as another number', async () => {
    const r = await w.call('GET', '/v1/me/inquiries?after=9007199254740993', w.keys.person);
    expect(r.status).toBe(400);
    expect(r.body.error.details[0]).toMatchObject({ path: 'querystring.after' });
  });

  it('in plain digits is read as the number it is', async () => {
    for (const [url, name, key] of NUMERIC()) {
      const r = await w.call('GET', `${url}?${name}=${name === 'limit' ? '7' : '0'}`, key);
      expect([url, name, r.status]).toEqual([url, name, 200]);
    }
    const all = await w.call('GET', '/v1/me/inquiries', w.keys.person);
    const one = await w.call('GET', '/v1/me/inquiries?limit=1', w.keys.person);
    expect(one.body.inquiries.length).toBe(Math.min(1, all.body.inquiries.length));
  });
});
