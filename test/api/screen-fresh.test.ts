import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngest, openApp } from '../../src/app.js';
import { purgeExpiredFacts } from '../../src/store/sqlite/sqlite-purge.js';
import { runCli } from '../e2e/cli.js';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A listing `credence import` commits (another process, another connection) must be screened by
// the next POST /v1/screen, and a removal must take the person off the index, not only off the
// answer, without the server listing everyone again: the index was rebuilt at most once a minute
// and then whole, so a listing imported just after a search was missing for up to a minute.

const DAY = 86_400_000;
let w: ApiWorld;
let subject: string;
let wholeBuilds = 0;

beforeAll(async () => {
  w = await makeApiWorld({ people: 12 });
  subject = (await w.api.ctx.app.store.subjectsPage('', 3))[2] as string;
  const token = (await w.api.ctx.auth.issue({ role: 'person', name: 'Three', subject })).token;
  expect(
    (await w.call('POST', '/v1/me/consent', token, { program: 'city-civic', action: 'opt-in' })).status,
  ).toBe(200);
  // Listing everyone pages through every subject: counted to tell a whole build from a catch-up.
  const store = w.api.ctx.app.store;
  const page = store.subjectsPage.bind(store);
  store.subjectsPage = (after, limit) => {
    if (after === '') wholeBuilds++;
    return page(after, limit);
  };
});
afterAll(() => w.dispose());

/** Writes facts as the CLI does: its own connection and ingest pipeline on the file. */
async function cliWrites(...facts: Record<string, unknown>[]): Promise<void> {
  const app = await openApp(w.db);
  try {
    const rejected: unknown[] = [];
    const pipeline = createIngest(app, { now: () => w.clock.now });
    await pipeline.ingestBatch(
      facts.map((f, i) => ({ file: 'list.jsonl', line: i + 1, text: JSON.stringify(f) })),
      { rejected: (r) => rejected.push(r) },
    );
    await pipeline.flush();
    expect(rejected).toEqual([]);
  } finally {
    await app.close();
  }
}

const court = (
  id: string,
  type: string,
  at: number,
  data: Record<string, string>,
  who: Record<string, string> = { subjectId: subject, full_name: 'Wang Xiaoming' },
): Record<string, unknown> => ({
  id,
  source: 'court',
  type,
  occurredAt: new Date(at).toISOString(),
  subject: who,
  data,
});

async function screened(name: string): Promise<string[]> {
  const r = await w.call('POST', '/v1/screen', w.keys.rp, { name, purpose: 'tenancy' });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.candidates.map((c: { subjectId: string }) => c.subjectId);
}

/** What the index itself holds (the route drops people who hold no flag now as well). */
async function indexed(name: string): Promise<string[]> {
  // As a request would: on a later turn of the event loop than the commit (DataWatch.turn).
  await new Promise((r) => setImmediate(r));
  return (await w.api.ctx.screen.search({ name }, w.clock.now)).candidates.map((c) => c.subjectId);
}

describe('POST /v1/screen after another process commits', () => {
  it('finds a listing the CLI imported on the next request, and drops it once removed', async () => {
    expect(await screened('WANG Xiao Ming')).not.toContain(subject);
    const built = wholeBuilds;
    expect(built).toBeGreaterThan(0);

    await cliWrites(
      court('fresh-1', 'court.blacklist_listed', w.clock.now - 2 * DAY, {
        court: 'Beijing No. 1',
        case: '(2026) J 11',
        ground: 'refuses to perform',
      }),
    );
    expect(await screened('WANG Xiao Ming')).toContain(subject);
    expect(await screened('Xiaoming Wang')).toContain(subject);

    await cliWrites(
      court('fresh-2', 'court.blacklist_removed', w.clock.now - DAY, {
        court: 'Beijing No. 1',
        case: '(2026) J 11',
      }),
    );
    expect(await indexed('Wang Xiaoming')).not.toContain(subject);
    expect(await screened('Wang Xiaoming')).not.toContain(subject);
    // Each commit was read as what it changed, not by listing everyone again.
    expect(wholeBuilds).toBe(built);
  });

  it('drops a person whose listing a purge deleted (a row deleted, not appended)', async () => {
    await cliWrites(
      court('fresh-3', 'court.blacklist_listed', w.clock.now - DAY, {
        court: 'Beijing No. 2',
        case: '(2026) J 12',
        ground: 'refuses to perform',
      }),
    );
    expect(await indexed('Wang Xiaoming')).toContain(subject);
    const built = wholeBuilds;
    const purged = purgeExpiredFacts(w.db, [{ type: 'court.blacklist_listed', before: w.clock.now }]);
    expect(purged.facts).toBeGreaterThan(0);
    expect(await indexed('Wang Xiaoming')).not.toContain(subject);
    expect(wholeBuilds).toBe(built);
  });

  it('lists the survivor of a merge the CLI made under the listing it took over (rows moved)', async () => {
    // Two people the court's facts created (no resident ID, so an operator may merge them),
    // enrolled in city-civic, whose flags count from their consent on.
    const removal = (id: string, who: Record<string, string>) =>
      court(id, 'court.blacklist_removed', w.clock.now - 3 * DAY, { court: 'Beijing No. 4', case: id }, who);
    await cliWrites(
      removal('fresh-5', { account: 'court:qf', full_name: 'Qian Fang', phone: '+8613900000041' }),
    );
    await cliWrites(
      removal('fresh-6', { account: 'court:zl', full_name: 'Zhao Lihua', phone: '+8613900000042' }),
    );
    const [older, newer] = ['fresh-5', 'fresh-6'].map((id) => {
      const db = new Database(w.db, { readonly: true });
      try {
        return db
          .prepare("SELECT subject FROM facts WHERE source = 'court' AND id = ?")
          .pluck()
          .get(id) as string;
      } finally {
        db.close();
      }
    }) as [string, string];
    expect(older).not.toBe(newer);
    for (const who of [older, newer]) {
      const at = new Date(w.clock.now - 2 * DAY).toISOString();
      const r = runCli(['consent', who, '--program', 'city-civic', '--opt-in', '--at', at, '--db', w.db], {
        cwd: w.dir,
      });
      expect(r.code, r.stderr).toBe(0);
    }
    await cliWrites(
      court(
        'fresh-7',
        'court.blacklist_listed',
        w.clock.now - DAY,
        { court: 'Beijing No. 3', case: '(2026) J 13', ground: 'refuses to perform' },
        { subjectId: newer, full_name: 'Zhao Lihua' },
      ),
    );
    expect(await indexed('Zhao Lihua')).toEqual([newer]);
    const built = wholeBuilds;
    const r = runCli(['identity', 'merge', older, newer, '--db', w.db], { cwd: w.dir });
    expect(r.code, r.stderr).toBe(0);
    // The older id survives and holds the listing now; the merged id holds nothing.
    expect(await indexed('Zhao Lihua')).toEqual([older]);
    expect(await screened('Zhao Lihua')).toEqual([older]);
    expect(wholeBuilds).toBe(built);
  });
});
