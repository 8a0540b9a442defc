import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../identity/index.js';
import { hashKey } from '../../identity/match/block-index.js';
import { blockingKeys, emptyProfile, type Profile, profileHash } from '../../identity/profile.js';
import { initDatabase } from '../../open-app.js';
import { IDENTITY_REINDEX } from '../../store/sqlite/sqlite-migrations.js';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js';
import { splitRecords } from './identity-ops.js';
import { recordIdOf } from './identity-resolver.js';
import { identityWorld, people } from './identity-world.case.js';

const { freshStore, ingest, programs } = identityWorld('credence-reindex-');

const pay = (id: string, day: number, subject: Record<string, string>) =>
  JSON.stringify({
    id,
    source: 'pay',
    type: 'payment.completed',
    occurredAt: new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString(),
    subject,
    data: { amount: 10 },
  });

/** What the candidates path reads a record by: its signature and its index rows. */
function index(path: string): { sigs: number[]; keys: [number, number][] } {
  const db = new Database(path, { readonly: true });
  try {
    return {
      sigs: db.prepare('SELECT sig FROM identity_records ORDER BY seq').pluck().all() as number[],
      keys: db.prepare('SELECT key, seq FROM identity_keys ORDER BY seq, key').raw().all() as [
        number,
        number,
      ][],
    };
  } finally {
    db.close();
  }
}

/**
 * Rewrites the one stored record's index as a build from before the key changes wrote it (its
 * profile as that build read the record: `old`), and the schema version to the one before the
 * re-index, as a database of that build is.
 */
function asOldBuildWrote(path: string, old: Profile): void {
  const db = new Database(path);
  try {
    db.transaction(() => {
      db.exec('DELETE FROM identity_keys');
      db.prepare('UPDATE identity_records SET sig = ?').run(profileHash(old));
      const add = db.prepare('INSERT OR IGNORE INTO identity_keys (key, seq) VALUES (?, 1)');
      for (const k of blockingKeys(old)) add.run(hashKey(k));
      db.pragma(`user_version = ${IDENTITY_REINDEX - 1}`);
    })();
  } finally {
    db.close();
  }
}

const short = '110105491231002';
const first17 = `11010519${short.slice(6, 12)}${short.slice(12)}`;
const long = first17 + residentIdCheckChar(first17);
const fw = (s: string) => s.replace(/[0-9A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

// Each: the record an old build stored, the profile it read it as, and the same person's
// document in the form the current build keys it by.
const cases: { name: string; stored: Record<string, string>; old: Profile; now: Record<string, string> }[] = [
  {
    name: 'a 15-digit resident ID (an untrusted weak ID before the upgrade)',
    stored: { national_id: short },
    old: { ...emptyProfile(), weakId: short },
    now: { national_id: long },
  },
  {
    name: 'a passport under its two-letter country (keyed p:CN: before)',
    stored: { passport_number: 'E12345678', passport_country: 'CN' },
    old: { ...emptyProfile(), passport: 'CN:E12345678' },
    now: { passport_number: 'E12345678', passport_country: 'CHN' },
  },
  {
    name: 'a resident ID in full-width digits (an untrusted weak ID before the folding)',
    stored: { national_id: fw(long) },
    old: { ...emptyProfile(), weakId: fw(long) },
    now: { national_id: long },
  },
];

describe('credence init re-derives the identity index of records an older build stored', () => {
  for (const c of cases) {
    it(`finds the person of ${c.name} by the document in its current form`, async () => {
      const { store, path } = await freshStore();
      await ingest(store, [pay('a', 1, c.stored)], 10);
      await store.close();
      const current = index(path);
      asOldBuildWrote(path, c.old);
      expect(index(path)).not.toEqual(current);

      await initDatabase(path);
      // The index is the one the current build writes for the same record ...
      expect(index(path)).toEqual(current);
      // ... and running it again changes nothing.
      const again = new Database(path);
      again.pragma(`user_version = ${IDENTITY_REINDEX - 1}`);
      again.close();
      await initDatabase(path);
      expect(index(path)).toEqual(current);

      // A small batch reads its candidates through the index: the new form finds the person.
      const reopened = await openSqliteStore(path);
      await ingest(reopened, [pay('b', 2, c.now)], 10, 1, { candidates: 'always' });
      await reopened.close();
      expect(people(path)).toEqual(['a,b']);
    });
  }
});

describe('credence init re-keys the operator state an older build wrote', () => {
  it('keeps a passport with the person an operator left it with, named by its two-letter country before', async () => {
    const { store, path } = await freshStore();
    const wang = { given_name: 'Wei', surname: 'Wang', passport_number: 'E12345678', passport_country: 'CN' };
    const first = { ...wang, phone: '+8613800138000' };
    await ingest(store, [pay('a', 1, first), pay('b', 2, wang)], 10);
    await store.close();
    expect(people(path)).toEqual(['a,b']);
    // The operator splits off the record that claimed the passport first: the passport stays
    // with the person still holding it (b's), where the first claim alone would lead to a's.
    const operator = await openSqliteStore(path);
    await splitRecords(operator, programs, [recordIdOf(first)], 'test');
    await operator.close();
    expect(people(path)).toEqual(['a', 'b']);
    // As an older build wrote the state: the passport keyed under the country as sent.
    const db = new Database(path);
    const state = db.prepare('SELECT body FROM identity_state').pluck().get() as string;
    expect(state).toContain('p:CHN:E12345678');
    db.prepare('UPDATE identity_state SET body = ?').run(state.replaceAll('p:CHN:', 'p:CN:'));
    db.pragma(`user_version = ${IDENTITY_REINDEX - 1}`);
    db.close();

    await initDatabase(path);
    const reopened = await openSqliteStore(path);
    await ingest(reopened, [pay('c', 3, { passport_number: 'E12345678', passport_country: 'CHN' })], 10, 2, {
      candidates: 'never',
    });
    await reopened.close();
    expect(people(path)).toEqual(['a', 'b,c']);
  });
});
