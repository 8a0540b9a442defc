import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteAuditLog } from './sqlite-audit-log.js';

let dir: string;
let path: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'credence-audit-recheck-'));
  path = join(dir, 'audit.db');
  new Database(path).close();
  const log = await openSqliteAuditLog(path);
  // SQLite prints these instants unlike JavaScript (1.0e+21, not 1e+21): the SQL-built text
  // differs from the sealed one, and only the exact JavaScript recheck can tell them intact.
  for (const at of [1, 1e21, 0.5, 2]) {
    await log.append({ at, actor: 'system', action: 'x', subject: 'P1', detail: { at } });
  }
  await log.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('verify where the SQL text differs from the sealed text', () => {
  it.each([1, 2])('passes an intact log (%i workers)', async (workers) => {
    const log = await openSqliteAuditLog(path, { readonly: true });
    const r = await log.verify(undefined, { workers });
    await log.close();
    expect(r).toMatchObject({ ok: true, entries: 4 });
  });

  it.each([1, 2])('still names a changed entry (%i workers)', async (workers) => {
    const raw = new Database(path);
    raw.exec('DROP TRIGGER audit_log_no_update');
    raw.prepare(`UPDATE audit_log SET detail = '{"at":1e22}' WHERE seq = 2`).run();
    raw.close();
    const log = await openSqliteAuditLog(path, { readonly: true });
    const r = await log.verify(undefined, { workers });
    await log.close();
    expect(r.ok).toBe(false);
    expect(r.problem).toMatchObject({ kind: 'changed', seq: 2 });
  });
});
