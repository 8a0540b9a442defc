import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CredenceError } from '../../core/errors/index.js';
import { residentIdCheckChar } from '../../identity/index.js';
import { behindWriter, writerFor } from '../../store/sqlite/write-behind.case.js';
import type { Store } from '../../store/store.js';
import { WriteBehindStore } from '../../store/write-behind.js';
import type { SourceLine } from '../jsonl-reader.js';
import { IngestPipeline } from '../pipeline.js';
import { rebuildDerived } from '../rebuild.js';
import { IdentityIngestPipeline, withIdentityWrites } from './identity-pipeline.js';
import { IdentityResolver, recordIdOf, subjectKey } from './identity-resolver.js';
import { INGEST_NOW, identityWorld } from './identity-world.case.js';

const { yaml, programs, freshStore, ingest } = identityWorld('credence-identity-');

/** Ingest as the CLI runs it: each batch committed on the writer thread while the next is judged. */
const ingestBehind = (store: Store, path: string, lines: readonly string[], batchSize: number, from = 0) =>
  behindWriter(store, path, (s) => ingest(s, lines, batchSize, from));

/** Every row identity resolution and scoring leave behind, ordered. */
function dump(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true });
  const q = (sql: string) => db.prepare(sql).all();
  try {
    return {
      subjects: q('SELECT * FROM subjects ORDER BY id'),
      identifiers: q('SELECT * FROM identifiers ORDER BY kind, value'),
      facts: q('SELECT source, id, subject FROM facts ORDER BY source, id'),
      records: q(
        'SELECT record_id, subject, decision, confidence, matched, body, link FROM identity_records ORDER BY seq',
      ),
      reviews: q('SELECT * FROM identity_reviews ORDER BY record_id'),
      decisions: q('SELECT * FROM identity_decisions ORDER BY seq'),
      moves: q('SELECT * FROM identity_moves'),
      ledger: q('SELECT * FROM ledger ORDER BY subject, program, fact_key, rule_id'),
      scores: q('SELECT * FROM scores ORDER BY subject, program'),
    };
  } finally {
    db.close();
  }
}

const id = (stem: string) => `${stem}${residentIdCheckChar(stem)}`;
// A small world of representations: one person sent several ways, a namesake with another
// valid ID, a masked court entry, a phone-only ride record, a second person.
const REPRESENTATIONS: Record<string, string>[] = [
  { national_id: id('11010519491231002'), given_name: 'Wei', surname: 'Wang' },
  { phone: '+8613800138000', full_name: '王伟', date_of_birth: '1949-12-31' },
  { phone: '+8613800138000', given_name: 'Wang', surname: 'Wei' },
  { account: 'food:ww', given_name: 'Wei', surname: 'Wnag', date_of_birth: '19491231' },
  { national_id: id('31011519491231005'), given_name: 'Wei', surname: 'Wang', date_of_birth: '1949-12-31' },
  { national_id: '1101051949****002X', full_name: '王伟' },
  { phone: '+8613912345678', given_name: 'Na', surname: 'Li' },
  { national_id: id('44030119850615123'), given_name: 'Na', surname: 'Li', phone: '+8613912345678' },
  // Bridges the phone-only record and the ID holder: merges two persons during ingest.
  { national_id: id('11010519491231002'), phone: '+8613800138000', given_name: 'Wei', surname: 'Wang' },
];

const lineArb = fc.record({
  who: fc.nat({ max: REPRESENTATIONS.length - 1 }),
  day: fc.nat({ max: 60 }),
  amount: fc.integer({ min: 1, max: 300 }),
});

function toLines(items: { who: number; day: number; amount: number }[]): string[] {
  return items.map((x, i) =>
    JSON.stringify({
      id: `f${i}`,
      source: 'pay',
      type: 'payment.completed',
      occurredAt: new Date(Date.UTC(2026, 0, 1) + x.day * 86_400_000).toISOString(),
      subject: REPRESENTATIONS[x.who],
      data: { amount: x.amount },
    }),
  );
}

describe('identity resolution behind ingest', () => {
  it('names a representation the same way whatever the key order or padding', () => {
    const a = { surname: 'Wang', phone: ' +8613800138000 ' };
    const b = { phone: '+8613800138000', surname: 'Wang' };
    expect(subjectKey(a)).toBe(subjectKey(b));
    expect(recordIdOf(a)).toBe(recordIdOf(b));
    expect(recordIdOf(a)).not.toBe(recordIdOf({ ...b, given_name: 'Wei' }));
  });

  it('gives the same database for any batch size, and when a run stops and a second run resumes (restored once); committing one batch behind on a writer thread changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineArb, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 7 }),
        fc.nat(),
        async (items, batch, cut) => {
          const lines = toLines(items);
          const one = await freshStore();
          await ingest(one.store, lines, 1000);
          const two = await freshStore();
          const at = cut % (lines.length + 1);
          await ingestBehind(two.store, two.path, lines.slice(0, at), batch);
          await ingestBehind(two.store, two.path, lines.slice(at), batch, at);
          await one.store.close();
          await two.store.close();
          expect(dump(two.path)).toEqual(dump(one.path));
        },
      ),
      { numRuns: 25 },
    );
    // Each case starts two writer threads and three pipelines on two fresh SQLite files: about
    // 0.2 s on a quiet machine, up to 3.9 s measured beside other test processes (load 7 to 12 on
    // two cores). The 25 cases took 5 s or ran past the suite's 60 s default and failed as timed
    // out, passing on re-run: the flake. A bound set by the work, not by the machine's load.
    // The other way it fails and then passes, seen 3 times in about 2,500 cases while others
    // rebuilt: the writer thread runs the build's copy in dist/ (workers cannot load .ts), so
    // `npm run build` rewriting dist/ during the run fails a case (a SyntaxError from a module
    // half written; "writer thread stopped (exit 0)", most likely a script read while empty).
    // No database ever differed: build first, then run.
  }, 300_000);

  it('a batch that fails on the writer thread stops the run; running again on the same pipeline gives the database of an uninterrupted run', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineArb, { minLength: 2, maxLength: 30 }),
        fc.integer({ min: 1, max: 5 }),
        fc.nat(),
        async (items, batch, failAt) => {
          const lines = toLines(items);
          const one = await freshStore();
          await ingest(one.store, lines, 1000);
          await one.store.close();

          const two = await freshStore();
          const writer = writerFor(two.path);
          // The writer refuses one batch, as a full disk would; the others are really written.
          const batches = Math.ceil(lines.length / batch);
          const refuse = failAt % batches;
          let seen = 0;
          const behind = new WriteBehindStore(two.store, {
            commit: (b) =>
              seen++ === refuse
                ? Promise.reject(new CredenceError('CREDENCE_E_DB', 'disk full'))
                : writer.commit(b),
            close: () => writer.close(),
          });
          const p = new IdentityIngestPipeline(behind, programs, { now: () => INGEST_NOW, batchSize: batch });
          const numbered: SourceLine[] = lines.map((text, i) => ({ file: 'f', line: i + 1, text }));
          const run = () =>
            p.ingest(
              (async function* () {
                yield { lines: numbered, bytes: 0 };
              })(),
            );
          await expect(run()).rejects.toThrow('disk full');
          await run();
          await behind.close();
          expect(dump(two.path)).toEqual(dump(one.path));
        },
      ),
      { numRuns: 15 },
    );
    // A writer thread per case, as above.
  }, 300_000);

  it('never puts facts of two valid resident IDs on one person, and rebuild changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(lineArb, { minLength: 1, maxLength: 30 }), async (items) => {
        const { store, path } = await freshStore();
        await ingest(store, toLines(items), 4);
        const byPerson = new Map<string, Set<string>>();
        for (const f of dump(path).facts as { id: string; subject: string }[]) {
          const who = REPRESENTATIONS[(items[Number(f.id.slice(1))] as { who: number }).who] as Record<
            string,
            string
          >;
          const nid = who.national_id;
          if (!nid || nid.includes('*')) continue;
          const set = byPerson.get(f.subject) ?? new Set<string>();
          set.add(nid);
          byPerson.set(f.subject, set);
        }
        for (const ids of byPerson.values()) expect(ids.size).toBe(1);
        const before = dump(path);
        await rebuildDerived(store, programs);
        await store.close();
        expect(dump(path)).toEqual(before);
      }),
      { numRuns: 20 },
    );
  });

  it('restores the identity records only for a batch that has a subject to resolve', async () => {
    const { store, path } = await freshStore();
    await ingest(store, toLines([0, 6, 1].map((who, day) => ({ who, day, amount: 50 }))), 10);
    const people = [...new Set((dump(path).facts as { subject: string }[]).map((f) => f.subject))];
    let restores = 0;
    const counted = new Proxy(store, {
      get(target, prop) {
        if (prop === 'identityState' || prop === 'readIdentity') restores++;
        const v = Reflect.get(target, prop, target) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const byId = people.map((subjectId, i) =>
      JSON.stringify({
        id: `k${i}`,
        source: 'pay',
        type: 'payment.completed',
        occurredAt: '2026-03-01T00:00:00Z',
        subject: { subjectId },
        data: { amount: 20 },
      }),
    );
    await ingest(counted, byId, 10, 100);
    expect(restores).toBe(0);
    const after = dump(path);
    for (const [i, subjectId] of people.entries()) {
      expect(after.facts).toContainEqual({ source: 'pay', id: `k${i}`, subject: subjectId });
    }
    const subjectOf = (id: string): string | undefined =>
      (dump(path).facts as { id: string; subject: string }[]).find((f) => f.id === id)?.subject;
    // A representation already linked: found by its record id, still no restore.
    const seen = toLines([{ who: 0, day: 70, amount: 5 }]).map((l) => l.replace('"f0"', '"m0"'));
    await ingest(counted, seen, 10, 200);
    expect(restores).toBe(0);
    expect(subjectOf('m0')).toBe(subjectOf('f0'));
    // A representation never seen: the records are read once, and the engine links it.
    const fresh = toLines([{ who: 8, day: 71, amount: 5 }]).map((l) => l.replace('"f0"', '"m1"'));
    await ingest(counted, fresh, 10, 300);
    expect(restores).toBe(1);
    expect(subjectOf('m1')).toBe(subjectOf('f0'));
    await store.close();
  });

  it('sends the masked-ID entry to review and never links it automatically', async () => {
    const { store, path } = await freshStore();
    await ingest(store, toLines([0, 1, 5, 0, 5].map((who, day) => ({ who, day, amount: 50 }))), 2);
    await store.close();
    const d = dump(path);
    const facts = d.facts as { id: string; subject: string }[];
    const masked = facts.filter((f) => f.id === 'f2' || f.id === 'f4').map((f) => f.subject);
    expect(new Set(masked).size).toBe(1);
    expect(masked[0]).not.toBe(facts.find((f) => f.id === 'f0')?.subject);
    expect(d.reviews).toHaveLength(1);
  });

  it('a record bridging two persons merges them: facts move to the survivor, the move is settled', async () => {
    const { store, path } = await freshStore();
    // The phone-only record (swapped name order), the ID holder, then a record with both.
    const lines = toLines([2, 0, 2, 8].map((who, day) => ({ who, day, amount: 50 })));
    await ingest(store, lines.slice(0, 2), 1);
    const before = dump(path).facts as { subject: string }[];
    await ingest(store, lines.slice(2), 1, 2);
    await store.close();
    const d = dump(path);
    const subjects = new Set((d.facts as { subject: string }[]).map((f) => f.subject));
    expect(before[0]?.subject).not.toBe(before[1]?.subject);
    expect((d.decisions as { body: string }[]).map((x) => JSON.parse(x.body).kind)).toContain('merge');
    expect(subjects.size).toBe(1);
    expect(d.moves).toEqual([]);
    expect(new Set((d.scores as { subject: string }[]).map((s) => s.subject))).toEqual(subjects);
  });

  it('a run killed after a merging batch but before settling: rebuild (or the next run) settles it to the same database', async () => {
    const lines = toLines([2, 0, 2, 8, 0].map((who, day) => ({ who, day, amount: 50 })));
    const whole = await freshStore();
    await ingest(whole.store, lines, 2);
    await whole.store.close();

    const killed = await freshStore();
    // The batches commit with their identity rows, but the process dies before the settle.
    const resolver = new IdentityResolver(killed.store);
    const bare = new IngestPipeline(withIdentityWrites(killed.store, resolver), programs, resolver, {
      now: () => INGEST_NOW,
      batchSize: 2,
    });
    await bare.ingest(
      (async function* () {
        yield { lines: lines.map((text, i) => ({ file: 'f', line: i + 1, text })), bytes: 0 };
      })(),
    );
    expect((await killed.store.identityState()).moves.length).toBeGreaterThan(0);
    await rebuildDerived(killed.store, programs);
    await killed.store.close();
    const b = dump(killed.path);
    expect(b.moves).toEqual([]);
    expect(b).toEqual(dump(whole.path));
  });
});
