import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from '../api/api-world.js';
import { ROOT } from '../e2e/cli.js';

// The README's "As a relying party or a furnisher" requests, sent as written (in-process, with the
// world's keys for $R and $F): each answers 200; the decision's subject, named P0000002 after the
// demo, is one of this world's people; each answer about a person is in their inquiry list; the
// fact sent again is a duplicate.
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const block = /### As a relying party or a furnisher[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';

/** A README curl line: -H headers, -d a body in single quotes, -X a method, the $U URL. */
function parseCurl(line: string): { key: string; method: string; url: string; json?: string } {
  const words = [...line.replace(/\s+#.*$/, '').matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map(
    (m) => m[1] ?? m[2] ?? m[3] ?? '',
  );
  expect(words[0]).toBe('curl');
  let method = 'GET';
  let url = '';
  let key = '';
  let json: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i] as string;
    if (w === '-H') {
      const h = words[++i] as string;
      if (h.startsWith('Authorization: Bearer $')) key = h.slice('Authorization: Bearer $'.length);
    } else if (w === '-X') method = words[++i] as string;
    else if (w === '-d') {
      json = words[++i];
      if (method === 'GET') method = 'POST';
    } else url = w;
  }
  expect(url.startsWith('$U/')).toBe(true);
  return { key, method, url: url.slice('$U'.length), ...(json !== undefined ? { json } : {}) };
}

let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 6 });
});
afterAll(async () => w.dispose());

describe("README: a relying party's and a furnisher's requests behave as written", () => {
  it('score, decision, screening, facts and their import', async () => {
    const lines = block.split('\n').filter((l) => l.startsWith('curl '));
    expect(lines.length).toBe(5);
    const keys: Record<string, string> = { R: w.keys.rp, F: w.keys.furnisher };
    const subject = w.keys.personSubject;
    const before = (await w.call('GET', '/v1/me/inquiries', w.keys.person)).body.inquiries.length;
    let importId = '';
    for (const line of lines) {
      const r = parseCurl(line);
      const key = keys[r.key];
      expect([line, key]).toEqual([line, expect.any(String)]);
      const url = r.url.replace('/P0000002/', `/${subject}/`).replace('/IMPORT', `/${importId}`);
      const body = r.json?.replace('"P0000002"', JSON.stringify(subject));
      const res = await w.call(r.method, url, key, body, body ? { 'content-type': 'application/json' } : {});
      expect([line, res.status]).toEqual([line, 200]);
      if (url === '/v1/facts') {
        expect(res.body.counts).toMatchObject({ accepted: 1, rejected: 0 });
        importId = res.body.importId;
        const again = await w.call('POST', url, key, body, { 'content-type': 'application/json' });
        expect(again.body.results[0].status).toBe('duplicate');
      }
      if (url === '/v1/decisions')
        expect(typeof res.body.holds === 'boolean' || res.body.holds === null).toBe(true);
      if (url.startsWith('/v1/imports/')) expect(res.body.counts).toMatchObject({ accepted: 1 });
    }
    const after = (await w.call('GET', '/v1/me/inquiries', w.keys.person)).body.inquiries;
    expect(after.slice(before).map((i: { action: string }) => i.action)).toEqual([
      'score.query',
      'decision.query',
    ]);
  });
});
