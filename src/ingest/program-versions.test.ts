import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { compileRulebook } from '../core/rulebook/compile.js';
import { rulebookAt } from '../core/rulebook/versions.js';
import { scorePerson } from '../core/scoring/index.js';
import { openSqliteStore } from '../store/sqlite/index.js';
import type { Store } from '../store/store.js';
import type { SourceLine } from './jsonl-reader.js';
import { toScoringFact } from './person-cache.js';
import { IngestPipeline } from './pipeline.js';
import { ProgramSet } from './program-set.js';
import { rebuildDerived } from './rebuild.js';
import { ExactResolver } from './resolve/index.js';

// docs/rulebook.md, "Versions": a version applies from its effectiveFrom; a fact is scored under
// the version in force at the as-of asked. So ingest must not judge facts, nor cache scores, under
// a version that is not yet in force (the QA report: v2 from 2027 drops `shop.buy`, which v1, in
// force now, declares; a `shop.buy` sent now was refused as CREDENCE_E_FACT_UNKNOWN_TYPE).

const head = (effectiveFrom?: string) =>
  `program: shop\nname: Shop\n${effectiveFrom ? `effectiveFrom: ${effectiveFrom}\n` : ''}enrollment: opt-out\nscale: { min: 0, max: 2000, base: 1000 }\ntiers: [{ id: A, min: 1000 }, { id: B, min: 0 }]\n`;
const V1 = `${head()}events:
  shop.buy: { category: commerce, fields: { amount: number } }
  shop.visit: { category: platform-activity, fields: { pages: number } }
rules:
  - { id: buy, on: shop.buy, points: 7, reason: { code: B1, text: Purchases } }
  - { id: visit, on: shop.visit, points: 1, reason: { code: V1, text: Visits } }
`;
const V2 = `${head('2027-01-01T00:00:00Z')}events:
  shop.visit: { category: platform-activity, fields: { pages: number } }
  shop.review: { category: commerce, fields: { stars: number } }
rules:
  - { id: visit, on: shop.visit, points: 2, reason: { code: V1, text: Visits } }
  - { id: review, on: shop.review, points: 1, reason: { code: R1, text: Reviews } }
`;

const dir = mkdtempSync(join(tmpdir(), 'credence-versions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function world(): Promise<{ store: Store; path: string; programs: ProgramSet }> {
  const path = join(dir, `v${n++}.db`);
  const store = await openSqliteStore(path, { create: true });
  await store.migrate();
  await store.addRulebook({ program: 'shop', name: 'Shop', yaml: V1, effectiveFrom: 0, loadedAt: 0 });
  await store.addRulebook({
    program: 'shop',
    name: 'Shop',
    yaml: V2,
    effectiveFrom: Date.parse('2027-01-01T00:00:00Z'),
    loadedAt: 0,
  });
  return { store, path, programs: ProgramSet.fromStored(await store.allRulebooks()) };
}

const fact = (id: string, type: string, at: string, data: Record<string, number>) =>
  JSON.stringify({ id, source: 's', type, occurredAt: at, subject: { phone: '+8613800138000' }, data });
async function ingest(
  store: Store,
  programs: ProgramSet,
  now: string,
  lines: readonly string[],
  batchSize = 5000,
) {
  const p = new IngestPipeline(store, programs, new ExactResolver(store), {
    now: () => Date.parse(now),
    batchSize,
  });
  const refused: { line: number; code: string }[] = [];
  const numbered: SourceLine[] = lines.map((text, i) => ({ file: 'f', line: i + 1, text }));
  await p.ingest(
    (async function* () {
      yield { lines: numbered, bytes: 0 };
    })(),
    { rejected: (r) => refused.push({ line: r.line, code: r.code }) },
  );
  return { counts: p.counts, refused };
}

function derived(path: string): unknown {
  const db = new Database(path, { readonly: true });
  try {
    return {
      ledger: db.prepare('SELECT * FROM ledger ORDER BY subject, program, fact_key, rule_id').all(),
      scores: db.prepare('SELECT * FROM scores ORDER BY subject, program').all(),
    };
  } finally {
    db.close();
  }
}

describe('ingest under rulebook versions', () => {
  it('accepts a fact of a type the version in force declares, though a future version drops it', async () => {
    const { store, programs } = await world();
    const { counts, refused } = await ingest(store, programs, '2026-06-01T00:00:00Z', [
      fact('b1', 'shop.buy', '2026-03-01T00:00:00Z', { amount: 20 }),
      fact('v1', 'shop.visit', '2026-03-02T00:00:00Z', { pages: 3 }),
      // A type only the future version declares: it counts once that version is in force.
      fact('r1', 'shop.review', '2026-03-03T00:00:00Z', { stars: 5 }),
    ]);
    expect(refused).toEqual([]);
    expect(counts.accepted).toBe(3);
    await store.close();
  });

  it('refuses a type no version in force at its occurredAt, or now, declares', async () => {
    const { store, programs } = await world();
    const { refused } = await ingest(store, programs, '2027-06-01T00:00:00Z', [
      fact('b1', 'shop.buy', '2026-03-01T00:00:00Z', { amount: 20 }),
      fact('b2', 'shop.buy', '2027-03-01T00:00:00Z', { amount: 20 }),
    ]);
    // b1 occurred under v1 (which scores it for as-ofs before 2027); b2 under v2, which has no such type.
    expect(refused).toEqual([{ line: 2, code: 'CREDENCE_E_FACT_UNKNOWN_TYPE' }]);
    await store.close();
  });

  it('caches each score under the version in force at its as-of, as a rebuild does', async () => {
    const { store, path, programs } = await world();
    await ingest(store, programs, '2026-06-01T00:00:00Z', [
      fact('b1', 'shop.buy', '2026-03-01T00:00:00Z', { amount: 20 }),
      fact('v1', 'shop.visit', '2026-03-02T00:00:00Z', { pages: 3 }),
    ]);
    const stored = (await store.personFacts(['P0000001'])).get('P0000001') ?? [];
    const facts = stored.map(toScoringFact);
    const [row] = await store.cachedScores('P0000001');
    const asOf = Math.max(...facts.map((f) => f.at));
    const inForce = programs.at('shop', asOf);
    expect(inForce?.version).toBe(1);
    expect(row).toMatchObject({ program: 'shop', version: inForce?.version, asOf });
    const want = scorePerson(inForce!, facts, asOf, []);
    expect(want.status).toBe('scored');
    expect(row?.score).toBe(want.status === 'scored' ? want.score : null);
    const before = derived(path);
    await rebuildDerived(store, programs);
    expect(derived(path)).toEqual(before);
    await store.close();
  });
});

describe('ingest under rulebook versions, any order', () => {
  const arbLines = fc.uniqueArray(
    fc.record({
      id: fc.integer({ min: 0, max: 40 }),
      type: fc.constantFrom('shop.buy', 'shop.visit', 'shop.review'),
      month: fc.integer({ min: 0, max: 35 }),
    }),
    { selector: (f) => f.id, minLength: 1, maxLength: 12 },
  );
  it('any arrival order and batch size stores what in-order ingest and a rebuild store', async () => {
    await fc.assert(
      fc.asyncProperty(arbLines, fc.integer({ min: 1, max: 5 }), fc.nat(), async (spec, batchSize, seed) => {
        const lines = spec.map(({ id, type, month }) => {
          const at = new Date(Date.UTC(2026, month, 1)).toISOString();
          const data: Record<string, number> =
            type === 'shop.buy' ? { amount: 1 } : type === 'shop.visit' ? { pages: 2 } : { stars: 3 };
          return fact(`f${id}`, type, at, data);
        });
        const shuffled = fc.sample(fc.shuffledSubarray(lines, { minLength: lines.length }), {
          seed,
          numRuns: 1,
        })[0]!;
        const a = await world();
        const b = await world();
        const now = '2026-06-01T00:00:00Z';
        const ra = await ingest(a.store, a.programs, now, lines);
        const rb = await ingest(b.store, b.programs, now, shuffled, batchSize);
        expect(rb.counts.accepted).toBe(ra.counts.accepted);
        expect(derived(b.path)).toEqual(derived(a.path));
        await rebuildDerived(a.store, a.programs);
        expect(derived(a.path)).toEqual(derived(b.path));
        await a.store.close();
        await b.store.close();
      }),
      { numRuns: 15 },
    );
  });
});

// The versions that may score a fact: those in force at some as-of at or after it occurred (a
// fact counts for every as-of from its occurredAt on), and the one in force now.
const arbVersions = fc
  .uniqueArray(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 })
  .chain((nums) =>
    fc.tuple(
      ...nums.map((version) =>
        fc.record({
          version: fc.constant(version),
          effectiveFrom: fc.constantFrom(0, 10, 20, 30),
          types: fc.subarray(['a.x', 'b.x', 'c.x'], { minLength: 1 }),
        }),
      ),
    ),
  );

function book(version: number, effectiveFrom: number, types: readonly string[]) {
  const rb = compileRulebook(
    `${head()}events:\n${types.map((t) => `  ${t}: { category: commerce, fields: { ${t[0]}: number } }\n`).join('')}`,
  );
  return { ...rb, version, effectiveFrom };
}

describe('ProgramSet.catalogAt', () => {
  it('declares a type when a version in force at some as-of from the fact on, or now, declares it', () => {
    fc.assert(
      fc.property(
        arbVersions,
        fc.integer({ min: -5, max: 40 }),
        fc.integer({ min: -5, max: 40 }),
        (versions, at, now) => {
          const books = versions.map((v) => book(v.version, v.effectiveFrom, v.types));
          const set = new ProgramSet(books);
          const catalog = set.catalogAt(at, now);
          // Brute force over every as-of that matters (instants are whole numbers here).
          const scoring = new Set(
            [now, ...Array.from({ length: 50 }, (_, i) => at + i)].map((t) => rulebookAt(books, t)),
          );
          for (const type of ['a.x', 'b.x', 'c.x']) {
            const declaring = [...scoring].filter((rb) => rb?.events[type] !== undefined);
            const use = catalog.types.get(type);
            expect(use !== undefined).toBe(declaring.length > 0);
            if (use) {
              expect(use.programs).toEqual(['shop']);
              // The fields every such version needs are required.
              const fields = new Set(use.fields.flatMap((d) => Object.keys(d.fields)));
              expect(fields).toEqual(new Set([type[0]]));
            }
          }
          expect([...catalog.programs]).toEqual(['shop']);
        },
      ),
    );
  });
});
