import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld, ok, payment, spawnCli, type World } from '../e2e/cli.js';

// A server trusted a key it had verified for 30 seconds without looking at the file again, so a key
// revoked by another process — a second `credence serve` on the same file, or `credence purge`
// forgetting a person and revoking their tokens — kept working on the first server until its cache
// entry aged out. Now the next request after the other process's commit is refused. Three real
// processes here: two servers and the CLI, on one file; no clock is moved.
const DAY = 86_400_000;

let w: World;
const servers: ChildProcess[] = [];
let first = { url: '', operator: '', rp: '', purpose: '', person: '', subject: '' };
let secondUrl = '';

const start = async (args: readonly string[]): Promise<string> => {
  const serve = spawnCli(['serve', '--db', w.db, '--port', '0', ...args], w.dir);
  servers.push(serve);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    serve.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (args.includes('--demo-keys') ? out.includes('Try:') : out.includes('openapi:')) resolve();
    });
    serve.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  return out;
};

beforeAll(async () => {
  w = makeWorld({ programs: [MARKETPLACE] });
  const file = join(w.dir, 'facts.jsonl');
  const now = Date.now();
  writeFileSync(
    file,
    [1, 2, 3]
      .map((k) => payment(`p${k}`, new Date(now - k * 10 * DAY).toISOString(), { account: 'pay:mei' }))
      .join('\n'),
  );
  ok(w.run(['ingest', file]));
  const out = await start(['--demo-keys']);
  const rpLine = /relying party:\s+(\S+)\s+\(purposes: ([^,)]+)/.exec(out);
  const personLine = /person (\S+): (\S+)/.exec(out);
  first = {
    url: /listening on (\S+)/.exec(out)?.[1] as string,
    operator: /operator:\s+(\S+)/.exec(out)?.[1] as string,
    rp: rpLine?.[1] as string,
    purpose: rpLine?.[2] as string,
    subject: personLine?.[1] as string,
    person: personLine?.[2] as string,
  };
  expect(Object.values(first).every(Boolean), out).toBe(true);
  secondUrl = /listening on (\S+)/.exec(await start([]))?.[1] as string;
  expect(secondUrl).toBeTruthy();
}, 60_000);

afterAll(async () => {
  for (const serve of servers) {
    if (serve.exitCode !== null) continue;
    const exited = new Promise((resolve) => serve.once('exit', resolve));
    serve.kill('SIGTERM');
    await exited;
  }
  w?.dispose();
});

const get = async (base: string, path: string, token: string): Promise<Response> =>
  fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });

describe('a key revoked by another process', () => {
  it('is refused by a server that verified it, on its next request', async () => {
    const scorePath = `/v1/persons/${first.subject}/score?program=marketplace&purpose=${first.purpose}`;
    // Verified (and so cached) by the first server, and known to the second.
    expect((await get(first.url, scorePath, first.rp)).status).toBe(200);
    expect((await get(first.url, scorePath, first.rp)).status).toBe(200);
    const keys = (await (await get(secondUrl, '/v1/keys', first.operator)).json()) as {
      keys: { keyId: string; role: string }[];
    };
    const rpKey = keys.keys.find((k) => k.role === 'relying-party')?.keyId as string;
    expect(rpKey).toBeTruthy();

    const revoked = await fetch(`${secondUrl}/v1/keys/${rpKey}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${first.operator}` },
    });
    expect(revoked.status).toBe(200);

    const refused = await get(first.url, scorePath, first.rp);
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('CREDENCE_E_UNAUTHENTICATED');
    // Other keys the first server holds still work.
    expect((await get(first.url, '/v1/me/file', first.person)).status).toBe(200);
  });

  it('is refused after `credence purge` forgets its person', async () => {
    expect((await get(first.url, '/v1/me/file', first.person)).status).toBe(200);
    const purged = w.json<{ forgotten: { personTokens: number } }>([
      'purge',
      '--as-of',
      '2100-01-01T00:00:00Z',
      '--allow-future',
    ]);
    expect(purged.forgotten.personTokens).toBeGreaterThanOrEqual(1);
    const refused = await get(first.url, '/v1/me/file', first.person);
    expect(refused.status).toBe(401);
    expect((await get(first.url, '/v1/keys', first.operator)).status).toBe(200);
  });
});
