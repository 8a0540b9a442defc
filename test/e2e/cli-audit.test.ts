import { userInfo } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ALICE_CASE,
  ALICE_ID,
  COURT_HEADER,
  courtRow,
  courtWorld,
  writeCsv,
} from '../furnishers/court-world.js';
import {
  type AuditRow,
  auditEntries,
  CITY_CIVIC,
  line,
  MARKETPLACE,
  makeWorld,
  ok,
  type World,
} from './cli.js';

type Entry = AuditRow;

const ACTOR = `cli:${userInfo().username}`;
const AS_OF = '2026-07-01T00:00:00Z';

/** Every entry of the log, oldest first, read from the file (a process per look-up is slow). */
const entries = (w: World): Entry[] => auditEntries(w.db);

/** The entries appended by running `args`. */
function logged(w: World, args: readonly string[], input?: string): { out: string; added: Entry[] } {
  const before = entries(w).length;
  const r = ok(w.run(args, input === undefined ? {} : { input }));
  return { out: r.stdout, added: entries(w).slice(before) };
}

const shape = (e: Entry) => ({ actor: e.actor, action: e.action, subject: e.subject });

// DESIGN: "Every write and every read of a person's data goes to an append-only audit log". Over the
// API it did; from the operator's command line only consent and the identity desk did: a score,
// an explanation, a whole file or a screening by name could be read, and facts ingested, imported
// or purged, with nothing in the log to say who did it or when.
describe("the operator's reads and writes go to the audit log (real binary, real database)", () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('one entry per read of one person, under their id, with what was shown; one per whole-database command', () => {
    w = makeWorld();
    const load = logged(w, ['program', 'load', MARKETPLACE]);
    expect(load.added.map(shape)).toEqual([{ actor: ACTOR, action: 'program.load', subject: null }]);
    expect(load.added[0]?.detail).toMatchObject({ program: 'marketplace', version: 1, file: MARKETPLACE });
    // The same file again adds no version: nothing written, nothing logged.
    expect(logged(w, ['program', 'load', MARKETPLACE]).added).toEqual([]);

    // 300 lines: two entries (start, end with the counts), not one per fact.
    const facts = Array.from({ length: 300 }, (_, i) =>
      line({
        id: `p${i}`,
        source: 'pay',
        type: 'payment.completed',
        occurredAt: new Date(Date.parse('2026-03-01T00:00:00Z') + i * 60_000).toISOString(),
        subject: { phone: `+86138001${String(38000 + (i % 3)).padStart(5, '0')}` },
        data: { amount: 120 },
      }),
    );
    const ingest = logged(w, ['ingest', '-', '--json'], `${facts.join('\n')}\n`);
    const summary = JSON.parse(ingest.out) as Record<string, number>;
    expect(ingest.added.map(shape)).toEqual([
      { actor: ACTOR, action: 'facts.ingest.start', subject: null },
      { actor: ACTOR, action: 'facts.ingest', subject: null },
    ]);
    expect(ingest.added[0]?.detail).toEqual({ files: ['-'] });
    expect(ingest.added[1]?.detail).toMatchObject({
      files: ['-'],
      lines: 300,
      accepted: summary.accepted,
      subjectsCreated: 3,
      interrupted: false,
    });

    const asOf = '2026-04-01T00:00:00.000Z';
    const score = logged(w, ['score', 'P0000002', '--program', 'marketplace', '--as-of', asOf, '--json']);
    const shown = JSON.parse(score.out) as { score: number; tier: string };
    expect(score.added.map(shape)).toEqual([{ actor: ACTOR, action: 'score.read', subject: 'P0000002' }]);
    expect(score.added[0]?.detail).toEqual({
      program: 'marketplace',
      version: 1,
      asOf: Date.parse(asOf),
      status: 'scored',
      score: shown.score,
      tier: shown.tier,
    });
    // A look ahead is logged as the answer labelled it: a projection.
    const ahead = new Date(Date.now() + 400 * 86_400_000).toISOString();
    const projected = logged(w, ['score', 'P0000002', '--program', 'marketplace', '--as-of', ahead]);
    expect(projected.added[0]?.detail).toMatchObject({ asOf: Date.parse(ahead), projection: true });
    const explained = logged(w, ['explain', 'P0000002', '--program', 'marketplace', '--as-of', ahead]);
    expect(explained.added[0]?.detail).toMatchObject({ asOf: Date.parse(ahead), projection: true });
    // A person named by an identifier is logged under their id.
    const byPhone = logged(w, ['score', '+8613800138000', '--program', 'marketplace', '--as-of', asOf]);
    expect(byPhone.added.map((e) => e.subject)).toEqual(['P0000001']);

    const explain = logged(w, ['explain', 'P0000003', '--program', 'marketplace', '--as-of', asOf]);
    expect(explain.added.map(shape)).toEqual([{ actor: ACTOR, action: 'explain.read', subject: 'P0000003' }]);
    expect(explain.added[0]?.detail).toMatchObject({ program: 'marketplace', asOf: Date.parse(asOf) });

    const exported = logged(w, ['export', 'P0000001', '--json']);
    expect(exported.added.map(shape)).toEqual([{ actor: ACTOR, action: 'file.export', subject: 'P0000001' }]);
    expect(exported.added[0]?.detail).toEqual({
      facts: (JSON.parse(exported.out) as { facts: unknown[] }).facts.length,
    });

    // Found by person, as the log's by-person look-up finds the API's entries.
    const p1 = w.json<{ entries: Entry[] }>(['audit', 'list', '--subject', 'P0000001']).entries;
    expect(p1.map((e) => e.action)).toEqual(['score.read', 'file.export']);

    // An unknown person is no read: refused, and nothing logged.
    const before = entries(w).length;
    expect(w.run(['score', 'P0000099', '--program', 'marketplace']).code).toBe(4);
    expect(entries(w)).toHaveLength(before);

    const rebuild = logged(w, ['rebuild', '--json']);
    expect(rebuild.added.map(shape)).toEqual([{ actor: ACTOR, action: 'derived.rebuild', subject: null }]);
    expect(rebuild.added[0]?.detail).toEqual(
      (({ seconds: _, ...r }) => r)(JSON.parse(rebuild.out) as Record<string, unknown>),
    );

    // A dry run deletes nothing and logs nothing; the purge logs its counts once.
    expect(logged(w, ['purge', '--dry-run', '--as-of', '2030-01-01T00:00:00Z']).added).toEqual([]);
    const purge = logged(w, ['purge', '--as-of', '2030-01-01T00:00:00Z', '--allow-future', '--json']);
    const purged = JSON.parse(purge.out) as { facts: number; people: number; forgotten: unknown };
    expect(purged.facts).toBeGreaterThan(0);
    expect(purge.added.map(shape)).toEqual([{ actor: ACTOR, action: 'facts.purge', subject: null }]);
    expect(purge.added[0]?.detail).toMatchObject({
      asOf: Date.parse('2030-01-01T00:00:00Z'),
      facts: purged.facts,
      people: purged.people,
      forgotten: purged.forgotten,
    });

    expect(ok(w.run(['audit', 'verify'])).stdout).toMatch(/audit log intact/);
  }, 240_000);

  it('screen logs the search without the name and each candidate as an inquiry in their file; import logs its run', () => {
    w = courtWorld();
    const file = writeCsv(w, 's1.csv', [COURT_HEADER, courtRow(ALICE_CASE)]);
    // A dry run writes nothing and logs nothing.
    expect(logged(w, ['import', 'court', file, '--as-of', '2026-06-30', '--dry-run']).added).toEqual([]);
    const imported = logged(w, ['import', 'court', file, '--as-of', '2026-06-30', '--json']);
    const report = JSON.parse(imported.out) as Record<string, unknown>;
    expect(imported.added.map(shape)).toEqual([
      { actor: ACTOR, action: 'facts.import.start', subject: null },
      { actor: ACTOR, action: 'facts.import', subject: null },
    ]);
    expect(imported.added[0]?.detail).toEqual({ source: 'court', file });
    expect(imported.added[1]?.detail).toMatchObject({
      source: 'court',
      file,
      mode: report.mode,
      rows: 1,
      accepted: report.accepted,
      refused: 0,
      interrupted: false,
    });

    const screen = logged(w, ['screen', '--name', '王丽', '--as-of', AS_OF, '--json']);
    const found = JSON.parse(screen.out) as {
      candidates: { subjectId: string; score: number; flags: string[] }[];
    };
    expect(found.candidates).toHaveLength(1);
    const alice = found.candidates[0] as (typeof found.candidates)[number];
    expect(screen.added.map(shape)).toEqual([
      { actor: ACTOR, action: 'screen.run', subject: null },
      { actor: ACTOR, action: 'screen.query', subject: alice.subjectId },
    ]);
    expect(screen.added[0]?.detail).toMatchObject({ asOf: Date.parse(AS_OF), candidates: 1 });
    expect(screen.added[1]?.detail).toEqual({ score: alice.score, flags: alice.flags });
    // The name searched for is not kept (as POST /v1/screen keeps none): it may be no one's here.
    const db = new Database(w.db, { readonly: true });
    try {
      expect(db.prepare("SELECT count(*) AS n FROM audit_log WHERE detail LIKE '%王丽%'").get()).toEqual({
        n: 0,
      });
    } finally {
      db.close();
    }
    // A search that lists no one is logged too, with no inquiry.
    const none = logged(w, ['screen', '--name', 'Nobody Here', '--as-of', AS_OF]);
    expect(none.added.map((e) => [e.action, e.detail.candidates])).toEqual([['screen.run', 0]]);

    // The person sees it in their file as an inquiry, as a relying party's screening.
    const file2 = w.json<{ inquiries: { who: string; action: string; what: string }[] }>([
      'export',
      ALICE_ID,
    ]);
    expect(file2.inquiries.map((i) => [i.who, i.action])).toEqual([[ACTOR, 'screen.query']]);
    expect(file2.inquiries[0]?.what).toMatch(/checked a name against the lists/);

    expect(ok(w.run(['audit', 'verify'])).stdout).toMatch(/audit log intact/);
  }, 240_000);

  it('a read that cannot be logged shows nothing; a write that cannot be logged says it was done', () => {
    w = makeWorld({ programs: [CITY_CIVIC, MARKETPLACE] });
    const fact = line({
      id: 'p1',
      source: 'pay',
      type: 'payment.completed',
      occurredAt: '2026-03-01T00:00:00Z',
      subject: { phone: '+8613800138000' },
      data: { amount: 120 },
    });
    ok(w.run(['ingest', '-'], { input: `${fact}\n` }));
    // A run that fails after its start is logged as ended by that error.
    const before = entries(w).length;
    const failed = w.run(['ingest', '-', '--rejects', join(w.dir, 'no', 'such', 'r.jsonl')], {
      input: `${fact}\n`,
    });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('CREDENCE_E_IO');
    const ended = entries(w).slice(before);
    expect(ended.map((e) => e.action)).toEqual(['facts.ingest.start', 'facts.ingest']);
    expect(ended[1]?.detail).toMatchObject({ files: ['-'], failed: { code: 'CREDENCE_E_IO' } });
    // The log refuses every append (as a full disk or a locked file would).
    const db = new Database(w.db);
    db.exec("CREATE TRIGGER no_append BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'no room'); END");
    db.close();
    for (const args of [
      ['score', 'P0000001', '--program', 'marketplace', '--json'],
      ['explain', 'P0000001', '--program', 'marketplace'],
      ['export', 'P0000001'],
    ]) {
      const r = w.run(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr).toMatch(/nothing is shown: this read could not be written to the audit log.*no room/);
      expect(r.stderr).toContain('CREDENCE_E_DB');
    }
    // An ingest that cannot log its start writes nothing.
    const more = line({ ...JSON.parse(fact), id: 'p2' });
    const r = w.run(['ingest', '-'], { input: `${more}\n` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nothing was written/);
    const check = new Database(w.db, { readonly: true });
    try {
      expect(check.prepare("SELECT count(*) AS n FROM facts WHERE id = 'p2'").get()).toEqual({ n: 0 });
    } finally {
      check.close();
    }
    const rebuild = w.run(['rebuild']);
    expect(rebuild.code).toBe(1);
    expect(rebuild.stderr).toMatch(
      /ledgers and cached scores were re-derived, but its audit entry could not be written/,
    );
  }, 120_000);
});
