import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientOf, FAILED_AUTH_LIMITS } from '../../src/api/auth/index.js';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A request whose key was unknown or whose secret was wrong was answered 401 without touching any
// bucket: guessing (and making the server run scrypt for someone else's key id) was unlimited.
// Real server, real SQLite file; the limit is the default one.
const BURST = FAILED_AUTH_LIMITS.burst;
const URL = '/v1/keys';

let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(() => w.dispose());

/** One request from `address` with `token` (none: no Authorization header). */
const call = async (address: string, token?: string) => {
  const res = await w.api.server.inject({
    method: 'GET',
    url: URL,
    remoteAddress: address,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: res.statusCode, body: JSON.parse(res.body), headers: res.headers };
};

/** The token with its secret changed: the key id is right, the secret is not. */
const wrongSecret = (token: string, n: number): string => {
  const tail = n.toString(36).padStart(4, 'x');
  const t = `${token.slice(0, -4)}${tail}`;
  return t === token ? `${token.slice(0, -4)}zzzz` : t;
};

const refusals = async () =>
  (await w.api.ctx.audit.query({ actions: ['auth.refused'] })).map(
    (e) => JSON.parse(e.detail) as Record<string, unknown>,
  );

describe('failed authentication is limited (real server on a SQLite file)', () => {
  it('per client address: wrong secrets are refused 401, then 429 with Retry-After, each refusal audited', async () => {
    const issued = await w.api.ctx.auth.issue({ role: 'operator', name: 'target', rate: 1000 });
    const before = (await refusals()).length;
    const statuses: number[] = [];
    for (let i = 0; i < BURST + 3; i++)
      statuses.push((await call('198.51.100.1', wrongSecret(issued.token, i))).status);
    expect(statuses.slice(0, BURST)).toEqual(Array(BURST).fill(401));
    expect(statuses.slice(BURST)).toEqual([429, 429, 429]);

    const r = await call('198.51.100.1', wrongSecret(issued.token, 99));
    expect(r.status).toBe(429);
    expect(r.body.error.code).toBe('CREDENCE_E_RATE_LIMITED');
    const wait = Number(r.headers['retry-after']);
    expect(wait).toBeGreaterThanOrEqual(1);

    // Every refusal, 401 and 429 alike, is an auth.refused entry naming the key id it claimed.
    const logged = (await refusals()).slice(before);
    expect(logged).toHaveLength(BURST + 4);
    expect(logged.filter((d) => d.code === 'CREDENCE_E_RATE_LIMITED')).toHaveLength(4);
    expect(new Set(logged.map((d) => d.presentedKeyId))).toEqual(new Set([issued.key.keyId]));
    expect(new Set(logged.map((d) => d.ip))).toEqual(new Set(['198.51.100.1']));

    // Once Retry-After has passed, one more attempt is verified (and, still wrong, refused 401).
    w.clock.now += wait * 1000;
    expect((await call('198.51.100.1', wrongSecret(issued.token, 100))).status).toBe(401);
    expect((await call('198.51.100.1', wrongSecret(issued.token, 101))).status).toBe(429);
  });

  it('while an address is refused, the right secret is not verified for it either (else guessing goes on)', async () => {
    const fresh = await w.api.ctx.auth.issue({ role: 'operator', name: 'never used', rate: 1000 });
    for (let i = 0; i < BURST; i++)
      await call(
        '198.51.100.2',
        `cred_operator_${'Q'.repeat(42)}`.slice(0, -2) + i.toString().padStart(2, '0'),
      );
    expect((await call('198.51.100.2', fresh.token)).status).toBe(429);
    // From another address the same token is fine.
    expect((await call('198.51.100.3', fresh.token)).status).toBe(200);
  });

  it('valid traffic is not slowed: a key verified before passes from a refused address, cached or not', async () => {
    const holder = await w.api.ctx.auth.issue({ role: 'operator', name: 'holder', rate: 1000 });
    expect((await call('198.51.100.4', holder.token)).status).toBe(200);
    // Someone sending the holder's key id under another role's prefix does not evict it from the
    // cache (it did: the holder's next request was then verified afresh, and refused here).
    expect(
      (await call('198.51.100.5', `cred_rp_${holder.token.slice('cred_operator_'.length)}`)).status,
    ).toBe(401);
    for (let i = 0; i < BURST + 2; i++) await call('198.51.100.4', wrongSecret(holder.token, i));
    expect((await call('198.51.100.4', wrongSecret(holder.token, 500))).status).toBe(429);
    for (let i = 0; i < 5; i++) expect((await call('198.51.100.4', holder.token)).status).toBe(200);
    // Past the 30 s the verified key is cached for: verified again (the store is read), not refused.
    w.clock.now += 31_000;
    expect((await call('198.51.100.4', holder.token)).status).toBe(200);
  });

  it('per key id: guesses at one key from many addresses are refused once the key id has had its share', async () => {
    const target = await w.api.ctx.auth.issue({ role: 'operator', name: 'spread', rate: 1000 });
    const statuses: number[] = [];
    for (let i = 0; i < BURST + 5; i++)
      statuses.push((await call(`203.0.113.${i + 1}`, wrongSecret(target.token, i))).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(BURST);
    expect(statuses.slice(BURST)).toEqual(Array(5).fill(429));
    // Another key is not affected from a fresh address.
    const other = await w.api.ctx.auth.issue({ role: 'operator', name: 'bystander', rate: 1000 });
    expect((await call('203.0.113.200', other.token)).status).toBe(200);
    // A revoked key's id is still a key's id: guesses at it count the same way (not asserted
    // further here), and its token is refused 401, never admitted.
    w.api.ctx.auth.revoke(other.key.keyId);
    expect((await call('203.0.113.201', other.token)).status).toBe(401);
  });

  it('requests sent in parallel cannot all be verified before the first failure is counted', async () => {
    const target = await w.api.ctx.auth.issue({ role: 'operator', name: 'parallel', rate: 1000 });
    const answers = await Promise.all(
      Array.from({ length: BURST * 3 }, (_, i) => call('198.51.100.9', wrongSecret(target.token, i))),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(BURST);
    expect(statuses.filter((s) => s === 429)).toHaveLength(BURST * 2);
  });

  it("a valid key's first burst of parallel requests is verified once and answered, never refused as guessing", async () => {
    // A relying party starting up sends many requests at once before its key is cached: each one
    // reserved an attempt, so past the burst the rest were refused 429 with a valid key.
    const fresh = await w.api.ctx.auth.issue({ role: 'operator', name: 'burst', rate: 1000 });
    const answers = await Promise.all(
      Array.from({ length: BURST * 3 }, () => call('198.51.100.30', fresh.token)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(BURST * 3).fill(200));
    // The same wrong secret sent in parallel is one guess, not BURST * 3: the address keeps its
    // share for the next distinct secrets.
    const same = wrongSecret(fresh.token, 1);
    const wrong = await Promise.all(Array.from({ length: BURST * 3 }, () => call('198.51.100.31', same)));
    expect(wrong.map((a) => a.status)).toEqual(Array(BURST * 3).fill(401));
    const next: number[] = [];
    for (let i = 2; i < BURST + 2; i++)
      next.push((await call('198.51.100.31', wrongSecret(fresh.token, i))).status);
    expect(next.filter((s) => s === 401)).toHaveLength(BURST - 1);
    expect(next.at(-1)).toBe(429);
    const refused = await call('198.51.100.31', wrongSecret(fresh.token, 99));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('a request without credentials guesses nothing: always 401, never counted', async () => {
    for (let i = 0; i < BURST * 2; i++) expect((await call('198.51.100.10')).status).toBe(401);
    const good = await w.api.ctx.auth.issue({ role: 'operator', name: 'after anonymous', rate: 1000 });
    expect((await call('198.51.100.10', good.token)).status).toBe(200);
  });

  it('addresses of one IPv6 /64 are one client; IPv4-mapped addresses are their IPv4 address', async () => {
    expect(clientOf('2001:db8:1:2:aaaa::1')).toBe(clientOf('2001:db8:1:2:bbbb:cccc:dddd:eeee'));
    expect(clientOf('2001:db8:1:2::1')).not.toBe(clientOf('2001:db8:1:3::1'));
    expect(clientOf('2001:0db8:0001:0002::1%eth0')).toBe('2001:db8:1:2::/64');
    expect(clientOf('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(clientOf('192.0.2.1')).toBe('192.0.2.1');
    expect(clientOf('::1')).toBe('0:0:0:0::/64');

    const statuses: number[] = [];
    for (let i = 0; i < BURST + 1; i++) {
      statuses.push(
        (
          await call(
            `2001:db8:77:1::${(i + 1).toString(16)}`,
            `cred_rp_${'Z'.repeat(40)}${i.toString().padStart(2, '0')}`,
          )
        ).status,
      );
    }
    expect(statuses.slice(0, BURST)).toEqual(Array(BURST).fill(401));
    expect(statuses[BURST]).toBe(429);
  });
});
