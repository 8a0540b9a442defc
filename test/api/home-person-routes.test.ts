import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// The page at the URL `credence serve` prints told a person they "can read your own file" with
// their key, and linked to /docs, where each route is a JSON schema. It did not say how a key is
// sent, or which address answers what: a person without the API's vocabulary could not start.
// It now says how to send the key, and lists the person's routes with what each answers, in words.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

describe('the home page, for the person scored', () => {
  it('writes no markup a Host header sends', async () => {
    const page = await w.call('GET', '/', undefined, undefined, { host: 'a"><script>x</script>' });
    expect(page.body as string).not.toContain('<script>');
  });

  it('says how to send the key and names each of the person routes with what it answers', async () => {
    const page = await w.call('GET', '/');
    expect(page.status).toBe(200);
    const html = page.body as string;
    expect(html).toContain('Authorization: Bearer');
    // The example is for the address the page was reached at (app.inject's localhost:80).
    expect(html).toContain(
      `curl -H "Authorization: Bearer YOUR_KEY" http://localhost:80/v1/me/explanations/`,
    );
    // The routes are shown for one program the server runs (the first); the page lists them all.
    const program = (await w.call('GET', '/health')).body.programs[0] as string;
    const doc = (await w.call('GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    const personRoutes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.tags?.includes('person'))
        .map(([method]) => `${method.toUpperCase()} ${path.replace('{program}', program)}`),
    );
    // Those a person starts with; withdrawing a dispute and disputing a link are in /docs.
    for (const route of personRoutes.filter((r) => !/withdraw|link-disputes/.test(r)))
      expect([route, html.includes(route)]).toEqual([route, true]);
    // Each in words, not bare: a dash and a description follow every route listed.
    const items = [...html.matchAll(/<li><code>(GET|POST) [^<]+<\/code> — (.+?)<\/li>/g)];
    expect(items.length).toBe(7);
  });
});
