import { isUtf8 } from 'node:buffer';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstNonUtf8 } from '../../src/ingest/first-non-utf8.js';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// JSON is UTF-8 (RFC 8259 §8.1). A body in another encoding (a Latin-1 "Müller", a GBK name) was
// decoded with replacement characters and used as sent: a furnisher's fact was stored with the
// person's name garbled ("M\uFFFDller", for good: facts are append-only), a screening by that name
// searched for the garbled one and answered "no candidates", and a dispute's reason was kept
// garbled. `credence ingest` refuses such a line; the API now refuses such a body, saying where,
// and a body labelled with another charset is refused for its label.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

const latin1 = (text: string) => Buffer.from(text, 'latin1');
const factText = (id: string, name: string) =>
  JSON.stringify({
    facts: [
      {
        id,
        source: 'shop',
        type: 'purchase.completed',
        occurredAt: '2026-10-01T10:00:00Z',
        subject: { subjectId: w.keys.personSubject, name },
        data: { amount: 10, items: 1 },
      },
    ],
  });
const json = { 'content-type': 'application/json' };
const stored = async (id: string) =>
  (await w.api.ctx.app.store.personFile(w.keys.personSubject)).facts.find((f) => f.id === id);

describe('a body that is not UTF-8', () => {
  it('a batch of facts is refused whole, naming the byte and where it is; nothing is stored', async () => {
    const r = await w.call('POST', '/v1/facts', w.keys.furnisher, latin1(factText('lat-1', 'Müller')), json);
    expect([r.status, r.body.error?.code]).toEqual([400, 'CREDENCE_E_USAGE']);
    expect(r.body.error.message).toMatch(/not UTF-8/);
    expect(r.body.error.message).toContain('0xFC');
    expect(r.body.error.message).toMatch(/line 1, column \d+/);
    expect(r.body.error.details[0]).toMatchObject({ path: 'body' });
    expect(await stored('lat-1')).toBeUndefined();
  });

  it('so is one sent gzipped', async () => {
    const r = await w.call(
      'POST',
      '/v1/facts',
      w.keys.furnisher,
      gzipSync(latin1(factText('lat-2', 'Müller'))),
      {
        ...json,
        'content-encoding': 'gzip',
      },
    );
    expect([r.status, r.body.error?.code]).toEqual([400, 'CREDENCE_E_USAGE']);
    expect(await stored('lat-2')).toBeUndefined();
  });

  it('a screening by a name in Latin-1 is refused, not answered with no candidates', async () => {
    const r = await w.call(
      'POST',
      '/v1/screen',
      w.keys.rp,
      latin1(JSON.stringify({ name: 'Jürgen Müller', purpose: 'credit' })),
      json,
    );
    expect([r.status, r.body.error?.code]).toEqual([400, 'CREDENCE_E_USAGE']);
  });

  it('a dispute whose reason is not UTF-8 is refused, and none is opened', async () => {
    const fact = (await w.api.ctx.app.store.personFile(w.keys.personSubject)).facts[0];
    const body = JSON.stringify({ source: fact?.source, factId: fact?.id, reason: 'Müller paid' });
    const r = await w.call('POST', '/v1/me/disputes', w.keys.person, latin1(body), json);
    expect([r.status, r.body.error?.code]).toEqual([400, 'CREDENCE_E_USAGE']);
    const mine = await w.call('GET', '/v1/me/disputes', w.keys.person);
    expect(mine.body.disputes).toEqual([]);
  });

  it('a body in UTF-16 (the default of some Windows tools) is refused saying so', async () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(factText('u16-1', 'Muller'), 'utf16le'),
    ]);
    const r = await w.call('POST', '/v1/facts', w.keys.furnisher, utf16, json);
    expect([r.status, r.body.error?.code]).toEqual([400, 'CREDENCE_E_USAGE']);
    expect(r.body.error.message).toContain('UTF-16');
    expect(await stored('u16-1')).toBeUndefined();
  });

  it('a body labelled with another charset is refused for its label (415), even in plain ASCII', async () => {
    for (const charset of ['iso-8859-1', 'latin1', 'gbk', 'utf-16']) {
      const r = await w.call('POST', '/v1/facts', w.keys.furnisher, factText(`cs-${charset}`, 'Muller'), {
        'content-type': `application/json; charset=${charset}`,
      });
      expect([charset, r.status, r.body.error?.code]).toEqual([charset, 415, 'CREDENCE_E_MEDIA_TYPE']);
      expect(r.body.error.message).toContain(charset);
      expect(r.body.error.details[0]).toMatchObject({ path: 'headers.content-type' });
      expect(await stored(`cs-${charset}`)).toBeUndefined();
    }
  });

  it('UTF-8, labelled or not, is read as sent: names outside Latin, a replacement character sent on purpose', async () => {
    const names = ['Müller', '王伟', 'Ольга', '😀 Smile', 'A\uFFFDB'];
    for (const [i, [name, type]] of names
      .flatMap((n) => [
        [n, 'application/json'],
        [n, 'application/json; charset=utf-8'],
        [n, 'application/json; charset="UTF-8"'],
      ])
      .entries()) {
      const r = await w.call(
        'POST',
        '/v1/facts',
        w.keys.furnisher,
        Buffer.from(factText(`u8-${i}`, name as string)),
        {
          'content-type': type as string,
        },
      );
      expect([name, type, r.status, r.body.counts?.accepted]).toEqual([name, type, 200, 1]);
      const f = await stored(`u8-${i}`);
      expect(JSON.parse(f?.body ?? '{}').subject.name).toBe(name);
    }
  });
});

describe('firstNonUtf8', () => {
  it('names the end for UTF-8, else a byte before which all is UTF-8 and from which it is not', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 20 }).map((t) => new Uint8Array(Buffer.from(t, 'utf8'))),
      fc
        .tuple(fc.string({ unit: 'grapheme', maxLength: 10 }), fc.uint8Array({ minLength: 1, maxLength: 4 }))
        .map(([t, tail]) => new Uint8Array([...Buffer.from(t, 'utf8'), ...tail])),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        const at = firstNonUtf8(b);
        expect(at === b.length).toBe(isUtf8(b));
        expect(isUtf8(b.subarray(0, at))).toBe(true);
        // The sequence starting there cannot be completed: no longer prefix through it is UTF-8.
        if (at < b.length) expect(isUtf8(b.subarray(0, at + 4))).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
