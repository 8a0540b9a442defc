import { deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntaxErrorAt } from '../../src/api/request-body.js';
import { FACTS_BODY_LIMIT } from '../../src/api/routes/furnisher/facts.js';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// What a furnisher's client does with a body: compress it (curl --compressed, a batch job's
// gzip), break it, or send too much. Each answer says what is wrong and where.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

const fact = (id: string) => ({
  id,
  source: 'shop',
  type: 'purchase.completed',
  occurredAt: '2026-10-01T10:00:00Z',
  subject: { subjectId: w.keys.personSubject },
  data: { amount: 10, items: 1 },
});
const json = { 'content-type': 'application/json' };
const stored = async (id: string) =>
  (await w.api.ctx.app.store.personFile(w.keys.personSubject)).facts.some((f) => f.id === id);

describe('a compressed body', () => {
  it('gzip and deflate are read as the JSON they hold', async () => {
    const gz = await w.call(
      'POST',
      '/v1/facts',
      w.keys.furnisher,
      gzipSync(JSON.stringify({ facts: [fact('gz-1')] })),
      { ...json, 'content-encoding': 'gzip' },
    );
    expect(gz.status).toBe(200);
    expect(gz.body.counts).toMatchObject({ accepted: 1 });
    const df = await w.call(
      'POST',
      '/v1/facts',
      w.keys.furnisher,
      deflateSync(JSON.stringify({ facts: [fact('df-1')] })),
      { ...json, 'content-encoding': 'deflate' },
    );
    expect(df.status).toBe(200);
    expect(df.body.counts).toMatchObject({ accepted: 1 });
    expect(await stored('gz-1')).toBe(true);
    expect(await stored('df-1')).toBe(true);
  });

  it('an encoding the server does not read is a 415 naming the header, not "invalid JSON"', async () => {
    const r = await w.call('POST', '/v1/facts', w.keys.furnisher, gzipSync('{"facts":[]}'), {
      ...json,
      'content-encoding': 'br',
    });
    expect(r.status).toBe(415);
    expect(r.body.error.code).toBe('CREDENCE_E_MEDIA_TYPE');
    expect(r.body.error.message).toContain('br');
    expect(r.body.error.details[0]).toMatchObject({ path: 'headers.content-encoding' });
  });

  it('a body said to be gzip that is not is a 400 naming the header', async () => {
    const r = await w.call('POST', '/v1/facts', w.keys.furnisher, JSON.stringify({ facts: [fact('nz-1')] }), {
      ...json,
      'content-encoding': 'gzip',
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('CREDENCE_E_USAGE');
    expect(r.body.error.details[0]).toMatchObject({ path: 'headers.content-encoding' });
    expect(await stored('nz-1')).toBe(false);
  });

  it('the limit holds for what the body expands to (a zip bomb is a 413, nothing stored)', async () => {
    const before = await w.api.ctx.app.store.counts();
    const big = `{"facts":[${JSON.stringify(fact('bomb-1'))}],"pad":"${' '.repeat(FACTS_BODY_LIMIT + 10)}"}`;
    const packed = gzipSync(big);
    expect(packed.length).toBeLessThan(FACTS_BODY_LIMIT / 100);
    const r = await w.call('POST', '/v1/facts', w.keys.furnisher, packed, {
      ...json,
      'content-encoding': 'gzip',
    });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('CREDENCE_E_TOO_LARGE');
    expect(await w.api.ctx.app.store.counts()).toEqual(before);
  });
});

describe('a broken or oversized body says where', () => {
  it('malformed JSON names the line and column of the fault', async () => {
    const text = '{"facts": [\n  {"id": "a"},\n  {"id": "b",, }\n]}';
    const r = await w.call('POST', '/v1/facts', w.keys.furnisher, text, json);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('CREDENCE_E_USAGE');
    expect(r.body.error.message).toMatch(/line 3, column 14/);
    expect(r.body.error.details[0]).toMatchObject({ path: 'body' });
  });

  it('a body cut short says it ended early', async () => {
    const r = await w.call('POST', '/v1/facts', w.keys.furnisher, '{"facts": [', json);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/ends? (too )?early|end of/i);
  });

  it('a 413 names the route and its limit', async () => {
    const huge = `{"facts":[${'"x",'.repeat(FACTS_BODY_LIMIT / 4)}"x"]}`;
    const r = await w.call('POST', '/v1/facts', w.keys.furnisher, huge, json);
    expect(r.status).toBe(413);
    expect(r.body.error.message).toContain(`${FACTS_BODY_LIMIT / 1024 / 1024} MiB`);
    expect(r.body.error.message).toContain('POST /v1/facts');
    const small = await w.call(
      'POST',
      '/v1/programs/validate',
      w.keys.operator,
      JSON.stringify({ yaml: 'x'.repeat(1024 * 1024 + 10) }),
      json,
    );
    expect(small.status).toBe(413);
    expect(small.body.error.message).toContain('1 MiB');
  });
});

describe('where JSON breaks', () => {
  it('a fault V8 names without a place still gets its line and column', async () => {
    const r = await w.call('POST', '/v1/facts', w.keys.furnisher, '{"facts":[\n{"id":"a"},,\n]}', json);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('line 2, column 12');
  });

  it('syntaxErrorAt agrees with JSON.parse on whether a text parses, and with V8 on where', () => {
    fc.assert(
      fc.property(
        fc.json(),
        fc.nat(),
        fc.constantFrom(',', ']', '}', '"', ':', '{', '[', 'x', '\\', ' ', '1', '-', '.', '\n', '\u0001'),
        fc.boolean(),
        (text, at, ch, cut) => {
          const p = at % (text.length + 1);
          const broken = cut ? text.slice(0, p) : text.slice(0, p) + ch + text.slice(p);
          let parses = true;
          let v8: number | undefined;
          try {
            JSON.parse(broken);
          } catch (e) {
            parses = false;
            const m = /at position (\d+)/.exec((e as Error).message);
            if (m) v8 = Number(m[1]);
          }
          const found = syntaxErrorAt(broken);
          expect(found === -1).toBe(parses);
          if (v8 !== undefined) expect(found).toBe(v8);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('a body with a byte-order mark', () => {
  it('is placed past the mark: the fault, not the mark, is named', async () => {
    const r = await w.call('POST', '/v1/facts', w.keys.furnisher, '\uFEFF{"facts": [1,,2]}', json);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('line 1, column 14');
  });
});

describe('a body of another media type', () => {
  it('is a 415 naming the type sent and the header', async () => {
    const r = await w.call('POST', '/v1/facts', w.keys.furnisher, 'facts=1', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(r.status).toBe(415);
    expect(r.body.error.message).toContain('application/x-www-form-urlencoded');
    expect(r.body.error.details[0]).toMatchObject({ path: 'headers.content-type' });
  });
});
