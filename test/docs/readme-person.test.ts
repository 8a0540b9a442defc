import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from '../api/api-world.js';
import { ROOT } from '../e2e/cli.js';

// The README's "As the person scored" requests, sent as written (in-process, with the world's
// person key for $T): each answers 200, the dispute is opened and withdrawn, and after the opt-out
// a relying party's query answers not-scored. Only the disputed fact is swapped for one of this
// person's own (the README names one of the demo's P0000001).
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const block = /### As the person scored[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';

interface Request {
  method: string;
  url: string;
  json?: string;
}

/** A README curl line: -H headers, -d a body in single quotes, -X a method, the $U URL. */
function parseCurl(line: string): Request {
  const words = [...line.replace(/\s+#.*$/, '').matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map(
    (m) => m[1] ?? m[2] ?? m[3] ?? '',
  );
  expect(words[0]).toBe('curl');
  let method = 'GET';
  let url = '';
  let json: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i] as string;
    if (w === '-H') i++;
    else if (w === '-X') method = words[++i] as string;
    else if (w === '-d') {
      json = words[++i];
      if (method === 'GET') method = 'POST';
    } else url = w;
  }
  expect(url.startsWith('$U/')).toBe(true);
  return { method, url: url.slice('$U'.length), ...(json !== undefined ? { json } : {}) };
}

let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 6 });
});
afterAll(async () => w.dispose());

describe("README: the person's requests behave as written", () => {
  it('score, explanation, inquiries, file, dispute and withdraw, opt-out', async () => {
    const lines = block.split('\n').filter((l) => l.startsWith('curl '));
    expect(lines.length).toBeGreaterThanOrEqual(7);
    for (const l of lines) expect(l).toContain('-H "Authorization: Bearer $T"');
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    const own = file.facts[0] as { source: string; id: string };
    let disputeId = '';
    for (const line of lines) {
      const r = parseCurl(line);
      let body: unknown;
      if (r.json !== undefined) {
        const sent = JSON.parse(r.json) as Record<string, unknown>;
        body = 'factId' in sent ? { ...sent, source: own.source, factId: own.id } : sent;
      }
      const url = r.url.replace('/ID/', `/${disputeId}/`);
      const res = await w.call(r.method, url, w.keys.person, body);
      expect([line, res.status]).toEqual([line, 200]);
      if (url === '/v1/me/disputes' && r.method === 'POST') disputeId = res.body.id;
      if (url.endsWith('/withdraw')) expect(res.body.status).toBe('withdrawn');
    }
    expect(disputeId).not.toBe('');
    const asked = await w.call(
      'GET',
      `/v1/persons/${w.keys.personSubject}/score?program=marketplace&purpose=tenancy`,
      w.keys.rp,
    );
    expect(asked.body.status).toBe('not-scored');
  });
});
