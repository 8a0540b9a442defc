import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld, ok, payment, spawnCli, type World } from './cli.js';

// Two `credence serve` processes on one database file, as an operator runs them behind a load
// balancer on one machine (DESIGN.md's "server" deployment, with the store this repository has:
// the PostgreSQL adapter does not exist yet). Queries go to both at once; what one writes must
// hold on the other at its next request, and the one audit chain must take both writers' entries.
const DAY = 86_400_000;

interface Served {
  readonly proc: ChildProcess;
  readonly url: string;
  readonly out: string;
}

let w: World;
let a: Served;
let b: Served;
let rp = '';
let purpose = '';
let subject = '';
let person = '';
let furnisher = '';

const start = async (args: readonly string[]): Promise<Served> => {
  const proc = spawnCli(['serve', '--db', w.db, '--port', '0', ...args], w.dir);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      // Without --demo-keys the banner ends at the openapi line.
      if (args.includes('--demo-keys') ? out.includes('Try:') : out.includes('openapi:')) resolve();
    });
    proc.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    proc.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  const url = /listening on (\S+)/.exec(out)?.[1] as string;
  return { proc, url, out };
};

const stop = async (s: Served | undefined): Promise<void> => {
  if (!s || s.proc.exitCode !== null) return;
  const exited = new Promise((resolve) => s.proc.once('exit', resolve));
  s.proc.kill('SIGTERM');
  await exited;
};

beforeAll(async () => {
  w = makeWorld({ programs: [MARKETPLACE] });
  const file = join(w.dir, 'facts.jsonl');
  const now = Date.now();
  writeFileSync(
    file,
    [1, 2, 3, 4]
      .map((k) => payment(`p${k}`, new Date(now - k * 10 * DAY).toISOString(), { account: 'pay:mei' }))
      .join('\n'),
  );
  ok(w.run(['ingest', file]));
  a = await start(['--demo-keys']);
  b = await start([]);
  const rpLine = /relying party:\s+(\S+)\s+\(purposes: ([^,)]+)/.exec(a.out);
  rp = rpLine?.[1] as string;
  purpose = rpLine?.[2] as string;
  const personLine = /person (\S+): (\S+)/.exec(a.out);
  subject = personLine?.[1] as string;
  person = personLine?.[2] as string;
  furnisher = /furnisher \(shop\): (\S+)/.exec(a.out)?.[1] as string;
  expect([a.url, b.url, rp, purpose, subject, person, furnisher].every(Boolean), a.out).toBe(true);
}, 60_000);

afterAll(async () => {
  await Promise.all([stop(a), stop(b)]);
  w?.dispose();
});

const score = async (s: Served): Promise<Record<string, unknown>> => {
  const r = await fetch(`${s.url}/v1/persons/${subject}/score?program=marketplace&purpose=${purpose}`, {
    headers: { authorization: `Bearer ${rp}` },
  });
  expect(r.status).toBe(200);
  return (await r.json()) as Record<string, unknown>;
};

const inquiries = async (s: Served): Promise<{ seq: number }[]> => {
  const r = await fetch(`${s.url}/v1/me/inquiries`, { headers: { authorization: `Bearer ${person}` } });
  expect(r.status).toBe(200);
  return ((await r.json()) as { inquiries: { seq: number }[] }).inquiries;
};

describe('two `credence serve` processes on one database file', () => {
  it('answer alike under load from both, list every inquiry once, keep one audit chain, and honour an opt-out made through the other at once', async () => {
    // A key issued by one process is accepted by the other (keys live in the file).
    const first = await score(b);
    expect(first).toMatchObject({ status: 'scored' });
    const before = (await inquiries(a)).length;

    // Both processes append to the one audit chain at the same time.
    const n = 40;
    const answers = await Promise.all(Array.from({ length: n }, (_, i) => score(i % 2 ? a : b)));
    for (const r of answers) expect(r.score).toBe(first.score);

    // Every query answered, by either process, is in the person's list, once, on both.
    const fromA = await inquiries(a);
    const fromB = await inquiries(b);
    expect(fromA.length).toBe(before + n);
    expect(fromB.map((i) => i.seq)).toEqual(fromA.map((i) => i.seq));
    expect(new Set(fromA.map((i) => i.seq)).size).toBe(fromA.length);

    // Opt out through A; B's very next answer is not-scored, and so is A's.
    const out = await fetch(`${a.url}/v1/me/consent`, {
      method: 'POST',
      headers: { authorization: `Bearer ${person}`, 'content-type': 'application/json' },
      body: JSON.stringify({ program: 'marketplace', action: 'opt-out' }),
    });
    expect(out.status).toBe(200);
    const afterB = await score(b);
    // A relying party is never told why (docs/api.md): no score and no reason, from either.
    for (const r of [afterB, await score(a)]) {
      expect(r).toMatchObject({ status: 'not-scored' });
      expect(r).not.toHaveProperty('score');
      expect(r).not.toHaveProperty('reason');
    }

    // The chain both wrote is whole, read by a third process while both still run.
    const verify = w.run(['audit', 'verify', '--json']);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
  });

  it('file facts sent to both at once, the same new people in each batch, as one embedded ingest of them does', async () => {
    const people = 12;
    const phone = (k: number): string => `+86138001380${String(k).padStart(2, '0')}`;
    const now = Date.now();
    const fact = (k: number, j: number) => ({
      id: `o${k}-${j}`,
      source: 'shop',
      type: 'purchase.completed',
      occurredAt: new Date(now - (j + 1) * 7 * DAY - k * 60_000).toISOString(),
      subject: { phone: phone(k) },
      data: { amount: 50 + 100 * j + k, items: 1 + j },
    });
    // Three batches, each naming every person: whichever process commits first creates them.
    const [b0, b1, b2] = [0, 1, 2].map((j) => Array.from({ length: people }, (_, k) => fact(k, j))) as [
      ReturnType<typeof fact>[],
      ReturnType<typeof fact>[],
      ReturnType<typeof fact>[],
    ];
    const post = async (s: Served, facts: unknown[]) => {
      const r = await fetch(`${s.url}/v1/facts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${furnisher}`, 'content-type': 'application/json' },
        body: JSON.stringify({ facts }),
      });
      const body = (await r.json()) as { results?: { status: string }[] };
      expect(r.status, JSON.stringify(body)).toBe(200);
      return body;
    };
    // Batch 1 goes to both (a retry through the balancer): one files it, the other finds duplicates.
    await Promise.all([post(a, b0), post(b, b1), post(a, b1), post(b, b2)]);

    const embedded = makeWorld({ programs: [MARKETPLACE] });
    try {
      const file = join(embedded.dir, 'facts.jsonl');
      writeFileSync(
        file,
        [b0, b1, b2]
          .flat()
          .map((f) => JSON.stringify(f))
          .join('\n'),
      );
      ok(embedded.run(['ingest', file]));
      const count = (db: string): number => {
        const c = new Database(db, { readonly: true });
        try {
          return (c.prepare("SELECT count(*) AS n FROM facts WHERE source = 'shop'").get() as { n: number })
            .n;
        } finally {
          c.close();
        }
      };
      expect(count(w.db)).toBe(people * 3);
      const asOf = new Date(now).toISOString();
      for (let k = 0; k < people; k++) {
        // The ids differ (the served file numbered its first person before); all else is equal.
        const args = ['score', phone(k), '--program', 'marketplace', '--as-of', asOf];
        const { subject: _s, ...served } = w.json(args);
        const { subject: _e, ...alone } = embedded.json(args);
        expect(served, phone(k)).toMatchObject({ status: 'scored' });
        expect(served, phone(k)).toEqual(alone);
      }
    } finally {
      embedded.dispose();
    }
    const verify = w.run(['audit', 'verify', '--json']);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });
});
