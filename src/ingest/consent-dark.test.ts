import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { compileRulebook } from '../core/rulebook/compile.js';
import { scorePerson } from '../core/scoring/index.js';
import { openSqliteStore } from '../store/sqlite/index.js';
import type { SourceLine } from './jsonl-reader.js';
import { toScoringFact } from './person-cache.js';
import { IngestPipeline } from './pipeline.js';
import { ProgramSet } from './program-set.js';
import { ExactResolver } from './resolve/index.js';

// The hard line through ingest (docs/policy.md §3): facts that occurred while a person was opted
// out get no ledger line and no share in the cached score, not even once they opt in again, and
// whatever order the lines arrive in.

const YAML = `program: shop
name: Shop
enrollment: opt-out
scale: { min: 0, max: 2000, base: 1000 }
tiers: [{ id: A, min: 1000 }, { id: B, min: 0 }]
events:
  shop.buy: { category: commerce, fields: { amount: number } }
rules:
  - { id: buy, on: shop.buy, points: 7, reason: { code: B1, text: Purchases } }
`;
const rb = compileRulebook(YAML);
const dir = mkdtempSync(join(tmpdir(), 'credence-dark-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const subject = { phone: '+8613800138000' };
const buy = (id: string, at: string) =>
  JSON.stringify({ id, source: 's', type: 'shop.buy', occurredAt: at, subject, data: { amount: 1 } });
const consent = (id: string, type: string, at: string) =>
  JSON.stringify({ id, source: 'portal', type, occurredAt: at, subject, data: { program: 'shop' } });

const LINES = [
  buy('before', '2026-01-05T00:00:00Z'),
  consent('out', 'credence.opt_out', '2026-02-01T00:00:00Z'),
  buy('dark1', '2026-02-10T00:00:00Z'),
  consent('in', 'credence.opt_in', '2026-03-01T00:00:00Z'),
  buy('after', '2026-03-10T00:00:00Z'),
  // Sent late: it occurred while they were out.
  buy('dark2', '2026-02-20T00:00:00Z'),
];

describe('ingest: no score accumulates in the dark', () => {
  for (const [name, lines] of [
    ['in order', LINES],
    ['reversed', [...LINES].reverse()],
  ] as const) {
    it(`keeps facts from while the person was out out of the ledger and the cached score (${name})`, async () => {
      const path = join(dir, `${name}.db`);
      const store = await openSqliteStore(path, { create: true });
      await store.migrate();
      await store.addRulebook({ program: 'shop', name: 'Shop', yaml: YAML, effectiveFrom: 0, loadedAt: 0 });
      const p = new IngestPipeline(store, new ProgramSet([rb]), new ExactResolver(store), {
        // After every fact here (a fact dated ahead of the ingest clock is refused).
        now: () => Date.parse('2026-04-01T00:00:00Z'),
        batchSize: 2,
      });
      const numbered: SourceLine[] = lines.map((text, i) => ({ file: 'f', line: i + 1, text }));
      await p.ingest(
        (async function* () {
          yield { lines: numbered, bytes: 0 };
        })(),
      );
      expect(p.counts.rejected).toBe(0);
      const db = new Database(path, { readonly: true });
      const ledger = db.prepare('SELECT fact_key FROM ledger').all() as { fact_key: string }[];
      db.close();
      expect(ledger.map((r) => r.fact_key)).toEqual(['s/after']);
      const stored = (await store.personFacts(['P0000001'])).get('P0000001') ?? [];
      const facts = stored.filter((f) => f.type === 'shop.buy').map(toScoringFact);
      const history = [
        { action: 'opt-out' as const, at: Date.parse('2026-02-01T00:00:00Z') },
        { action: 'opt-in' as const, at: Date.parse('2026-03-01T00:00:00Z') },
      ];
      const [row] = await store.cachedScores('P0000001');
      const asOf = Date.parse('2026-03-10T00:00:00Z');
      const lit = facts.filter((f) => f.key === 's/after');
      const want = scorePerson(rb, lit, asOf, history);
      expect(want).toMatchObject({ status: 'scored', factsCounted: 1 });
      expect(row).toMatchObject({ asOf, score: want.status === 'scored' ? want.score : null });
      await store.close();
    });
  }
});
