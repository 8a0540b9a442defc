import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// GET /me, the scored person's page (test/browser/person-page.test.ts runs it in Chromium): what
// the server sends, checked without a browser. The page holds no person's data; the programs'
// scales and tiers it draws are the rulebooks' own, the same for everyone.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

describe('GET /me', () => {
  it('is one page with its own module and style, under a CSP that runs no inline script', async () => {
    const res = await w.call('GET', '/me');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const html = res.body as string;
    // The only script is the module from the same origin; no inline one, no other origin.
    expect([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual([
      '<script type="module" src="/me/page.js">',
    ]);
    expect(html).not.toMatch(/https?:\/\/|\son[a-z]+=|style=/);
    expect((await w.call('GET', '/me/page.js')).headers['content-type']).toMatch(/^text\/javascript/);
    expect((await w.call('GET', '/me/page.css')).headers['content-type']).toMatch(/^text\/css/);
  });

  it('the home page links to it', async () => {
    expect((await w.call('GET', '/')).body as string).toContain('<a href="/me">');
  });

  it("gives each program's scale and tiers as its rulebook in force sets them, and nothing of a person", async () => {
    const res = await w.call('GET', '/me/programs.json');
    expect(res.status).toBe(200);
    const now = w.clock.now;
    const set = w.api.ctx.programs.current;
    expect(res.body).toEqual({
      programs: set.ids.map((id) => {
        const rb = set.at(id, now);
        return {
          program: id,
          name: rb?.name,
          version: rb?.version,
          enrollment: rb?.enrollment,
          scale: rb?.scale,
          tiers: rb?.tiers.map((t) => ({ id: t.id, min: t.min })),
        };
      }),
    });
    expect(res.body.programs.map((p: { program: string }) => p.program)).toEqual([
      'city-civic',
      'marketplace',
    ]);
  });

  it('is not in the API description: it is a page, not a route a program calls', async () => {
    const doc = (await w.call('GET', '/openapi.json')).body as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/me'))).toEqual([]);
  });
});
