import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { resealTables } from '../../src/store/sqlite/table-seal.js';
import { MARKETPLACE, makeWorld, ok, payment, type World } from './cli.js';

// A phone was stored as its furnisher wrote it, short of separators: `0086 189-0893-0091`,
// `18908930091` and `+8618908930091` were three keys, a fact carrying one of them only became a
// new person, and `credence score <phone>` answered "names 2 people". A passport was stored by its
// number alone, so `credence score E12345678` named whoever first sent it, whichever country
// issued theirs.

const e164 = '+8618908930091';

/** The person `credence score TEXT` names (the first line of its answer), or the failed run. */
function whoIs(w: World, text: string): string {
  const r = w.run(['score', text, '--program', 'marketplace']);
  if (r.code !== 0) return `exit ${r.code}: ${r.stderr}`;
  return r.stdout.split(' ')[0] as string;
}

function identifiers(w: World): [string, string, string][] {
  const db = new Database(w.db, { readonly: true });
  try {
    return db.prepare('SELECT kind, value, subject FROM identifiers ORDER BY kind, value').raw().all() as [
      string,
      string,
      string,
    ][];
  } finally {
    db.close();
  }
}

describe('a phone in any spelling names one person (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('two facts with one phone in two spellings are one person, found by either', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const facts = [
      payment('p1', '2026-03-01T00:00:00Z', { phone: e164 }),
      payment('p2', '2026-03-02T00:00:00Z', { phone: '0086 189-0893-0091' }),
      payment('p3', '2026-03-03T00:00:00Z', { phone: '189 0893 0091' }),
    ];
    const r = ok(w.run(['ingest', '-'], { input: `${facts.join('\n')}\n` }));
    expect(r.stdout).toContain('1 new people');
    const holder = whoIs(w, e164);
    expect(holder).toMatch(/^P\d{7}$/);
    for (const text of ['0086 189-0893-0091', '008618908930091', '18908930091', '+86 (189) 0893.0091'])
      expect(whoIs(w, text), text).toBe(holder);
    expect(identifiers(w)).toEqual([['phone', e164, holder]]);
  });

  it('a database of the previous build is upgraded by credence init and finds its phone holder', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    ok(
      w.run(['ingest', '-'], {
        input: `${payment('p1', '2026-03-01T00:00:00Z', { phone: '18908930091' })}\n`,
      }),
    );
    const holder = whoIs(w, '18908930091');
    // As the previous build left it: the number as sent, its seal over it, schema 10.
    const db = new Database(w.db);
    db.transaction(() => {
      db.prepare("UPDATE identifiers SET value = '18908930091' WHERE kind = 'phone'").run();
      resealTables(db, ['identifiers']);
      db.pragma('user_version = 10');
    })();
    db.close();
    const before = w.run(['score', e164, '--program', 'marketplace']);
    expect(before.code).not.toBe(0);
    expect(before.stderr).toContain('credence init');

    ok(w.run(['init']));
    expect(identifiers(w)).toEqual([['phone', e164, holder]]);
    for (const text of [e164, '0086 189 0893 0091', '18908930091']) expect(whoIs(w, text), text).toBe(holder);
    // A fact sent since in another spelling joins the same person.
    const r = ok(
      w.run(['ingest', '-'], {
        input: `${payment('p2', '2026-03-02T00:00:00Z', { phone: '+86 189 0893 0091' })}\n`,
      }),
    );
    expect(r.stdout).toContain('0 new people');
    ok(w.run(['audit', 'verify']));
  });
});

describe('a passport is looked up with its issuing country (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('one number from two countries is two people; CN and CHN are one; the number alone names neither', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const facts = [
      payment('c1', '2026-03-01T00:00:00Z', { passport_number: 'E12345678', passport_country: 'CN' }),
      payment('k1', '2026-03-02T00:00:00Z', { passport_number: 'E12345678', passport_country: 'KOR' }),
      payment('c2', '2026-03-03T00:00:00Z', { passport_number: 'e1234 5678', passport_country: 'CHN' }),
    ];
    ok(w.run(['ingest', '-'], { input: `${facts.join('\n')}\n` }));
    const chinese = whoIs(w, 'CHN:E12345678');
    const korean = whoIs(w, 'KR:E12345678');
    expect(chinese).toMatch(/^P\d{7}$/);
    expect(korean).toMatch(/^P\d{7}$/);
    expect(korean).not.toBe(chinese);
    expect(whoIs(w, 'cn:e12345678')).toBe(chinese);
    expect(whoIs(w, 'KOR:E12345678')).toBe(korean);

    const bare = w.run(['score', 'E12345678', '--program', 'marketplace']);
    expect(bare.code).toBe(4);
    expect(bare.stderr).toContain('CREDENCE_E_SUBJECT_NOT_FOUND');
    expect(bare.stderr).toContain('COUNTRY:NUMBER, e.g. CHN:E12345678');
    expect(bare.stderr).not.toMatch(/P\d{7}/);
  });
});
