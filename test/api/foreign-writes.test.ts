import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../e2e/cli.js';
import { type ApiWorld, makeApiWorld, PROGRAM_FILES } from './api-world.js';

// A running server and the operator's CLI write to one SQLite file. What the server holds in
// memory (its programs, the ingest pipeline's people and identity engine, the screening index)
// must follow what the CLI commits, on the next request: a rulebook version loaded, an opt-out,
// a person created, a merge. The server here is the API over the file (in this process); the CLI
// is the real binary in another process.

let w: ApiWorld;
beforeEach(async () => {
  w = await makeApiWorld({ people: 30 });
});
afterEach(() => w.dispose());

const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString();

function cli(args: readonly string[]): string {
  const r = runCli([...args, '--db', w.db], { cwd: w.dir });
  if (r.code !== 0) throw new Error(`credence ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** Sends facts as the `shop` furnisher; every one must be accepted. */
async function send(...facts: Record<string, unknown>[]): Promise<void> {
  const r = await w.call('POST', '/v1/facts', w.keys.furnisher, { facts });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body.counts.accepted, JSON.stringify(r.body.results)).toBe(facts.length);
}

const purchase = (id: string, at: number, subject: Record<string, string>): Record<string, unknown> => ({
  id,
  source: 'shop',
  type: 'purchase.completed',
  occurredAt: iso(at),
  subject,
  data: { amount: 120, items: 1 },
});

/** What the database holds, read on a connection of its own. */
function query<T>(sql: string, ...args: unknown[]): T[] {
  const db = new Database(w.db, { readonly: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}
const subjectOf = (source: string, id: string): string =>
  query<{ subject: string }>('SELECT subject FROM facts WHERE source = ? AND id = ?', source, id)[0]
    ?.subject as string;

describe('credence serve and the CLI on one database', () => {
  it('scores under the rulebook version `credence program load` added, on the next query', async () => {
    const url = `/v1/persons/${w.keys.personSubject}/score?program=marketplace&purpose=tenancy`;
    const before = await w.call('GET', url, w.keys.rp);
    expect(before.status).toBe(200);
    expect(before.body.version).toBe(1);
    const file = join(w.dir, 'marketplace-v2.yaml');
    writeFileSync(file, readFileSync(PROGRAM_FILES[0] as string, 'utf8').replace('base: 550', 'base: 560'));
    cli(['program', 'load', file]);
    const after = await w.call('GET', url, w.keys.rp);
    expect(after.status).toBe(200);
    expect(after.body.version).toBe(2);
    if (before.body.status === 'scored') expect(after.body.score).not.toBe(before.body.score);
  });

  it('stores no ledger and no score for a person the CLI opted out, when a furnisher sends a fact next', async () => {
    const subject = w.keys.personSubject;
    // The server's pipeline now holds the person (their facts, consents and scoring state).
    await send(purchase('fw-1', w.clock.now - 3 * DAY, { subjectId: subject }));
    const ledger = (): number =>
      query<{ n: number }>(
        "SELECT count(*) AS n FROM ledger WHERE subject = ? AND program = 'marketplace'",
        subject,
      )[0]?.n as number;
    expect(ledger()).toBeGreaterThan(0);
    cli(['consent', subject, '--program', 'marketplace', '--opt-out', '--at', iso(w.clock.now - 2 * DAY)]);
    expect(ledger()).toBe(0);
    await send(purchase('fw-2', w.clock.now - DAY, { subjectId: subject }));
    expect(ledger()).toBe(0);
    const scores = query<{ status: string }>(
      "SELECT status FROM scores WHERE subject = ? AND program = 'marketplace'",
      subject,
    );
    expect(scores.filter((s) => s.status === 'scored')).toEqual([]);
    const r = await w.call(
      'GET',
      `/v1/persons/${subject}/score?program=marketplace&purpose=tenancy`,
      w.keys.rp,
    );
    expect(r.body).toMatchObject({ status: 'not-scored' });
    expect(r.body).not.toHaveProperty('reason');
  });

  it('gives a new person a new id after `credence ingest` created people', async () => {
    await send(
      purchase('fw-new-1', w.clock.now - 3 * DAY, {
        account: 'shop:first-new',
        full_name: 'Lan Qiu',
        phone: '+8613900000001',
      }),
    );
    const file = join(w.dir, 'cli.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({
        id: 'cli-new-1',
        source: 'pay',
        type: 'payment.completed',
        occurredAt: iso(w.clock.now - 2 * DAY),
        subject: { account: 'pay:cli-new', full_name: 'Bo Tang', phone: '+8613900000002' },
        data: { amount: 40 },
      })}\n`,
    );
    cli(['ingest', file]);
    await send(
      purchase('fw-new-2', w.clock.now - DAY, {
        account: 'shop:second-new',
        full_name: 'Yu Feng',
        phone: '+8613900000003',
      }),
    );
    const ids = [subjectOf('shop', 'fw-new-1'), subjectOf('pay', 'cli-new-1'), subjectOf('shop', 'fw-new-2')];
    // Three strangers, three people.
    expect(new Set(ids).size, ids.join(' ')).toBe(3);
  });

  it('files a fact under the survivor of a merge `credence identity merge` made', async () => {
    const x = { account: 'shop:hui-ma', full_name: 'Hui Ma', phone: '+8613900000011' };
    const y = { account: 'shop:jun-ma', full_name: 'Jun Ma', phone: '+8613900000012' };
    // Two new people: the server's identity engine is restored and holds both.
    await send(purchase('fw-m-1', w.clock.now - 4 * DAY, x), purchase('fw-m-2', w.clock.now - 4 * DAY, y));
    const [sx, sy] = [subjectOf('shop', 'fw-m-1'), subjectOf('shop', 'fw-m-2')];
    expect(sx).not.toBe(sy);
    // The older id survives.
    cli(['identity', 'merge', sx, sy]);
    await send(purchase('fw-m-3', w.clock.now - DAY, y));
    expect(subjectOf('shop', 'fw-m-3')).toBe(sx);
  });

  it('takes a person `credence purge` forgot for a stranger, not for their old id', async () => {
    const z = { account: 'shop:zi-lu', full_name: 'Zi Lu', phone: '+8613900000021' };
    await send(purchase('fw-p-1', w.clock.now - 3 * DAY, z));
    const old = subjectOf('shop', 'fw-p-1');
    // Years on, every fact of theirs is past retention: the purge forgets them.
    cli(['purge', '--as-of', iso(w.clock.now + 10 * 365 * DAY), '--allow-future']);
    expect(query('SELECT 1 FROM identity_records WHERE subject = ?', old)).toEqual([]);
    await send(purchase('fw-p-2', w.clock.now - DAY, z));
    const now = subjectOf('shop', 'fw-p-2');
    expect(now).toBeDefined();
    expect(now).not.toBe(old);
  });

  it("tells the server's own batches from another writer's (its pipeline is kept across its own)", async () => {
    const marks = (): number[] =>
      query<{ written: number }>('SELECT written FROM api_foreign_writes').map((r) => r.written);
    await send(purchase('fw-o-1', w.clock.now - 2 * DAY, { subjectId: w.keys.otherSubject }));
    await send(purchase('fw-o-2', w.clock.now - DAY, { subjectId: w.keys.otherSubject }));
    expect(marks()).toEqual([0]);
    cli(['consent', w.keys.otherSubject, '--program', 'city-civic', '--opt-in']);
    expect(marks()).toEqual([1]);
    // The next batch is judged by a new pipeline, which reads what is stored now.
    await send(purchase('fw-o-3', w.clock.now - DAY / 2, { subjectId: w.keys.otherSubject }));
    expect(marks()).toEqual([0]);
  });
});
