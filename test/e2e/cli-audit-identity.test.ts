import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../src/identity/index.js';
import { type AuditRow, auditEntries, line, MARKETPLACE, makeWorld, ok, runCli, type World } from './cli.js';

// DESIGN: "every read of a person's data goes to the append-only audit log". `credence score`,
// `explain` and `export` were logged; `credence explain-link` (a person's record and what it was
// matched on), `identity review` (records and the persons they may be), `identity history`
// (merges, splits and verdicts, with operators' notes) and a repeated `credence consent` (which
// shows whether the change is in the person's file, and a later opt-out that holds) showed a
// person's data with nothing in the log.

const ACTOR = `cli:${userInfo().username}`;
const ID_A = `11010519491231002${residentIdCheckChar('11010519491231002')}`;
const ID_B = `31011519491231005${residentIdCheckChar('31011519491231005')}`;
// The ICAO specimen: a document typed in by the operator, not a stored person.
const MRZ1 = 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<';
const MRZ2 = 'L898902C36UTO7408122F1204159ZE184226B<<<<<10';

type Entry = AuditRow;

const entries = (w: World): Entry[] => auditEntries(w.db);

/** Runs `args` (with the world's --db) and returns what it printed and the entries it appended. */
function logged(w: World, args: readonly string[]): { out: string; added: Entry[] } {
  const before = entries(w).length;
  const r = ok(w.run(args));
  return { out: r.stdout, added: entries(w).slice(before) };
}

/** The same for a command that takes no --db, run in the world's directory. */
function loggedBare(w: World, args: readonly string[]): { out: string; added: Entry[] } {
  const before = entries(w).length;
  const r = ok(runCli(args, { cwd: w.dir }));
  return { out: r.stdout, added: entries(w).slice(before) };
}

const shape = (e: Entry) => ({ actor: e.actor, action: e.action, subject: e.subject });

function factSubject(w: World, source: string, id: string): string {
  const db = new Database(w.db, { readonly: true });
  try {
    return (
      db.prepare('SELECT subject FROM facts WHERE source = ? AND id = ?').get(source, id) as {
        subject: string;
      }
    ).subject;
  } finally {
    db.close();
  }
}

const pay = (id: string, day: number, subject: Record<string, string>): string =>
  line({
    id,
    source: 'pay',
    type: 'payment.completed',
    occurredAt: `2026-03-${String(day).padStart(2, '0')}T10:00:00Z`,
    subject,
    data: { amount: 50 },
  });

describe("reads of a person's links, the identity desk and consent go to the audit log (real binary, real database)", () => {
  let w: World;
  beforeEach(() => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const file = join(w.dir, 'in.jsonl');
    writeFileSync(
      file,
      `${[
        pay('p1', 1, { national_id: ID_A, given_name: 'Wei', surname: 'Wang' }),
        pay('p2', 2, { national_id: ID_B, given_name: 'Na', surname: 'Li' }),
        // A masked ID that fits ID_A: a review item, never a merge.
        line({
          id: 'c1',
          source: 'court',
          type: 'loan.defaulted',
          occurredAt: '2026-03-05T10:00:00Z',
          subject: { national_id: `${ID_A.slice(0, 10)}****${ID_A.slice(14)}`, full_name: '王伟' },
          data: { lender: 'bank', loan: 'L1', amount: 5000 },
        }),
      ].join('\n')}\n`,
    );
    ok(w.run(['ingest', file]));
  });
  afterEach(() => w?.dispose());

  it('explain-link logs one entry under the person the link shows, before it is shown', () => {
    const wang = factSubject(w, 'pay', 'p1');
    const byFact = logged(w, ['explain-link', 'pay/p1', '--json']);
    const shown = JSON.parse(byFact.out) as { recordId: string; subjectId: string; decision: string };
    expect(shown.subjectId).toBe(wang);
    expect(byFact.added.map(shape)).toEqual([{ actor: ACTOR, action: 'identity.link.read', subject: wang }]);
    expect(byFact.added[0]?.detail).toMatchObject({
      id: 'pay/p1',
      record: shown.recordId,
      decision: shown.decision,
    });

    // By record id, in text: the same person, the record as asked.
    const byRecord = logged(w, ['explain-link', shown.recordId]);
    expect(byRecord.out).not.toBe('');
    expect(byRecord.added.map(shape)).toEqual([
      { actor: ACTOR, action: 'identity.link.read', subject: wang },
    ]);
    expect(byRecord.added[0]?.detail).toMatchObject({ id: shown.recordId, record: shown.recordId });

    // Another person's fact is filed under them, and found by person.
    const li = factSubject(w, 'pay', 'p2');
    expect(li).not.toBe(wang);
    expect(logged(w, ['explain-link', 'pay/p2']).added.map((e) => e.subject)).toEqual([li]);
    const found = w.json<{ entries: Entry[] }>(['audit', 'list', '--subject', wang]).entries;
    expect(found.map((e) => e.action)).toEqual(['identity.link.read', 'identity.link.read']);

    // Nothing found is nothing read: refused, nothing logged.
    const before = entries(w).length;
    expect(w.run(['explain-link', 'pay/nope']).code).toBe(4);
    expect(entries(w)).toHaveLength(before);
    expect(ok(w.run(['audit', 'verify'])).stdout).toMatch(/audit log intact/);
  }, 120_000);

  it('identity review and history log one entry each with how many they showed', () => {
    const review = logged(w, ['identity', 'review', '--json']);
    const reviews = (JSON.parse(review.out) as { reviews: unknown[] }).reviews;
    expect(reviews.length).toBeGreaterThan(0);
    expect(review.added.map(shape)).toEqual([
      { actor: ACTOR, action: 'identity.reviews.read', subject: null },
    ]);
    expect(review.added[0]?.detail).toEqual({ count: reviews.length });

    const [item] = reviews as [{ recordId: string }];
    ok(w.run(['identity', 'decide', item.recordId, '--no-match', '--note', 'another Wang Wei']));
    const history = logged(w, ['identity', 'history', '--json']);
    const decisions = (JSON.parse(history.out) as { decisions: unknown[] }).decisions;
    expect(decisions.length).toBeGreaterThan(0);
    expect(history.added.map(shape)).toEqual([
      { actor: ACTOR, action: 'identity.history.read', subject: null },
    ]);
    expect(history.added[0]?.detail).toEqual({ count: decisions.length });
    // In text too.
    expect(logged(w, ['identity', 'history']).added.map((e) => e.action)).toEqual(['identity.history.read']);
    expect(ok(w.run(['audit', 'verify'])).stdout).toMatch(/audit log intact/);
  }, 120_000);

  it('a consent already recorded, or held by a later opt-out, is logged as what it showed', () => {
    const wang = factSubject(w, 'pay', 'p1');
    const consent = (action: string, at: string) => [
      'consent',
      wang,
      '--program',
      'marketplace',
      action,
      '--at',
      at,
    ];
    const outAt = '2026-04-10T00:00:00.000Z';
    const inAt = '2026-04-01T00:00:00.000Z';
    const out = logged(w, consent('--opt-out', outAt));
    expect(out.added.map(shape)).toEqual([{ actor: ACTOR, action: 'consent.change', subject: wang }]);
    expect(out.added[0]?.detail).not.toHaveProperty('heldBy');

    // The same change again writes nothing, but shows that it is in the person's file.
    const again = logged(w, consent('--opt-out', outAt));
    expect(again.out).toMatch(/already recorded/);
    expect(again.added.map(shape)).toEqual([{ actor: ACTOR, action: 'consent.read', subject: wang }]);
    expect(again.added[0]?.detail).toMatchObject({
      program: 'marketplace',
      action: 'opt-out',
      at: outAt,
      recorded: false,
    });

    // An opt-in dated before the opt-out is recorded, and the answer shows the opt-out that holds.
    const held = logged(w, consent('--opt-in', inAt));
    expect(held.out).toMatch(/does not hold/);
    expect(held.added.map(shape)).toEqual([{ actor: ACTOR, action: 'consent.change', subject: wang }]);
    expect(held.added[0]?.detail).toMatchObject({ action: 'opt-in', at: inAt, heldBy: { optOut: outAt } });
    const heldAgain = logged(w, consent('--opt-in', inAt));
    expect(heldAgain.out).toMatch(/already recorded, but does not hold/);
    expect(heldAgain.added.map((e) => [e.action, e.detail.recorded, e.detail.heldBy])).toEqual([
      ['consent.read', false, expect.objectContaining({ optOut: outAt })],
    ]);
    expect(ok(w.run(['audit', 'verify'])).stdout).toMatch(/audit log intact/);
  }, 120_000);

  it('commands that read only what the operator typed or gave in files log nothing', () => {
    const csv = join(w.dir, 'people.csv');
    writeFileSync(csv, `record_id,full_name,national_id\nb1,王伟,${ID_A}\ns1,Wang Wei,${ID_A}\n`);
    expect(loggedBare(w, ['kyc', 'mrz', MRZ1, MRZ2]).added).toEqual([]);
    expect(loggedBare(w, ['resolve', csv]).added).toEqual([]);
    const fromFiles = logged(w, ['explain-link', 's1', '--records', csv, '--json']);
    expect(JSON.parse(fromFiles.out)).toMatchObject({ recordId: 's1' });
    expect(fromFiles.added).toEqual([]);
  }, 120_000);

  it('a read that cannot be logged shows nothing', () => {
    const wang = factSubject(w, 'pay', 'p1');
    ok(w.run(['consent', wang, '--program', 'marketplace', '--opt-out', '--at', '2026-04-10T00:00:00Z']));
    const db = new Database(w.db);
    db.exec("CREATE TRIGGER no_append BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'no room'); END");
    db.close();
    for (const args of [
      ['explain-link', 'pay/p1'],
      ['explain-link', 'pay/p1', '--json'],
      ['identity', 'review'],
      ['identity', 'history', '--json'],
      ['consent', wang, '--program', 'marketplace', '--opt-out', '--at', '2026-04-10T00:00:00Z'],
    ]) {
      const r = w.run(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr, args.join(' ')).toMatch(
        /nothing is shown: this read could not be written to the audit log.*no room/,
      );
      expect(r.stderr).toContain('CREDENCE_E_DB');
    }
  }, 120_000);
});
