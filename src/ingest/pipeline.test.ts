import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { compileRulebook } from '../core/rulebook/index.js';
import { openSqliteStore } from '../store/sqlite/index.js';
import { behindWriter } from '../store/sqlite/write-behind.case.js';
import type { CommitBatch, Store } from '../store/store.js';
import type { SourceLine } from './jsonl-reader.js';
import { IngestPipeline } from './pipeline.js';
import { ProgramSet } from './program-set.js';
import { rebuildDerived } from './rebuild.js';
import { ExactResolver } from './resolve/index.js';

const dir = mkdtempSync(join(tmpdir(), 'credence-pipeline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const yaml = readFileSync(new URL('../../examples/programs/marketplace.yaml', import.meta.url), 'utf8');
const programs = new ProgramSet([compileRulebook(yaml, { file: 'marketplace.yaml' })]);
let n = 0;

async function freshStore(): Promise<{ store: Store; path: string }> {
  const path = join(dir, `t${n++}.db`);
  const store = await openSqliteStore(path, { create: true });
  await store.migrate();
  await store.addRulebook({ program: 'marketplace', name: 'm', yaml, effectiveFrom: 0, loadedAt: 0 });
  return { store, path };
}

async function ingest(store: Store, lines: readonly string[], batchSize: number): Promise<IngestPipeline> {
  const p = new IngestPipeline(store, programs, new ExactResolver(store), { now: () => NOW, batchSize });
  const numbered: SourceLine[] = lines.map((text, i) => ({ file: 'f', line: i + 1, text }));
  await p.ingest(
    (async function* () {
      yield { lines: numbered, bytes: 0 };
    })(),
  );
  return p;
}

/** Ingest as the CLI runs it: each batch committed on the writer thread while the next is judged. */
const ingestBehind = (store: Store, path: string, lines: readonly string[], batchSize: number) =>
  behindWriter(store, path, (s) => ingest(s, lines, batchSize));

function derived(path: string): unknown {
  const db = new Database(path, { readonly: true });
  try {
    return {
      ledger: db.prepare('SELECT * FROM ledger ORDER BY subject, program, fact_key, rule_id').all(),
      scores: db.prepare('SELECT * FROM scores ORDER BY subject, program').all(),
      consents: db.prepare('SELECT * FROM consents ORDER BY subject, program, fact_key').all(),
    };
  } finally {
    db.close();
  }
}

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (day: number): string => new Date(T0 + day * DAY).toISOString();
// The ingest clock: after every fact's date (day 301 at most), for a fact dated ahead is refused.
const NOW = Date.parse('2026-12-01T00:00:00Z');

const factArb = fc.record({
  subject: fc.constantFrom('s-a', 's-b', 's-c'),
  kind: fc.constantFrom('pay', 'pay', 'pay', 'default', 'settle', 'opt-out', 'opt-in'),
  day: fc.nat(300),
  amount: fc.integer({ min: 1, max: 500 }),
});

function toLine(f: { subject: string; kind: string; day: number; amount: number }, i: number): string {
  const base = { id: `f${i}`, occurredAt: iso(f.day), subject: { subjectId: f.subject } };
  switch (f.kind) {
    case 'pay':
      return JSON.stringify({
        ...base,
        source: 'pay',
        type: 'payment.completed',
        data: { amount: f.amount },
      });
    case 'default':
    case 'settle':
      return JSON.stringify({
        ...base,
        source: 'bank',
        type: f.kind === 'default' ? 'loan.defaulted' : 'loan.settled',
        data: { lender: 'b', loan: `l${f.amount % 3}`, amount: f.amount },
      });
    default:
      return JSON.stringify({
        ...base,
        source: 'portal',
        type: f.kind === 'opt-out' ? 'credence.opt_out' : 'credence.opt_in',
        data: { program: 'marketplace' },
      });
  }
}

describe('the ingest pipeline over a real SQLite file', () => {
  it('any arrival order and batch size gives the ledgers, consents and scores of in-order ingest and of a rebuild', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(factArb, { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(39), { maxLength: 5 }),
        fc.integer({ min: 1, max: 7 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        async (facts, retract, batch, random) => {
          const lines = facts.map(toLine);
          // An opt-out is never retracted (refused: test/e2e/ingest-line-safety.test.ts).
          const retractable = (i: number): boolean => i < facts.length && facts[i]?.kind !== 'opt-out';
          const retractions = [...new Set(retract.filter(retractable))].map((i) => {
            const target = JSON.parse(lines[i] as string) as { source: string; id: string };
            return JSON.stringify({
              id: `r${i}`,
              source: target.source,
              retracts: target.id,
              occurredAt: iso(301),
            });
          });
          const a = await freshStore();
          const pa = await ingest(a.store, [...lines, ...retractions], 1000);
          expect(pa.counts.rejected).toBe(0);
          const shuffled = [...lines].sort(() => (random.next().value as number) - 0.5);
          const b = await freshStore();
          // Committed one batch behind on the writer thread, as the CLI does.
          await ingestBehind(b.store, b.path, [...shuffled, ...retractions], batch);
          // Sent again: nothing changes.
          const again = await ingestBehind(b.store, b.path, [...lines, ...retractions], batch);
          expect(again.counts.duplicates).toBe(lines.length + retractions.length);
          await a.store.close();
          await b.store.close();
          const want = derived(a.path);
          expect(derived(b.path)).toEqual(want);
          const r = await openSqliteStore(b.path);
          await rebuildDerived(r, programs);
          await r.close();
          expect(derived(b.path)).toEqual(want);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('names each duplicate line, in the batch and across batches, and no other', async () => {
    const { store } = await freshStore();
    const p = new IngestPipeline(store, programs, new ExactResolver(store), { now: () => NOW });
    const pay = (id: string, amount: number): string =>
      JSON.stringify({
        id,
        source: 'pay',
        type: 'payment.completed',
        occurredAt: iso(1),
        subject: { subjectId: 's-a' },
        data: { amount },
      });
    const numbered = (texts: string[]): SourceLine[] =>
      texts.map((text, i) => ({ file: 'f', line: i + 1, text }));
    const run = async (texts: string[]) => {
      const seen: { duplicate: number[]; rejected: number[] } = { duplicate: [], rejected: [] };
      await p.ingestBatch(numbered(texts), {
        duplicate: (l) => seen.duplicate.push(l.line),
        rejected: (r) => seen.rejected.push(r.line),
      });
      return seen;
    };
    // Line 3 repeats line 1; line 4 reuses its id with another body (a conflict, not a duplicate).
    expect(await run([pay('a', 1), pay('b', 2), pay('a', 1), pay('a', 9)])).toEqual({
      duplicate: [3],
      rejected: [4],
    });
    expect(await run([pay('c', 3), pay('b', 2), pay('a', 1)])).toEqual({ duplicate: [2, 3], rejected: [] });
    await store.close();
  });

  it('a late fact rewrites only the ledger of the person it touches', async () => {
    const { store } = await freshStore();
    const lines = ['s-a', 's-b'].flatMap((s) =>
      [10, 20, 30].map((d) =>
        JSON.stringify({
          id: `${s}-${d}`,
          source: 'pay',
          type: 'payment.completed',
          occurredAt: iso(d),
          subject: { subjectId: s },
          data: { amount: 50 },
        }),
      ),
    );
    await ingest(store, lines, 100);
    const commits: CommitBatch[] = [];
    // The real store, with its commits recorded on the way through.
    const spy = new Proxy(store, {
      get(target, key) {
        if (key === 'commit') {
          return (b: CommitBatch) => {
            commits.push(b);
            return target.commit(b);
          };
        }
        const v = Reflect.get(target, key) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const late = JSON.stringify({
      id: 'late',
      source: 'pay',
      type: 'payment.completed',
      occurredAt: iso(5),
      subject: { subjectId: 's-a' },
      data: { amount: 50 },
    });
    await ingest(spy, [late], 100);
    expect(commits).toHaveLength(1);
    const touched = new Set([
      ...(commits[0]?.ledgerUpserts ?? []).map((l) => l.subject),
      ...(commits[0]?.ledgerDeletes ?? []).map((l) => l.subject),
      ...(commits[0]?.scores ?? []).map((s) => s.subject),
    ]);
    expect([...touched]).toEqual(['s-a']);
    await store.close();
  });
});
