import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../identity/index.js';
import { identityWorld } from '../../ingest/resolve/identity-world.case.js';
import { findSubject, initDatabase, openApp } from '../../open-app.js';
import { verifySealsOf } from './seals-file.js';
import { IDENTIFIERS_RESPELLED, PHONES_RESPELLED } from './sqlite-migrations.js';
import { resealTables } from './table-seal.js';

// A database of an older build holds identifiers in the spelling that build gave them. The
// current build spells a 15-digit resident ID as its 18-character upgrade and folds full-width
// digits, so `credence score <the ID as sent today>` said no such person. `credence init` spells
// the stored rows again; the seal over the table follows, and running it twice changes nothing.

const { freshStore, ingest } = identityWorld('credence-respell-');

const pay = (id: string, day: number, subject: Record<string, string>) =>
  JSON.stringify({
    id,
    source: 'pay',
    type: 'payment.completed',
    occurredAt: new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString(),
    subject,
    data: { amount: 10 },
  });

const short = '110105491231002';
const first17 = `11010519${short.slice(6, 12)}${short.slice(12)}`;
const long = first17 + residentIdCheckChar(first17);
const fw = (s: string) => s.replace(/[0-9A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** The identifier rows, as (kind, value, subject). */
function rows(path: string): [string, string, string][] {
  const db = new Database(path, { readonly: true });
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

/** Rewrites the file as an older build left it: `edit` on its rows, sealed as they are, at `version`. */
function asOldBuildWrote(
  path: string,
  edit: (db: Database.Database) => void,
  version = IDENTIFIERS_RESPELLED - 1,
): void {
  const db = new Database(path);
  try {
    db.transaction(() => {
      edit(db);
      resealTables(db, ['identifiers']);
      db.pragma(`user_version = ${version}`);
    })();
  } finally {
    db.close();
  }
}

async function lookup(path: string, text: string): Promise<string> {
  const app = await openApp(path);
  try {
    return await findSubject(app, text, 'SUBJECT');
  } finally {
    await app.close();
  }
}

describe('credence init spells stored identifiers as the current build does', () => {
  for (const [name, old] of [
    ['a 15-digit resident ID', short],
    ['a resident ID in full-width digits', fw(long)],
  ] as const) {
    it(`finds the holder of ${name} by the ID as sent now`, async () => {
      const { store, path } = await freshStore();
      await ingest(store, [pay('a', 1, { national_id: long, phone: '+8613800138000' })], 10);
      await store.close();
      const current = rows(path);
      const holder = await lookup(path, '+8613800138000');
      asOldBuildWrote(path, (db) =>
        db.prepare('UPDATE identifiers SET value = ? WHERE value = ?').run(old, long),
      );
      expect(rows(path)).not.toEqual(current);

      await initDatabase(path);
      expect(rows(path)).toEqual(current);
      expect(await lookup(path, long)).toBe(holder);
      expect(await verifySealsOf(path)).toMatchObject({ ok: true });
      // Again: nothing left to spell.
      const db = new Database(path);
      db.pragma(`user_version = ${IDENTIFIERS_RESPELLED - 1}`);
      db.close();
      await initDatabase(path);
      expect(rows(path)).toEqual(current);
      expect(await verifySealsOf(path)).toMatchObject({ ok: true });
    });
  }

  it('gives the ID to the person the old spelling named when the new one was stored for someone else since', async () => {
    const { store, path } = await freshStore();
    await ingest(
      store,
      [pay('a', 1, { national_id: long, phone: '+8613800138000' }), pay('b', 2, { phone: '+8613912345678' })],
      10,
    );
    await store.close();
    const first = await lookup(path, '+8613800138000');
    const later = await lookup(path, '+8613912345678');
    expect(later).not.toBe(first);
    // The old build stored the ID in its old spelling for the first person; a later fact in the
    // new spelling was not matched to it and went to another person.
    asOldBuildWrote(path, (db) => {
      db.prepare('UPDATE identifiers SET value = ? WHERE value = ?').run(short, long);
      db.prepare("INSERT INTO identifiers (kind, value, subject) VALUES ('national_id', ?, ?)").run(
        long,
        later,
      );
    });
    await initDatabase(path);
    expect(rows(path).filter(([kind]) => kind === 'national_id')).toEqual([['national_id', long, first]]);
    expect(await lookup(path, long)).toBe(first);
    expect(await verifySealsOf(path)).toMatchObject({ ok: true });
  });
});

// Phones were kept as sent, short of separators, so `18908930091` and `+8618908930091` were two
// rows and, when sent by two facts, two people; now a valid number is its E.164 (migration 11).
// A passport was kept by its number alone; now by its country and number when the country came.
describe('credence init spells phones in E.164 and passports by country (a file of migration 10)', () => {
  const e164 = '+8618908930091';

  for (const old of ['18908930091', '008618908930091', '+86189-0893-0091']) {
    it(`finds the holder of a phone stored as ${old} by any spelling`, async () => {
      const { store, path } = await freshStore();
      await ingest(store, [pay('a', 1, { phone: e164, account: 'shop:wang' })], 10);
      await store.close();
      const current = rows(path);
      const holder = await lookup(path, 'shop:wang');
      asOldBuildWrote(
        path,
        (db) => db.prepare('UPDATE identifiers SET value = ? WHERE value = ?').run(old, e164),
        PHONES_RESPELLED - 1,
      );
      await initDatabase(path);
      expect(rows(path)).toEqual(current);
      for (const text of [e164, '189 0893 0091', '0086 189-0893-0091', old])
        expect(await lookup(path, text)).toBe(holder);
      expect(await verifySealsOf(path)).toMatchObject({ ok: true });
    });
  }

  it('gives the phone to the person of the spelling that changes, and keeps both people', async () => {
    const { store, path } = await freshStore();
    await ingest(
      store,
      [
        pay('a', 1, { phone: '+8613800138000', account: 'shop:a' }),
        pay('b', 2, { phone: e164, account: 'shop:b' }),
      ],
      10,
    );
    await store.close();
    const first = await lookup(path, 'shop:a');
    const later = await lookup(path, 'shop:b');
    // The old build kept the first person's number as a national one: the same number as the
    // second person's, sent in E.164, and two people.
    asOldBuildWrote(
      path,
      (db) => db.prepare("UPDATE identifiers SET value = '18908930091' WHERE value = '+8613800138000'").run(),
      PHONES_RESPELLED - 1,
    );
    await initDatabase(path);
    expect(rows(path).filter(([kind]) => kind === 'phone')).toEqual([['phone', e164, first]]);
    expect(await lookup(path, '189-0893-0091')).toBe(first);
    expect(await lookup(path, 'shop:b')).toBe(later);
    expect(await verifySealsOf(path)).toMatchObject({ ok: true });
  });

  it('keys a passport by the country its holder sent, and leaves one sent without a country bare', async () => {
    const { store, path } = await freshStore();
    await ingest(
      store,
      [
        pay('a', 1, { passport_number: 'E12345678', passport_country: 'CN', account: 'shop:a' }),
        pay('b', 2, { passport_number: 'G7654321', account: 'shop:b' }),
      ],
      10,
    );
    await store.close();
    const holder = await lookup(path, 'shop:a');
    const current = rows(path);
    expect(current).toContainEqual(['passport_number', 'CHN:E12345678', holder]);
    asOldBuildWrote(
      path,
      (db) => db.prepare("UPDATE identifiers SET value = 'E12345678' WHERE value = 'CHN:E12345678'").run(),
      PHONES_RESPELLED - 1,
    );
    await initDatabase(path);
    expect(rows(path)).toEqual(current);
    expect(await lookup(path, 'CN:E12345678')).toBe(holder);
    expect(await lookup(path, 'G7654321')).toBe(await lookup(path, 'shop:b'));
    expect(await verifySealsOf(path)).toMatchObject({ ok: true });
  });
});
