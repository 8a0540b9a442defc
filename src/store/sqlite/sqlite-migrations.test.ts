import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { rulebookSpecJson } from '../../core/rulebook/spec-json.js';
import { migrations, SPEC_MIGRATION } from './sqlite-migrations.js';
import { openSqliteStore } from './sqlite-store.js';

const yaml = readFileSync(new URL('../../../examples/programs/marketplace.yaml', import.meta.url), 'utf8');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'credence-migrate-'));
  dirs.push(dir);
  return join(dir, 'test.db');
}

describe('migration 3: programs.spec', () => {
  it('backfills the spec of rulebook versions stored before it, in the same upgrade', async () => {
    const path = tempDb();
    const old = new Database(path);
    for (let v = 0; v < SPEC_MIGRATION - 1; v++) old.exec(migrations[v] as string);
    old.pragma(`user_version = ${SPEC_MIGRATION - 1}`);
    const insert = old.prepare(
      'INSERT INTO programs (program, version, name, yaml, effective_from, loaded_at) VALUES (?, ?, ?, ?, 0, 0)',
    );
    insert.run('marketplace', 1, 'M', yaml);
    insert.run('broken', 1, 'B', 'key: [unclosed\n');
    old.close();

    const store = await openSqliteStore(path);
    expect(await store.isInitialised()).toBe(false);
    await store.migrate();
    expect(await store.isInitialised()).toBe(true);
    const rows = await store.allRulebooks();
    expect(rows.map((r) => [r.program, r.spec])).toEqual([
      ['broken', null],
      ['marketplace', rulebookSpecJson(yaml)],
    ]);
    await store.close();
  });

  it('stores the spec of each rulebook version added', async () => {
    const store = await openSqliteStore(tempDb(), { create: true });
    await store.migrate();
    await store.addRulebook({ program: 'marketplace', name: 'M', yaml, effectiveFrom: 0, loadedAt: 0 });
    const [row] = await store.allRulebooks();
    expect(row?.spec).toBe(rulebookSpecJson(yaml));
    expect(JSON.parse(row?.spec as string).program).toBe('marketplace');
    await store.close();
  });
});
