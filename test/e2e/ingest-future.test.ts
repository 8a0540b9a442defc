import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CITY_CIVIC, line, MARKETPLACE, makeWorld, ok, payment, ROOT, type World } from './cli.js';

// A fact dated later than the ingest clock plus 5 minutes of clock skew is refused
// (CREDENCE_E_FACT_IN_FUTURE) by `credence ingest` and `credence import`, on its line (and
// column), the rest stored; an opt-out never is. The CLI reads the wall clock, so dates are
// relative to the test's now: "a day ahead" is ahead whenever the binary runs, "a minute ahead"
// is inside the tolerance however late it runs (its clock only moves on).

const MIN = 60_000;
const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString();

function ids(db: string): string[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare("SELECT source || '/' || id FROM facts ORDER BY seq").pluck().all() as string[];
  } finally {
    d.close();
  }
}

describe('ingest and import refuse a fact dated ahead (real binary, real SQLite file)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('credence ingest: refused per line with its field and code, the rest ingested; a re-run changes nothing', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const now = Date.now();
    const who = { phone: '+8613800138000' };
    const lines = [
      payment('past', iso(now - DAY), who),
      payment('skew', iso(now + MIN), who),
      payment('ahead', iso(now + DAY), who),
      // An opt-out dated ahead is recorded all the same: refused, it would be lost.
      line({
        id: 'out-ahead',
        source: 'desk',
        type: 'credence.opt_out',
        occurredAt: iso(now + 30 * DAY),
        subject: { phone: '+8613911112222' },
        data: { program: 'marketplace' },
      }),
      // An opt-in dated ahead is not: it would overtake an opt-out given before its date.
      line({
        id: 'in-ahead',
        source: 'desk',
        type: 'credence.opt_in',
        occurredAt: iso(now + 30 * DAY),
        subject: { phone: '+8613911112222' },
        data: { program: 'marketplace' },
      }),
    ];
    const file = join(w.dir, 'in.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const rejects = join(w.dir, 'rejects.jsonl');
    const r = w.run(['ingest', file, '--rejects', rejects, '--json']);
    expect(r.code, r.stderr).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ lines: 5, accepted: 3, rejected: 2 });
    const ahead = iso(now + DAY).replace(/\./g, '\\.');
    expect(r.stderr).toMatch(
      new RegExp(
        `in\\.jsonl:3 occurredAt: occurred ${ahead}, later than now \\(\\S+\\) by more than the 5 minutes allowed for clock skew: .*\\[CREDENCE_E_FACT_IN_FUTURE\\]`,
      ),
    );
    expect(r.stderr).toMatch(
      /in\.jsonl:5 occurredAt: occurred \S+, later than now .*\[CREDENCE_E_FACT_IN_FUTURE\]/,
    );
    expect(r.stderr.match(/CREDENCE_E_FACT_IN_FUTURE/g)).toHaveLength(2);
    expect(readFileSync(rejects, 'utf8')).toBe(`${lines[2]}\n${lines[4]}\n`);
    expect(ids(w.db)).toEqual(['pay/past', 'pay/skew', 'desk/out-ahead']);

    const again = w.run(['ingest', file, '--json']);
    expect(again.code).toBe(3);
    expect(JSON.parse(again.stdout)).toMatchObject({ accepted: 0, duplicates: 3, rejected: 2 });
    expect(ids(w.db)).toEqual(['pay/past', 'pay/skew', 'desk/out-ahead']);
  });

  it('credence import: refused with its row and column, the other rows imported; a re-import changes nothing', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const now = Date.now();
    const csv = [
      'record_id,event,occurred_at,account,phone,national_id,name,amount,items,balance,method,item,on_time',
      `p-1,payment,${iso(now - DAY)},pay:lin,+8615642634224,,Lin Wei,10,,,,,`,
      `p-2,payment,${iso(now + 2 * DAY)},pay:lin,+8615642634224,,Lin Wei,20,,,,,`,
      `p-3,payment,${iso(now + MIN)},pay:lin,+8615642634224,,Lin Wei,30,,,,,`,
    ].join('\n');
    const file = join(w.dir, 'pay.csv');
    writeFileSync(file, `${csv}\n`);
    const dry = w.run(['import', 'pay', file, '--dry-run', '--json']);
    expect(JSON.parse(dry.stdout)).toMatchObject({ accepted: 2, refused: 1 });
    const r = w.run(['import', 'pay', file]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(
      /pay\.csv:3 column occurred_at: occurred \S+, later than now \(\S+\) by more than the 5 minutes allowed for clock skew.*\[CREDENCE_E_FACT_IN_FUTURE\]/,
    );
    expect(r.stderr.match(/CREDENCE_E_FACT_IN_FUTURE/g)).toHaveLength(1);
    expect(ids(w.db)).toEqual(['pay/p-1', 'pay/p-3']);
    const again = w.run(['import', 'pay', file, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ accepted: 0, duplicates: 2, refused: 1 });
    expect(ids(w.db)).toEqual(['pay/p-1', 'pay/p-3']);
  });

  it('credence import refuses a snapshot dated ahead with --as-of, before reading a row', () => {
    w = makeWorld({ programs: [CITY_CIVIC] });
    const day = iso(Date.now() + 2 * DAY).slice(0, 10);
    const sample = join(ROOT, 'examples/sources/samples/debtor-register-2026-06.csv');
    const r = w.run(['import', 'debtor-register', sample, '--as-of', day]);
    expect(r.code).toBe(2);
    // The date as typed, not the instant it stands for (midnight in the mapping's zone, +08:00,
    // read back in UTC as the day before).
    expect(r.stderr).toContain(`--as-of "${day}" is in the future, so it cannot date the snapshot`);
    expect(r.stderr).toMatch(/CREDENCE_E_USAGE/);
    expect(ids(w.db)).toEqual([]);
  });

  it('credence score and explain answer an as-of later than now, labelled as a projection', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const now = Date.now();
    const who = { phone: '+8613800138000' };
    ok(
      w.run(['ingest', '-'], {
        input: `${[payment('a', iso(now - 2 * DAY), who), payment('b', iso(now - DAY), who)].join('\n')}\n`,
      }),
    );
    const later = iso(now + 400 * DAY);
    for (const cmd of ['score', 'explain']) {
      const text = ok(w.run([cmd, '+8613800138000', '--program', 'marketplace', '--as-of', later])).stdout;
      expect(text.split('\n')[0]).toMatch(
        new RegExp(
          `^projection: ${later.replace(/\./g, '\\.')} is later than now \\(\\S+\\); computed from the facts stored now`,
        ),
      );
      const json = w.json<{ asOf?: string; outcome?: { asOf: string }; projection?: boolean }>([
        cmd,
        '+8613800138000',
        '--program',
        'marketplace',
        '--as-of',
        later,
      ]);
      expect(json.projection).toBe(true);
      expect(json.asOf ?? json.outcome?.asOf).toBe(later);
      // As of a past instant, or now: no label.
      const past = w.json<{ projection?: boolean }>([
        cmd,
        '+8613800138000',
        '--program',
        'marketplace',
        '--as-of',
        iso(now - 1000),
      ]);
      expect(past.projection).toBeUndefined();
      const current = ok(w.run([cmd, '+8613800138000', '--program', 'marketplace']));
      expect(current.stdout).not.toMatch(/projection/);
    }
  });
});
