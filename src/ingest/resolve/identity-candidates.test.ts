import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../identity/index.js';
import { openSqliteStore } from '../../store/sqlite/index.js';
import { behindWriter } from '../../store/sqlite/write-behind.case.js';
import type { Store } from '../../store/store.js';
import { splitRecords } from './identity-ops.js';
import type { IdentityResolverOptions } from './identity-resolver.js';
import { identityWorld } from './identity-world.case.js';

// An engine restored from a batch's candidates only (`candidates: 'always'`) must decide as one
// restored from every record (`'never'`): same persons, links, evidence, reviews, merges and
// index rows, for any data, batch size, run boundary and operator split in between.

const { programs, freshStore, ingest } = identityWorld('credence-candidates-');

function dump(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true });
  const q = (sql: string) => db.prepare(sql).all();
  try {
    return {
      subjects: q('SELECT * FROM subjects ORDER BY id'),
      identifiers: q('SELECT * FROM identifiers ORDER BY kind, value'),
      facts: q('SELECT source, id, subject FROM facts ORDER BY source, id'),
      records: q('SELECT * FROM identity_records ORDER BY seq'),
      keys: q('SELECT * FROM identity_keys ORDER BY key, seq'),
      reviews: q('SELECT * FROM identity_reviews ORDER BY record_id'),
      decisions: q('SELECT * FROM identity_decisions ORDER BY seq'),
      state: q('SELECT * FROM identity_state'),
      moves: q('SELECT * FROM identity_moves'),
      scores: q('SELECT * FROM scores ORDER BY subject, program'),
    };
  } finally {
    db.close();
  }
}

const id = (stem: string) => `${stem}${residentIdCheckChar(stem)}`;
// ICAO's specimen passport (a valid MRZ): its holder's phone, on the same record, is KYC-bound.
const MRZ = 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10';
// Few values per field, so representations collide on names, birth dates, phones and IDs:
// blocks overflow their limit, strong keys are claimed twice, records bridge persons.
const pick = <T>(xs: readonly T[]) => fc.option(fc.constantFrom(...xs), { nil: undefined });
const representation = fc
  .record({
    given_name: pick(['Wei', 'Na', 'Lei', 'Wie']),
    surname: pick(['Wang', 'Li']),
    date_of_birth: pick(['1949-12-31', '1985-06-15', '1990-01-02']),
    phone: pick(['+8613800138000', '+8613912345678', '+8613711112222']),
    national_id: pick([
      id('11010519491231002'),
      id('44030119850615123'),
      id('31011519491231005'),
      '1101051949****002X',
    ]),
    account: pick(['food:ww', 'food:ln']),
    postcode: pick(['100000', '200000']),
    // The strong keys the others do not spell: a passport (`p:`), and a KYC document whose phone
    // becomes a strong key (`k:`, the one key with an index row of its own), so records meet a
    // person only through the first claim of such a key.
    passport_number: pick(['E12345678', 'E87654321']),
    mrz: pick([MRZ]),
  })
  .map((r) => {
    const out = Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Record<
      string,
      string
    >;
    if (out.passport_number) out.passport_country = 'CHN';
    return out;
  })
  .filter((r) => Object.keys(r).length > 0);

const line = fc.record({
  subject: representation,
  day: fc.nat({ max: 60 }),
  amount: fc.integer({ min: 1, max: 300 }),
});

const toLines = (items: { subject: Record<string, string>; day: number; amount: number }[]) =>
  items.map((x, i) =>
    JSON.stringify({
      id: `f${i}`,
      source: 'pay',
      type: 'payment.completed',
      occurredAt: new Date(Date.UTC(2026, 0, 1) + x.day * 86_400_000).toISOString(),
      subject: x.subject,
      data: { amount: x.amount },
    }),
  );

/** The newest record of the person with the most records, split off (deterministic for equal databases). */
async function splitOne(store: Store, path: string): Promise<void> {
  const db = new Database(path, { readonly: true });
  const row = db
    .prepare(
      `SELECT subject, max(seq) AS seq FROM identity_records GROUP BY subject
       HAVING count(*) > 1 ORDER BY count(*) DESC, subject LIMIT 1`,
    )
    .get() as { subject: string; seq: number } | undefined;
  const rid = row
    ? (db.prepare('SELECT record_id FROM identity_records WHERE seq = ?').pluck().get(row.seq) as string)
    : undefined;
  db.close();
  if (rid) await splitRecords(store, programs, [rid], 'test');
}

describe('resolving a batch from its candidates only', () => {
  it('gives the database a whole restore gives, for any data, batch size, run boundary and operator split, and with the engine bounded in memory', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 9 }),
        fc.nat(),
        fc.boolean(),
        fc.nat({ max: 20 }),
        async (items, batch, cut, split, maxRecords) => {
          const lines = toLines(items);
          const at = cut % (lines.length + 1);
          const run = async (identity: IdentityResolverOptions, behind: boolean) => {
            const { store, path } = await freshStore();
            const go = (part: readonly string[], from: number) =>
              behind
                ? behindWriter(store, path, (s) => ingest(s, part, batch, from, identity))
                : ingest(store, part, batch, from, identity);
            await go(lines.slice(0, at), 0);
            if (split) await splitOne(store, path);
            await go(lines.slice(at), at);
            await store.close();
            return dump(path);
          };
          const whole = await run({ candidates: 'never', blockLimit: 3 }, false);
          const candidates = await run({ candidates: 'always', blockLimit: 3 }, true);
          expect(candidates).toEqual(whole);
          // A run whose engine outgrows its bound reads every later batch's candidates.
          const bounded = await run({ maxRecords, blockLimit: 3 }, true);
          expect(bounded).toEqual(whole);
        },
      ),
      { numRuns: 60 },
    );
  }, 300_000);

  it('indexes the records of a database from before the index as ingest would have (migration 4)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 40 }), async (items) => {
        const { store, path } = await freshStore();
        await ingest(store, toLines(items), 7, 0, { candidates: 'never' });
        await store.close();
        const indexed = dump(path);
        const db = new Database(path);
        // Back to migration 3: without migration 4's index and migration 5's seals.
        db.exec(`DROP INDEX identity_records_sig;
          ALTER TABLE identity_records DROP COLUMN sig;
          DROP TABLE identity_keys;
          DROP TABLE fact_seal; DROP TABLE seal_checkpoints; DROP TABLE program_seal; DROP TABLE table_seals;
          PRAGMA user_version = 3;`);
        db.close();
        const old = await openSqliteStore(path);
        expect(await old.isInitialised()).toBe(false);
        await old.migrate();
        expect(await old.identityIndexStatus()).toMatchObject({ indexed: true });
        await old.close();
        expect(dump(path)).toEqual(indexed);
      }),
      { numRuns: 20 },
    );
  });

  it('auto reads candidates for a few new representations against many stored, and restores everyone for many', async () => {
    const { store, path } = await freshStore();
    const person = (i: number) => ({
      phone: `+86139${String(10_000_000 + i).slice(1)}`,
      given_name: ['Wei', 'Na', 'Lei'][i % 3] as string,
      surname: 'Wang',
    });
    const lines = (from: number, count: number) =>
      toLines(
        Array.from({ length: count }, (_, k) => ({ subject: person(from + k), day: k % 30, amount: 1 })),
      );
    await ingest(store, lines(0, 300), 100, 0, { candidates: 'never' });
    const calls = { candidates: 0, whole: 0 };
    const watched = new Proxy(store, {
      get(target, prop) {
        if (prop === 'readIdentityCandidates') calls.candidates++;
        if (prop === 'readIdentity') calls.whole++;
        const v = Reflect.get(target, prop, target) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    // Fact ids go on from the first run's, so each line is a new fact.
    const more = (from: number, count: number) =>
      lines(from, count).map((l, k) => l.replace(/"id":"f\d+"/, `"id":"g${from + k}"`));
    await ingest(watched, more(300, 2), 100, 300, {});
    expect(calls).toEqual({ candidates: 1, whole: 0 });
    await ingest(watched, more(400, 150), 200, 400, {});
    expect(calls).toEqual({ candidates: 1, whole: 1 });
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM identity_records').pluck().get()).toBe(452);
    db.close();
  });

  it('an engine bounded in memory is let go once it holds more records, and later batches read their candidates', async () => {
    const { store } = await freshStore();
    const calls = { candidates: 0, whole: 0 };
    const watched = new Proxy(store, {
      get(target, prop) {
        if (prop === 'readIdentityCandidates') calls.candidates++;
        if (prop === 'readIdentity') calls.whole++;
        const v = Reflect.get(target, prop, target) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const lines = toLines(
      Array.from({ length: 300 }, (_, i) => ({
        subject: { phone: `+86137${String(10_000_000 + i).slice(1)}`, surname: 'Li' },
        day: i % 30,
        amount: 1,
      })),
    );
    await ingest(watched, lines, 100, 0, { maxRecords: 50 });
    // The first batch restores the (empty) store and outgrows the bound; the next two read candidates.
    expect(calls).toEqual({ candidates: 2, whole: 1 });
    await store.close();
  });
});
