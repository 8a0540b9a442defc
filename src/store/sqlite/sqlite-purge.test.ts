import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../identity/index.js';
import { splitRecords } from '../../ingest/resolve/identity-ops.js';
import type { IdentityResolverOptions } from '../../ingest/resolve/identity-resolver.js';
import { identityWorld } from '../../ingest/resolve/identity-world.case.js';
import { openSqliteStore } from './index.js';
import { purgeExpiredFacts } from './sqlite-purge.js';

// After a purge forgets the people none of whose facts are left, the identity resolver still
// works: an engine restored from a batch's candidates (`identity_keys`) decides as one restored
// from every record, and so does one bounded in memory, for any data, batch size, operator split
// and purge instant. (The behaviour users see is in test/e2e/purge-identity.test.ts.)

const { programs, freshStore, ingest, splitOne } = identityWorld('credence-purge-');

function dump(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true });
  const q = (sql: string) => db.prepare(sql).all();
  try {
    return {
      identifiers: q('SELECT * FROM identifiers ORDER BY kind, value'),
      facts: q('SELECT source, id, subject FROM facts ORDER BY source, id'),
      records: q('SELECT * FROM identity_records ORDER BY seq'),
      keys: q('SELECT * FROM identity_keys ORDER BY key, seq'),
      reviews: q('SELECT * FROM identity_reviews ORDER BY record_id'),
      decisions: q('SELECT * FROM identity_decisions ORDER BY seq'),
      state: q('SELECT * FROM identity_state'),
    };
  } finally {
    db.close();
  }
}

const id = (stem: string) => `${stem}${residentIdCheckChar(stem)}`;
const pick = <T>(xs: readonly T[]) => fc.option(fc.constantFrom(...xs), { nil: undefined });
// Few values per field, so representations collide; `19491231` and `1949-12-31` are one profile
// under two record ids, so a forgotten person's first record of a profile can have a successor.
const representation = fc
  .record({
    given_name: pick(['Wei', 'Na', 'Wie']),
    surname: pick(['Wang', 'Li']),
    date_of_birth: pick(['1949-12-31', '19491231', '1985-06-15']),
    phone: pick(['+8613800138000', '+8613912345678']),
    national_id: pick([id('11010519491231002'), id('44030119850615123'), '1101051949****002X']),
    postcode: pick(['100000', '200000']),
  })
  .map(
    (r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Record<string, string>,
  )
  .filter((r) => Object.keys(r).length > 0);

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const item = fc.record({ subject: representation, day: fc.nat({ max: 60 }), kept: fc.boolean() });

/** Payments (purged before the cutoff) and identity checks (no retention: never purged). */
const toLines = (items: { subject: Record<string, string>; day: number; kept: boolean }[], from: number) =>
  items.map((x, i) =>
    JSON.stringify({
      id: `f${from + i}`,
      source: 'pay',
      type: x.kept ? 'identity.verified' : 'payment.completed',
      occurredAt: new Date(T0 + x.day * DAY).toISOString(),
      subject: x.subject,
      data: x.kept ? { method: 'passport' } : { amount: 10 },
    }),
  );

describe('the identity resolver after a purge forgot people', () => {
  it('restores from candidates as from every record, for any data, batch size, split and cutoff', async () => {
    let forgot = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(item, { minLength: 1, maxLength: 40 }),
        fc.array(item, { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 7 }),
        fc.boolean(),
        fc.nat({ max: 61 }),
        async (first, second, batch, split, cutDay) => {
          const run = async (identity: IdentityResolverOptions) => {
            const { store, path } = await freshStore();
            await ingest(store, toLines(first, 0), batch, 0, identity);
            await store.close();
            if (split) await splitOne(path);
            const r = purgeExpiredFacts(path, [{ type: 'payment.completed', before: T0 + cutDay * DAY }]);
            forgot += r.forgotten.people;
            const again = await openSqliteStore(path);
            await ingest(again, toLines(second, first.length), batch, first.length, identity);
            await again.close();
            return dump(path);
          };
          const whole = await run({ candidates: 'never', blockLimit: 3 });
          const candidates = await run({ candidates: 'always', blockLimit: 3 });
          expect(candidates).toEqual(whole);
          expect(await run({ maxRecords: 0, blockLimit: 3 })).toEqual(whole);
        },
      ),
      { numRuns: 50 },
    );
    // The property met people forgotten, not only purges that forgot no one.
    expect(forgot).toBeGreaterThan(0);
  }, 300_000);

  it("indexes in its place the next record of a forgotten first record's profile, held by another person", async () => {
    // R1 and R2 are one profile (the same date written two ways): R1, the first, carries the
    // profile's keys. An operator splits R2 off to a person of its own; R1's person then loses
    // every fact. The candidates restore must still find R2 by the profile's keys.
    const who = { phone: '+8613800138000', given_name: 'Wei', surname: 'Wang' };
    const lines = [
      JSON.stringify({
        id: 'r1',
        source: 'pay',
        type: 'payment.completed',
        occurredAt: new Date(T0 + DAY).toISOString(),
        subject: { ...who, date_of_birth: '1949-12-31' },
        data: { amount: 10 },
      }),
      JSON.stringify({
        id: 'r2',
        source: 'pay',
        type: 'identity.verified',
        occurredAt: new Date(T0 + DAY).toISOString(),
        subject: { ...who, date_of_birth: '19491231' },
        data: { method: 'passport' },
      }),
    ];
    const later = JSON.stringify({
      id: 'r3',
      source: 'pay',
      type: 'payment.completed',
      occurredAt: new Date(T0 + 10 * DAY).toISOString(),
      subject: { given_name: 'Wei', surname: 'Wang', date_of_birth: '1949-12-31', postcode: '100000' },
      data: { amount: 10 },
    });
    const run = async (identity: IdentityResolverOptions) => {
      const { store, path } = await freshStore();
      await ingest(store, lines, 10, 0, identity);
      const db = new Database(path, { readonly: true });
      const records = db
        .prepare('SELECT seq, record_id, subject FROM identity_records ORDER BY seq')
        .all() as {
        seq: number;
        record_id: string;
        subject: string;
      }[];
      const keyed = (seq: number) =>
        db.prepare('SELECT count(*) FROM identity_keys WHERE seq = ?').pluck().get(seq);
      expect(records.length).toBe(2);
      expect(records[0]?.subject).toBe(records[1]?.subject);
      expect(keyed(records[1]?.seq as number)).toBe(0);
      db.close();
      await splitRecords(store, programs, [records[1]?.record_id as string], 'test');
      await store.close();
      const r = purgeExpiredFacts(path, [{ type: 'payment.completed', before: T0 + 2 * DAY }]);
      expect(r.forgotten).toMatchObject({ people: 1, identityRecords: 1 });
      const after = new Database(path, { readonly: true });
      expect(
        after.prepare('SELECT count(*) FROM identity_keys WHERE seq = ?').pluck().get(records[1]?.seq),
      ).toBeGreaterThan(0);
      after.close();
      const again = await openSqliteStore(path);
      await ingest(again, [later], 10, 2, identity);
      await again.close();
      return dump(path);
    };
    const whole = await run({ candidates: 'never' });
    expect(await run({ candidates: 'always' })).toEqual(whole);
  });

  it('drops the operator state that names a forgotten person: the keys a split moved to them, the persons kept apart', async () => {
    const nid = id('11010519491231002');
    const who = { national_id: nid, given_name: 'Wei', surname: 'Wang' };
    const fact = (fid: string, dob: string, kept: boolean) =>
      JSON.stringify({
        id: fid,
        source: 'pay',
        type: kept ? 'identity.verified' : 'payment.completed',
        occurredAt: new Date(T0 + DAY).toISOString(),
        subject: { ...who, date_of_birth: dob },
        data: kept ? { method: 'passport' } : { amount: 10 },
      });
    const later = JSON.stringify({
      id: 'r3',
      source: 'pay',
      type: 'payment.completed',
      occurredAt: new Date(T0 + 10 * DAY).toISOString(),
      subject: { ...who, date_of_birth: '1949-12-31', postcode: '100000' },
      data: { amount: 10 },
    });
    const run = async (identity: IdentityResolverOptions) => {
      const { store, path } = await freshStore();
      // r1 stays (no retention); r2, one profile with r1, is split off and then loses its only fact.
      await ingest(store, [fact('r1', '1949-12-31', true), fact('r2', '19491231', false)], 10, 0, identity);
      const db = new Database(path, { readonly: true });
      const r2 = db
        .prepare('SELECT record_id FROM identity_records ORDER BY seq DESC LIMIT 1')
        .pluck()
        .get() as string;
      db.close();
      await splitRecords(store, programs, [r2], 'test');
      await store.close();
      const split = dump(path).state as { body: string }[];
      const b = new Database(path, { readonly: true });
      const moved = b
        .prepare('SELECT subject FROM identity_records WHERE record_id = ?')
        .pluck()
        .get(r2) as string;
      b.close();
      // The split wrote state naming the person split off (else this test would prove nothing).
      expect(split[0]?.body).toContain(moved);
      const r = purgeExpiredFacts(path, [{ type: 'payment.completed', before: T0 + 2 * DAY }]);
      expect(r.forgotten).toMatchObject({ people: 1, identityRecords: 1 });
      const state = dump(path).state as { body: string }[];
      expect(state[0]?.body).not.toContain(moved);
      const again = await openSqliteStore(path);
      await ingest(again, [later], 10, 2, identity);
      await again.close();
      return dump(path);
    };
    const whole = await run({ candidates: 'never' });
    expect(await run({ candidates: 'always' })).toEqual(whole);
  });

  it('a dry run forgets nothing and reports what the purge then forgets', async () => {
    const { store, path } = await freshStore();
    const who = { phone: '+8613800138000', given_name: 'Wei', surname: 'Wang' };
    await ingest(store, toLines([{ subject: who, day: 1, kept: false }], 0), 10);
    await store.close();
    const before = dump(path);
    const cut = [{ type: 'payment.completed', before: T0 + 2 * DAY }];
    const dry = purgeExpiredFacts(path, cut, true);
    expect(dump(path)).toEqual(before);
    expect(dry.forgotten).toEqual({ people: 1, identityRecords: 1, identifiers: 1, personTokens: 0 });
    expect(purgeExpiredFacts(path, cut)).toEqual(dry);
    expect(dump(path)).toMatchObject({ records: [], keys: [], identifiers: [] });
  });
});
