import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CITY_CIVIC, line, MARKETPLACE, makeWorld, ok, payment, type World } from './cli.js';

// Ingest refuses a fact already past its type's retention at the ingest clock: `credence purge`
// run at that instant would delete it at once, so it (and the names and
// numbers it carries) would be stored for nothing. The rule is purge's: the rulebook versions in
// force now, the longest period of the programs declaring the type, none for a type some program
// keeps without one. Dates are relative to now, as the ingest clock is the wall clock.

const DAY = 86_400_000;
const YEAR = 365 * DAY;
const iso = (t: number) => new Date(t).toISOString();

function count(db: string, sql: string, ...args: unknown[]): number {
  const d = new Database(db, { readonly: true });
  try {
    return d
      .prepare(sql)
      .pluck()
      .get(...args) as number;
  } finally {
    d.close();
  }
}

/** A small program that declares `payment.completed` with its own retention (or none). */
function program(w: World, id: string, retain: string | undefined): string {
  const file = join(w.dir, `${id}.yaml`);
  writeFileSync(
    file,
    [
      `program: ${id}`,
      `name: ${id}`,
      'enrollment: opt-out',
      'scale: { min: 0, max: 100, base: 50 }',
      'tiers: [{ id: all, min: 0 }]',
      'events:',
      `  payment.completed: { category: payment, fields: { amount: number }${retain ? `, retain: ${retain}` : ''} }`,
      'rules:',
      '  - { id: pay, on: payment.completed, points: 1, reason: { code: P1, text: Paid } }',
      '',
    ].join('\n'),
  );
  return file;
}

describe('ingest refuses a fact already past its retention (real binary, real SQLite file)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('refuses it with its line, field, type, period and program, stores nothing of it, and keeps the rest', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const now = Date.now();
    const stale = { phone: '+8613911112222', given_name: 'Jun', surname: 'Sun' };
    const fresh = { phone: '+8613800138000' };
    const file = join(w.dir, 'in.jsonl');
    const lines = [
      // payment.completed is kept P3Y: ten days past it.
      payment('old', iso(now - 3 * YEAR - 10 * DAY), stale, 50),
      // Ten days within it.
      payment('recent', iso(now - 3 * YEAR + 10 * DAY), fresh, 50),
      // identity.verified is kept without a period: never past retention.
      line({
        id: 'v-old',
        source: 'pay',
        type: 'identity.verified',
        occurredAt: '2010-01-01T00:00:00Z',
        subject: fresh,
        data: { method: 'passport' },
      }),
      // Nor is a consent record.
      line({
        id: 'o-old',
        source: 'portal',
        type: 'credence.opt_out',
        occurredAt: '2010-01-02T00:00:00Z',
        subject: { phone: '+8613711113333' },
        data: { program: 'marketplace' },
      }),
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    const rejects = join(w.dir, 'rejects.jsonl');
    const r = w.run(['ingest', file, '--rejects', rejects, '--json']);
    expect(r.code, r.stderr).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ accepted: 3, rejected: 1 });
    expect(r.stderr).toMatch(
      /in\.jsonl:1 occurredAt: occurred \S+, before \S+: "payment\.completed" is kept P3Y \(marketplace\), so a purge now would delete it at once \[CREDENCE_E_FACT_PAST_RETENTION\]/,
    );
    expect(r.stderr.match(/CREDENCE_E_FACT_PAST_RETENTION/g)).toHaveLength(1);
    expect(readFileSync(rejects, 'utf8')).toBe(`${lines[0]}\n`);
    // Nothing of the refused fact is stored: not the fact, not its person's phone or name.
    expect(count(w.db, "SELECT count(*) FROM facts WHERE id = 'old'")).toBe(0);
    expect(count(w.db, "SELECT count(*) FROM facts WHERE id IN ('recent', 'v-old', 'o-old')")).toBe(3);
    expect(count(w.db, 'SELECT count(*) FROM identifiers WHERE value = ?', stale.phone)).toBe(0);
    expect(count(w.db, "SELECT count(*) FROM identity_records WHERE body LIKE '%Jun%'")).toBe(0);
    // What ingest accepted, a purge at the same instant keeps.
    expect(w.json<{ facts: number }>(['purge', '--dry-run']).facts).toBe(0);
  });

  it('keeps a type several programs declare for the longest of their periods, and for good when one gives none', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const now = Date.now();
    const tenYearsOld = payment('p10', iso(now - 10 * YEAR), { phone: '+8613800138000' }, 5);
    ok(w.run(['program', 'load', program(w, 'archive', 'P20Y')]));
    ok(w.run(['ingest', '-'], { input: `${tenYearsOld}\n` }));
    const thirtyYearsOld = payment('p30', iso(now - 30 * YEAR), { phone: '+8613800138000' }, 5);
    const refused = w.run(['ingest', '-'], { input: `${thirtyYearsOld}\n` });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(
      /"payment\.completed" is kept P20Y \(archive\).*\[CREDENCE_E_FACT_PAST_RETENTION\]/,
    );
    ok(w.run(['program', 'load', program(w, 'forever', undefined)]));
    ok(w.run(['ingest', '-'], { input: `${thirtyYearsOld}\n` }));
    expect(count(w.db, "SELECT count(*) FROM facts WHERE id IN ('p10', 'p30')")).toBe(2);
  });

  it('judges by the rulebook version in force now, as purge does', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const now = Date.now();
    const v2 = (from: number) => {
      const text = readFileSync(MARKETPLACE, 'utf8')
        .replace(
          'payment.completed: { category: payment, fields: { amount: number }, retain: P3Y }',
          'payment.completed: { category: payment, fields: { amount: number }, retain: P30D }',
        )
        .replace(/^program: marketplace$/m, `program: marketplace\neffectiveFrom: ${iso(from)}`);
      expect(text).toContain('retain: P30D');
      const file = join(w.dir, `v${from}.yaml`);
      writeFileSync(file, text);
      return file;
    };
    // A version that shortens the period from next year on refuses nothing today.
    ok(w.run(['program', 'load', v2(now + YEAR)]));
    ok(
      w.run(['ingest', '-'], {
        input: `${payment('a', iso(now - 60 * DAY), { phone: '+8613800138000' })}\n`,
      }),
    );
    // Once a version with P30D is in force, a fact 60 days old is past it.
    ok(w.run(['program', 'load', v2(now - DAY)]));
    const r = w.run(['ingest', '-'], {
      input: `${payment('b', iso(now - 60 * DAY), { phone: '+8613800138000' })}\n`,
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /"payment\.completed" is kept P30D \(marketplace\).*\[CREDENCE_E_FACT_PAST_RETENTION\]/,
    );
  });

  it('an import reports the row and column of a listing past retention, and imports the rest', () => {
    w = makeWorld({ programs: [CITY_CIVIC] });
    const now = Date.now();
    const day = (t: number) => iso(t).slice(0, 10);
    // registry.debtor_listed is kept P3Y in city-civic.
    const csv = [
      'register,file_number,surname,given_name,date_of_birth,national_id,address,entry_date,entry_reason,deletion_date',
      `Weihai register,DR-1,Lin,Na,2000-08-30,330106200008301227,,${day(now - 4 * YEAR)},refused-asset-disclosure,${day(now + YEAR)}`,
      `Weihai register,DR-2,Wang,Wei,1949-12-31,11010519491231002X,,${day(now - YEAR)},refused-asset-disclosure,${day(now + YEAR)}`,
    ].join('\n');
    const file = join(w.dir, 'register.csv');
    writeFileSync(file, `${csv}\n`);
    const r = w.run(['import', 'debtor-register', file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /register\.csv:2 column entry_date: occurred \S+, before \S+: "registry\.debtor_listed" is kept P3Y \(city-civic\).*\[CREDENCE_E_FACT_PAST_RETENTION\]/,
    );
    expect(count(w.db, "SELECT count(*) FROM facts WHERE type = 'registry.debtor_listed'")).toBe(1);
    expect(count(w.db, "SELECT count(*) FROM facts WHERE id LIKE '%DR-1#L:%'")).toBe(0);
    expect(count(w.db, "SELECT count(*) FROM facts WHERE id LIKE '%DR-2#L:%'")).toBe(1);
  });
});
