import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { linkFromStore } from '../../cli/commands/identity.js';
import { formatResolution, type IdentityDecision, residentIdCheckChar } from '../../identity/index.js';
import { openSqliteStore } from '../../store/sqlite/index.js';
import type { Store } from '../../store/store.js';
import type { SourceLine } from '../jsonl-reader.js';
import { IdentityIngestPipeline } from './identity-pipeline.js';
import { type IdentityResolverOptions, recordIdOf } from './identity-resolver.js';
import { identityWorld } from './identity-world.case.js';

// A record carrying a strong key of person X (passport, account, KYC-bound phone) or an exact
// identifier of X (a phone), with a valid resident ID other than X's: two resident IDs are two
// people, so the record is not linked to X, and the refusal is on record (a `refused-merge`
// decision, the link's `refused`), whether the engine was restored whole or from the batch's
// candidates only. Real SQLite files, the ingest pipeline, two runs.

const { programs, freshStore } = identityWorld('credence-conflict-');
// The ingest clock, fixed: after every fact below, which are within their retention at it.
const NOW = Date.UTC(2026, 5, 1);

async function ingest(
  store: Store,
  subjects: Record<string, string>[],
  from: number,
  identity: IdentityResolverOptions,
) {
  const p = new IdentityIngestPipeline(store, programs, { now: () => NOW, batchSize: 50 }, identity);
  const lines: SourceLine[] = subjects.map((subject, i) => ({
    file: 'f',
    line: from + i + 1,
    text: JSON.stringify({
      id: `f${from + i}`,
      source: 'pay',
      type: 'payment.completed',
      occurredAt: new Date(Date.UTC(2026, 0, 1) + (from + i) * 86_400_000).toISOString(),
      subject,
      data: { amount: 20 },
    }),
  }));
  const rejected: unknown[] = [];
  await p.ingest(
    (async function* () {
      yield { lines, bytes: 0 };
    })(),
    { rejected: (r) => rejected.push(r) },
  );
  expect(rejected).toEqual([]);
}

const id = (stem: string) => `${stem}${residentIdCheckChar(stem)}`;
const ID_A = id('11010519491231002');
const ID_B = id('11010519491231004');
const ID_Y = id('32010519800101123');
// The ICAO specimen passport's holder (born 1974-08-12, female) and a resident ID that fits her.
const ID_KYC = id('11010519740812002');
const MRZ = 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10';
const HOME = { full_name: '王伟', address: '北京市朝阳区建国路88号' };

const shapes: {
  name: string;
  known: Record<string, string>[];
  record: Record<string, string>;
  key: string;
  outcome: 'new' | 'deterministic' | 'review';
}[] = [
  {
    name: "X's passport with a resident ID nobody holds",
    known: [{ national_id: ID_A, passport_number: 'E12345678', passport_country: 'CHN' }],
    record: { national_id: ID_B, passport_number: 'E12345678', passport_country: 'CHN' },
    key: 'passport',
    outcome: 'new',
  },
  {
    name: "X's account with Y's resident ID",
    known: [{ national_id: ID_A, account: 'shop:alice' }, { national_id: ID_Y }],
    record: { national_id: ID_Y, account: 'shop:alice' },
    key: 'account',
    outcome: 'deterministic',
  },
  {
    name: "X's KYC-bound phone with Y's resident ID",
    known: [{ national_id: ID_KYC, mrz: MRZ, phone: '+8613800138000' }, { national_id: ID_Y }],
    record: { national_id: ID_Y, phone: '+8613800138000' },
    key: 'KYC-bound phone',
    outcome: 'deterministic',
  },
  {
    // The model sends it to review (everything but the ID agrees); ingest's exact-phone link
    // then tried the review's `same` verdict, which was refused after it had been recorded.
    name: "X's phone (no KYC), name and address with another resident ID",
    known: [{ national_id: ID_A, phone: '+8613800138000', ...HOME }],
    record: { national_id: ID_B, phone: '+8613800138000', ...HOME },
    key: 'phone',
    outcome: 'review',
  },
];

function dump(path: string) {
  const db = new Database(path, { readonly: true });
  const q = (sql: string) => db.prepare(sql).all();
  try {
    return {
      facts: q('SELECT source, id, subject FROM facts ORDER BY source, id') as {
        id: string;
        subject: string;
      }[],
      records: q('SELECT * FROM identity_records ORDER BY seq'),
      reviews: q('SELECT * FROM identity_reviews ORDER BY record_id') as { record_id: string }[],
      decisions: (
        db.prepare('SELECT body FROM identity_decisions ORDER BY seq').pluck().all() as string[]
      ).map((b) => JSON.parse(b) as IdentityDecision),
      scores: q('SELECT * FROM scores ORDER BY subject, program'),
    };
  } finally {
    db.close();
  }
}

describe('ingest: a record naming a strong key or exact identifier of X with a resident ID other than X’s', () => {
  for (const shape of shapes) {
    it(`${shape.name}: not linked to X, refused on record, the same from candidates as from a whole restore`, async () => {
      const dumps = [];
      for (const candidates of ['never', 'always'] as const) {
        const { store, path } = await freshStore();
        await ingest(store, shape.known, 0, { candidates });
        await ingest(store, [shape.record], 10, { candidates });
        const d = dump(path);
        const x = d.facts.find((f) => f.id === 'f0')?.subject as string;
        const mine = d.facts.find((f) => f.id === 'f10')?.subject as string;
        expect(mine).not.toBe(x);
        if (shape.known.length > 1) {
          // Y's resident ID leads to Y.
          expect(mine).toBe(d.facts.find((f) => f.id === 'f1')?.subject);
        }
        const rid = recordIdOf(shape.record);
        const refusals = d.decisions.filter((x) => x.kind === 'refused-merge');
        expect(refusals).toEqual([
          expect.objectContaining({
            subjects: [mine, x],
            recordId: rid,
            reason: expect.stringContaining(shape.key),
          }),
        ]);
        // No verdict was recorded for a merge that did not happen.
        expect(d.decisions.filter((x) => x.kind !== 'refused-merge')).toEqual([]);
        expect(d.reviews.map((r) => r.record_id)).toEqual(shape.outcome === 'review' ? [rid] : []);
        // `credence explain-link` (from the store) shows the refusal, by record and by fact.
        const link = await linkFromStore(store, rid);
        expect([link?.decision, link?.refused]).toEqual([shape.outcome, [x]]);
        expect(formatResolution((await linkFromStore(store, 'pay/f10')) as never)).toContain(
          `kept apart (conflicting strong identifiers): ${x}`,
        );
        await store.close();
        dumps.push(d);
      }
      expect(dumps[1]).toEqual(dumps[0]);
    });
  }

  it('a later run restored from its candidates still refuses: X’s resident ID comes with X', async () => {
    // X's ID is on an older record than the one that claimed the account; many records of others
    // in between, so a candidates restore reads X only as a person met through the account.
    const others = Array.from({ length: 40 }, (_, i) => ({
      phone: `+86139${String(10_000_000 + i).slice(1)}`,
    }));
    const { store, path } = await freshStore();
    await ingest(
      store,
      [{ account: 'shop:alice' }, ...others, { account: 'shop:alice', national_id: ID_A }],
      0,
      {
        candidates: 'always',
      },
    );
    await ingest(store, [{ account: 'shop:alice', national_id: ID_B }], 100, { candidates: 'always' });
    await store.close();
    const d = dump(path);
    const x = d.facts.find((f) => f.id === 'f0')?.subject;
    expect(d.facts.find((f) => f.id === 'f41')?.subject).toBe(x);
    expect(d.facts.find((f) => f.id === 'f100')?.subject).not.toBe(x);
    expect(d.decisions.filter((x) => x.kind === 'refused-merge')).toHaveLength(1);
    const reopened = await openSqliteStore(path);
    expect((await linkFromStore(reopened, 'pay/f100'))?.refused).toEqual([x]);
    await reopened.close();
  });
});
