import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCatalogue } from '../../src/core/errors/index.js';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// /docs was about 595 KB: the error body's schema was written out inline for each of some 210
// error answers, in /openapi.json and again, indented, on the page. It is now written once
// (components), and the page opens with what each role does, its routes listed.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

type Json = Record<string, unknown>;
interface Doc {
  paths: Record<string, Record<string, { tags?: string[]; responses: Record<string, Json> }>>;
  components: { schemas: Record<string, Json>; responses: Record<string, Json> };
}

/** Every `$ref` in a JSON value. */
function refs(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) refs(x, out);
  else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v))
      k === '$ref' && typeof x === 'string' ? out.push(x) : refs(x, out);
  return out;
}

/** What a local reference (`#/a/b`) points at in the document, or undefined. */
function resolve(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .reduce<unknown>(
      (at, k) => (at as Json | undefined)?.[k.replaceAll('~1', '/').replaceAll('~0', '~')],
      doc,
    );
}

describe('the error answers, written once', () => {
  it('every error answer of every route is a reference to one described response, all resolving', async () => {
    const doc = (await w.call('GET', '/openapi.json')).body as Doc;
    let errorsSeen = 0;
    for (const [path, methods] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(methods))
        for (const [status, r] of Object.entries(op.responses)) {
          if (Number(status) < 400) continue;
          errorsSeen++;
          expect([method, path, status, typeof r.$ref]).toEqual([method, path, status, 'string']);
          const target = resolve(doc, r.$ref as string) as Json | undefined;
          expect(target?.description, `${status} ${r.$ref}`).toEqual(expect.any(String));
        }
    expect(errorsSeen).toBeGreaterThan(100);
    for (const ref of refs(doc)) expect([ref, resolve(doc, ref) !== undefined]).toEqual([ref, true]);
    // The error body's schema is in the document once.
    expect(JSON.stringify(doc).split('A stable code from the error catalogue').length - 1).toBe(1);
  });

  it("each shared refusal names the catalogue's codes of its status", async () => {
    const doc = (await w.call('GET', '/openapi.json')).body as Doc;
    for (const methods of Object.values(doc.paths))
      for (const op of Object.values(methods))
        for (const [status, r] of Object.entries(op.responses)) {
          if (Number(status) < 400) continue;
          const words = (resolve(doc, r.$ref as string) as Json).description as string;
          for (const [code, e] of Object.entries(errorCatalogue))
            if (String(e.status) === status)
              expect([status, words]).toEqual([status, expect.stringContaining(code)]);
        }
  });

  it('an answer is still refused with the body the shared schema describes', async () => {
    const r = await w.call('GET', '/v1/keys', w.keys.rp);
    expect(r.status).toBe(403);
    const doc = (await w.call('GET', '/openapi.json')).body as Doc;
    const schema = doc.components.schemas.Error as { properties: { error: { required: string[] } } };
    for (const field of schema.properties.error.required) expect(r.body.error).toHaveProperty(field);
  });
});

describe('/docs', () => {
  it('opens with what each role does, listing and linking each of its routes', async () => {
    const doc = (await w.call('GET', '/openapi.json')).body as Doc;
    const html = (await w.call('GET', '/docs')).body as string;
    const overview = html.slice(html.indexOf('id="roles"'), html.indexOf('id="errors"'));
    for (const [tag, title] of [
      ['furnisher', 'Furnishers'],
      ['relying-party', 'Relying parties'],
      ['person', 'Persons'],
      ['operator', 'Operators'],
    ]) {
      expect(overview).toContain(`<h3>${title}</h3>`);
      const part = overview.slice(overview.indexOf(`<h3>${title}</h3>`)).split('<h3>')[1] ?? '';
      for (const [path, methods] of Object.entries(doc.paths))
        for (const [method, op] of Object.entries(methods))
          if (op.tags?.[0] === tag)
            expect([tag, part]).toEqual([tag, expect.stringContaining(`href="#${method}-${path}"`)]);
    }
  });

  it('links each refusal of a route to the one place the error answers are described', async () => {
    const html = (await w.call('GET', '/docs')).body as string;
    const links = [...html.matchAll(/href="#error-(\d+)"/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(100);
    for (const status of new Set(links)) expect(html).toContain(`id="error-${status}"`);
    // The error body's schema once on the page, not once per answer.
    expect(html.split('A stable code from the error catalogue').length - 1).toBe(1);
  });
});
