import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import { compileRulebook } from '../../core/rulebook/index.js';
import { openSqliteStore } from '../../store/sqlite/index.js';
import type { Store } from '../../store/store.js';
import type { SourceLine } from '../jsonl-reader.js';
import { ProgramSet } from '../program-set.js';
import { splitRecords } from './identity-ops.js';
import { IdentityIngestPipeline } from './identity-pipeline.js';
import type { IdentityResolverOptions } from './identity-resolver.js';

/**
 * The ingest clock of these worlds: after every fact their tests send (early 2026), for a fact
 * dated ahead of the clock is refused, and fixed, so a run gives the same database on any day.
 */
export const INGEST_NOW = Date.parse('2026-06-01T00:00:00Z');

/**
 * What the identity-behind-ingest tests share: SQLite stores with the marketplace program in a
 * scratch directory (removed after the file's tests), and a whole ingest run over lines.
 */
export function identityWorld(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const yaml = readFileSync(new URL('../../../examples/programs/marketplace.yaml', import.meta.url), 'utf8');
  const programs = new ProgramSet([compileRulebook(yaml, { file: 'marketplace.yaml' })]);
  let n = 0;

  async function freshStore(): Promise<{ store: Store; path: string }> {
    const path = join(dir, `t${n++}.db`);
    const store = await openSqliteStore(path, { create: true });
    await store.migrate();
    await store.addRulebook({ program: 'marketplace', name: 'm', yaml, effectiveFrom: 0, loadedAt: 0 });
    return { store, path };
  }

  /** One run over `lines` (numbered from `from + 1`), as the CLI runs it. */
  async function ingest(
    store: Store,
    lines: readonly string[],
    batchSize: number,
    from = 0,
    identity: IdentityResolverOptions = {},
  ): Promise<void> {
    const p = new IdentityIngestPipeline(store, programs, { now: () => INGEST_NOW, batchSize }, identity);
    const numbered: SourceLine[] = lines.map((text, i) => ({ file: 'f', line: from + i + 1, text }));
    await p.ingest(
      (async function* () {
        yield { lines: numbered, bytes: 0 };
      })(),
    );
  }

  /**
   * Splits the newest record of the person with the most records off to a person of its own, as an
   * operator does; false when nobody holds two records.
   */
  async function splitOne(path: string): Promise<boolean> {
    const db = new Database(path, { readonly: true });
    const rid = db
      .prepare(
        `SELECT record_id FROM identity_records WHERE seq = (
           SELECT max(seq) FROM identity_records GROUP BY subject HAVING count(*) > 1
           ORDER BY count(*) DESC, subject LIMIT 1)`,
      )
      .pluck()
      .get() as string | undefined;
    db.close();
    if (!rid) return false;
    const store = await openSqliteStore(path);
    await splitRecords(store, programs, [rid], 'test');
    await store.close();
    return true;
  }

  return { dir, yaml, programs, freshStore, ingest, splitOne };
}

/** The facts each person holds, as sets of fact ids (person ids depend on arrival order). */
export function people(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db
      .prepare("SELECT group_concat(id, ',') AS ids FROM (SELECT * FROM facts ORDER BY id) GROUP BY subject")
      .all() as { ids: string }[];
    return rows.map((r) => r.ids).sort();
  } finally {
    db.close();
  }
}
