import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedApi, openApi, parseTrustProxy } from '../../src/api/index.js';
import { initDatabase } from '../../src/app.js';
import { runCli } from '../e2e/cli.js';

// Failed authentications are limited per client address. Behind a reverse proxy every request
// came from the proxy's address, so one client's guesses locked out every other client, and the
// audit log named the proxy. `--trust-proxy` names the proxies whose X-Forwarded-For is believed;
// anyone else's is ignored. Real server on a SQLite file; requests injected from given addresses.
const BURST = 3;
const PROXY = '10.1.2.3';

const dir = mkdtempSync(join(tmpdir(), 'credence-proxy-'));
const db = join(dir, 'credence.db');
let proxied: OpenedApi;
beforeAll(async () => {
  await initDatabase(db);
  proxied = await openApi(db, {
    trustProxy: parseTrustProxy(`${PROXY}, 192.0.2.0/24`),
    failedAuth: { burst: BURST, perSecond: 1 },
    // A clock that never moves: nothing is regained during the test, whatever the machine's speed.
    clock: () => Date.parse('2026-11-01T00:00:00Z'),
  });
});
afterAll(async () => {
  await proxied.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A request with a token that is no key at all, from `from`, forwarded for `forwarded`. */
const guess = async (from: string, forwarded?: string): Promise<number> =>
  (
    await proxied.server.inject({
      method: 'GET',
      url: '/v1/keys',
      remoteAddress: from,
      headers: {
        authorization: 'Bearer not-a-key',
        ...(forwarded ? { 'x-forwarded-for': forwarded } : {}),
      },
    })
  ).statusCode;

describe('--trust-proxy', () => {
  it('limits failed authentication per forwarded client when a trusted proxy forwards it', async () => {
    const a = [];
    for (let i = 0; i < BURST + 1; i++) a.push(await guess(PROXY, '203.0.113.1'));
    expect(a).toEqual([...Array(BURST).fill(401), 429]);
    // Another client behind the same proxy has its own allowance.
    expect(await guess(PROXY, '203.0.113.2')).toBe(401);
    // A proxy in a trusted range, forwarding for the first client: the same client, still limited.
    expect(await guess('192.0.2.77', '203.0.113.1')).toBe(429);
    const logged = (await proxied.ctx.audit.query({ actions: ['auth.refused'] })).map(
      (e) => JSON.parse(e.detail).ip,
    );
    expect(new Set(logged)).toEqual(new Set(['203.0.113.1', '203.0.113.2']));
  });

  it('does not believe X-Forwarded-For from an address it was not told to trust', async () => {
    const statuses = [];
    // A new claimed client each time: believed, none would ever be limited.
    for (let i = 0; i < BURST + 1; i++) statuses.push(await guess('198.51.100.9', `203.0.113.${100 + i}`));
    expect(statuses).toEqual([...Array(BURST).fill(401), 429]);
  });

  it('refuses a value that names no proxy, naming the part (CLI, exit 2)', () => {
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/10\.0\.0\.0\/33/);
    expect(() => parseTrustProxy('0')).toThrow(/1 to 64 hops/);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('loopback,::1')).toEqual(['loopback', '::1']);
    const r = runCli(['serve', '--db', db, '--port', '0', '--trust-proxy', 'proxy.example']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--trust-proxy');
    expect(r.stderr).toContain('"proxy.example"');
  });
});
