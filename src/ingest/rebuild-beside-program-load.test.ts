import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite/index.js';
import type { Store } from '../store/store.js';
import { IngestPipeline } from './pipeline.js';
import { ProgramSet } from './program-set.js';
import { rebuildCurrent } from './rebuild.js';
import { ExactResolver } from './resolve/index.js';
import { tableRows } from './table-rows.case.js';

const dir = mkdtempSync(join(tmpdir(), 'credence-rebuild-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const v1 = readFileSync(new URL('../../examples/programs/marketplace.yaml', import.meta.url), 'utf8');
// Version 2 gives a wallet payment 4 points, not 3: every ledger line of a payment moves.
const v2 = v1.replace(/(- id: wallet-payment\n\s+on: payment.completed\n.*\n\s+points:) 3\n/, '$1 4\n');
const NOW = Date.parse('2026-06-01T00:00:00Z');

const rows = tableRows;

const lines = ['s-a', 's-b', 's-c', 's-d'].flatMap((who) =>
  [1, 2, 3].map((d) =>
    JSON.stringify({
      id: `${who}-p${d}`,
      source: 'pay',
      type: 'payment.completed',
      occurredAt: `2026-0${d}-01T00:00:00Z`,
      subject: { subjectId: who },
      data: { amount: 40 },
    }),
  ),
);

/** A file with the four people's payments, scored under the versions given, in order. */
async function fileWith(path: string, versions: readonly string[]): Promise<Store> {
  const store = await openSqliteStore(path, { create: true });
  await store.migrate();
  for (const yaml of versions)
    await store.addRulebook({ program: 'marketplace', name: 'm', yaml, effectiveFrom: 0, loadedAt: 0 });
  const programs = ProgramSet.fromStored(await store.allRulebooks());
  const p = new IngestPipeline(store, programs, new ExactResolver(store), { now: () => NOW });
  await p.ingest(
    (async function* () {
      yield { lines: lines.map((text, i) => ({ file: 'f', line: i + 1, text })), bytes: 0 };
    })(),
  );
  return store;
}

// `credence program load` beside a running `credence rebuild` (another process; the rebuild holds
// the writer lock, a program load does not take it): the rebuild had read the programs at its
// start, so every page it wrote after the load was derived under the old version, over the
// load's own re-derivation. The file then held ledgers and cached scores that neither version
// gives, until someone ran `credence rebuild` again.
describe('credence rebuild beside a rulebook version loaded by another process', () => {
  it('ends with every ledger and cached score under the version in force, as a rebuild after the load would', async () => {
    expect(v2).not.toBe(v1);
    const wantPath = join(dir, 'want.db');
    const want = await fileWith(wantPath, [v1, v2]);
    await want.close();

    const path = join(dir, 'race.db');
    const store = await fileWith(path, [v1]);
    // After the rebuild's first page is stored, another process loads version 2.
    let commits = 0;
    const other = await openSqliteStore(path);
    const watched = new Proxy(store, {
      get(target, key, receiver) {
        if (key === 'commit')
          return async (b: Parameters<Store['commit']>[0]) => {
            const out = await target.commit(b);
            if (++commits === 1)
              await other.addRulebook({
                program: 'marketplace',
                name: 'm',
                yaml: v2,
                effectiveFrom: 0,
                loadedAt: 1,
              });
            return out;
          };
        const v = Reflect.get(target, key, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const r = await rebuildCurrent(watched, { pageSize: 1 });
    await other.close();
    await store.close();
    expect(r.people).toBe(4);
    expect({ ledger: rows(path, 'ledger'), scores: rows(path, 'scores') }).toEqual({
      ledger: rows(wantPath, 'ledger'),
      scores: rows(wantPath, 'scores'),
    });
  });
});
