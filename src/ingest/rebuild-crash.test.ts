import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileRulebook } from '../core/rulebook/index.js';
import { openSqliteStore } from '../store/sqlite/index.js';
import type { Store } from '../store/store.js';
import { IngestPipeline } from './pipeline.js';
import { ProgramSet } from './program-set.js';
import { rebuildDerived } from './rebuild.js';
import { ExactResolver } from './resolve/index.js';
import { tableRows } from './table-rows.case.js';

const dir = mkdtempSync(join(tmpdir(), 'credence-rebuild-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const yaml = readFileSync(new URL('../../examples/programs/marketplace.yaml', import.meta.url), 'utf8');
const programs = new ProgramSet([compileRulebook(yaml, { file: 'marketplace.yaml' })]);
const NOW = Date.parse('2026-06-01T00:00:00Z');

const rows = tableRows;

describe('a rebuild that stops part way (killed, or a page that fails to commit)', () => {
  // The rebuild deleted every consent row first, then wrote them back page by page: killed in
  // between, the file held no opt-out for the people not yet rebuilt, and `credence score` scored
  // them (a score for someone who opted out), while `audit verify` called the file tampered with.
  it('leaves every consent row in place, so no one opted out is scorable meanwhile; run again, it ends as one uninterrupted', async () => {
    const path = join(dir, 'r.db');
    const store = await openSqliteStore(path, { create: true });
    await store.migrate();
    await store.addRulebook({ program: 'marketplace', name: 'm', yaml, effectiveFrom: 0, loadedAt: 0 });
    const lines: string[] = [];
    for (const who of ['s-a', 's-b', 's-c', 's-d']) {
      for (let d = 1; d <= 3; d++)
        lines.push(
          JSON.stringify({
            id: `${who}-p${d}`,
            source: 'pay',
            type: 'payment.completed',
            occurredAt: `2026-0${d}-01T00:00:00Z`,
            subject: { subjectId: who },
            data: { amount: 40 },
          }),
        );
      if (who !== 's-a')
        lines.push(
          JSON.stringify({
            id: `${who}-out`,
            source: 'portal',
            type: 'credence.opt_out',
            occurredAt: '2026-04-01T00:00:00Z',
            subject: { subjectId: who },
            data: { program: 'marketplace' },
          }),
        );
    }
    const p = new IngestPipeline(store, programs, new ExactResolver(store), { now: () => NOW });
    await p.ingest(
      (async function* () {
        yield { lines: lines.map((text, i) => ({ file: 'f', line: i + 1, text })), bytes: 0 };
      })(),
    );
    const want = {
      consents: rows(path, 'consents'),
      ledger: rows(path, 'ledger'),
      scores: rows(path, 'scores'),
    };
    expect(want.consents).toHaveLength(3);

    // The second page's commit fails: the first page is rebuilt, the rest not yet.
    let commits = 0;
    const failing = new Proxy(store, {
      get(target, key, receiver) {
        if (key === 'commit')
          return async (b: Parameters<Store['commit']>[0]) => {
            if (++commits === 2) throw new Error('killed');
            return target.commit(b);
          };
        const v = Reflect.get(target, key, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    await expect(rebuildDerived(failing, programs, { pageSize: 1 })).rejects.toThrow('killed');
    expect(rows(path, 'consents')).toEqual(want.consents);

    await rebuildDerived(store, programs, { pageSize: 1 });
    await store.close();
    expect({
      consents: rows(path, 'consents'),
      ledger: rows(path, 'ledger'),
      scores: rows(path, 'scores'),
    }).toEqual(want);
  });
});
