import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, line, MARKETPLACE, makeWorld, ok, payment, type World } from './cli.js';

// `credence purge` forgets a person's identity (records, index keys, identifier rows) once none of
// their facts is left: the names and numbers came with the facts and have no purpose without them.
// An opt-out is a fact no retention reaches, so an opted-out person is never forgotten, and a later
// fact about them still finds them opted out. Dates are relative to now: ingest refuses facts that
// are already past retention, so the purge looks ahead instead.

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString();

const NA = { national_id: '110101199003074514', given_name: 'Na', surname: 'Li', phone: '+8613900139000' };
const WEI = { national_id: '11010519491231002X', given_name: 'Wei', surname: 'Wang' };
const OPT = { national_id: '110101198001010038', given_name: 'Min', surname: 'Zhao' };

/** The identity rows that carry a person's data, with the subject they belong to. */
function identityRows(db: string) {
  const d = new Database(db, { readonly: true });
  try {
    const q = (sql: string) => d.prepare(sql).all() as Record<string, unknown>[];
    return {
      records: q('SELECT seq, record_id, subject, sig, body FROM identity_records ORDER BY seq'),
      keys: q('SELECT key, seq FROM identity_keys ORDER BY key, seq'),
      reviews: q('SELECT * FROM identity_reviews ORDER BY record_id'),
      state: q('SELECT * FROM identity_state'),
      identifiers: q('SELECT * FROM identifiers ORDER BY kind, value'),
    };
  } finally {
    d.close();
  }
}

function subjectOfFact(db: string, source: string, id: string): string {
  const d = new Database(db, { readonly: true });
  try {
    return d
      .prepare('SELECT subject FROM facts WHERE source = ? AND id = ?')
      .pluck()
      .get(source, id) as string;
  } finally {
    d.close();
  }
}

describe('credence purge forgets the identity of a person none of whose facts remain (real binary, real SQLite file)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('deletes their records, index keys and identifiers in the purge, keeps everyone else, and a dry run says so', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const now = Date.now();
    const old = iso(now - 100 * DAY);
    const facts = [
      payment('na-1', old, NA, 50),
      payment('wei-1', old, WEI, 50),
      // identity.verified has no retain: WEI keeps a fact, and with it their identity.
      line({
        id: 'wei-v',
        source: 'pay',
        type: 'identity.verified',
        occurredAt: old,
        subject: WEI,
        data: { method: 'passport' },
      }),
      payment('opt-1', old, OPT, 50),
      line({
        id: 'opt-out',
        source: 'portal',
        type: 'credence.opt_out',
        occurredAt: iso(now - 50 * DAY),
        subject: OPT,
        data: { program: 'marketplace' },
      }),
    ];
    ok(w.run(['ingest', '-'], { input: `${facts.join('\n')}\n` }));
    const na = subjectOfFact(w.db, 'pay', 'na-1');
    const wei = subjectOfFact(w.db, 'pay', 'wei-1');
    const opt = subjectOfFact(w.db, 'pay', 'opt-1');
    expect(new Set([na, wei, opt]).size).toBe(3);
    const before = identityRows(w.db);
    const naSeqs = before.records.filter((r) => r.subject === na).map((r) => r.seq);
    expect(naSeqs.length).toBeGreaterThan(0);
    expect(before.keys.some((k) => naSeqs.includes(k.seq))).toBe(true);
    expect(before.identifiers.some((i) => i.subject === na)).toBe(true);

    // Three years and a day on, every payment is past its P3Y.
    const asOf = iso(now + 3 * 365 * DAY + DAY);
    const dbBefore = dumpDatabase(w.db);
    const dry = w.json<Record<string, unknown>>(['purge', '--as-of', asOf, '--dry-run']);
    expect(dry).toMatchObject({ facts: 3, forgotten: { people: 1, identityRecords: naSeqs.length } });
    expect((dry.forgotten as { identifiers: number }).identifiers).toBeGreaterThan(0);
    // A dry run changes nothing, identity tables included.
    expect(dumpDatabase(w.db)).toEqual(dbBefore);
    expect(identityRows(w.db)).toEqual(before);

    const r = w.json<Record<string, unknown>>(['purge', '--as-of', asOf, '--allow-future']);
    expect({ ...dry, dryRun: false }).toEqual(r);
    const text = w.run(['purge', '--as-of', asOf, '--dry-run']);
    expect(text.stdout).toMatch(/would forget 0 people with no fact left/);

    const after = identityRows(w.db);
    // NA is gone from every identity table; nothing of NA's name or numbers is left in them.
    expect(after.records.filter((r) => r.subject === na)).toEqual([]);
    expect(after.keys.filter((k) => naSeqs.includes(k.seq))).toEqual([]);
    expect(after.identifiers.filter((i) => i.subject === na)).toEqual([]);
    const rest = JSON.stringify(after);
    for (const v of [NA.national_id, NA.phone, 'Na"', '"Li']) expect(rest).not.toContain(v);
    // WEI (a fact left) and OPT (the opt-out left) keep theirs, unchanged.
    const keep = (x: typeof before) => ({
      records: x.records.filter((r) => r.subject !== na),
      keys: x.keys.filter((k) => !naSeqs.includes(k.seq)),
      identifiers: x.identifiers.filter((i) => i.subject !== na),
    });
    expect(keep(after)).toEqual(keep(before));

    // A later fact about NA is a new person: nothing links it to what was forgotten.
    const later = iso(now - DAY);
    ok(w.run(['ingest', '-'], { input: `${payment('na-2', later, NA, 50)}\n` }));
    const na2 = subjectOfFact(w.db, 'pay', 'na-2');
    expect(na2).not.toBe(na);
    expect(identityRows(w.db).records.filter((r) => r.subject === na2).length).toBe(1);
    // A later fact about the opted-out person still finds them, and they stay opted out.
    ok(w.run(['ingest', '-'], { input: `${payment('opt-2', later, OPT, 50)}\n` }));
    expect(subjectOfFact(w.db, 'pay', 'opt-2')).toBe(opt);
    expect(w.json(['score', opt, '--program', 'marketplace'])).toMatchObject({
      status: 'not-scored',
      reason: 'opted-out',
    });
    // And WEI's later fact still goes to WEI.
    ok(w.run(['ingest', '-'], { input: `${payment('wei-2', later, WEI, 50)}\n` }));
    expect(subjectOfFact(w.db, 'pay', 'wei-2')).toBe(wei);
  });
});
