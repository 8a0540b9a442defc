import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { apiSchema } from '../../api/sqlite/api-schema.js';
import type { AuditInput } from '../../audit/audit-entry.js';
import { auditSchema, openSqliteAuditLog } from '../../audit/index.js';
import type { ImportRecord, NewFact } from '../store.js';
import { openSqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'credence-batch-record-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fact = (id: string): NewFact => ({
  source: 'shop',
  id,
  subject: 'cust-1',
  type: 'payment.completed',
  at: 1,
  body: JSON.stringify({ id }),
  hash: `h-${id}`,
  retracts: null,
  receivedAt: 1,
});

const entry = (importId: string): AuditInput => ({
  at: 1,
  actor: 'key:k1',
  action: 'facts.ingest',
  detail: { importId },
});

const importOf = (id: string): ImportRecord => ({
  id,
  keyId: 'k1',
  source: 'shop',
  receivedAt: 1,
  lines: 1,
  accepted: 1,
  duplicates: 0,
  rejected: 0,
  rejections: '[]',
});

async function serverFile(name: string): Promise<string> {
  const path = join(dir, name);
  const s = await openSqliteStore(path, { create: true });
  await s.migrate();
  await s.close();
  const db = new Database(path);
  db.exec(auditSchema);
  db.exec(apiSchema);
  db.close();
  return path;
}

describe('a batch and its record (import row, audit entries) in one transaction', () => {
  it('two writers and the audit log’s own appends, interleaved, keep one whole chain', async () => {
    const path = await serverFile('chain.db');
    const a = await openSqliteStore(path);
    const b = await openSqliteStore(path);
    const log = await openSqliteAuditLog(path);
    await a.commit({
      subjects: ['cust-1'],
      facts: [fact('f1')],
      record: { import: importOf('i1'), audit: [entry('i1')] },
    });
    await log.append({
      at: 2,
      actor: 'key:rp',
      action: 'score.query',
      subject: 'cust-1',
      purpose: 'tenancy',
    });
    await b.commit({ facts: [fact('f2')], record: { import: importOf('i2'), audit: [entry('i2')] } });
    await a.commit({ facts: [fact('f3')], record: { audit: [entry('i3'), entry('i3-again')] } });
    await log.append({
      at: 3,
      actor: 'key:rp',
      action: 'score.query',
      subject: 'cust-1',
      purpose: 'tenancy',
    });

    const report = await log.verify();
    expect(report.ok, JSON.stringify(report.problem)).toBe(true);
    // Each facts.ingest entry also holds the facts' seal as its batch left it (its checkpoint):
    // one fact more per batch, through the batch's own seq, on whichever writer committed it.
    const detailOf = (d: string) => {
      const o = JSON.parse(d) as { importId?: string; factSeal?: { count: number; through: number } };
      return [o.importId, o.factSeal?.count, o.factSeal?.through];
    };
    expect((await log.query({})).map((e) => [e.seq, e.action, ...detailOf(e.detail)])).toEqual([
      [1, 'facts.ingest', 'i1', 1, 1],
      [2, 'score.query', undefined, undefined, undefined],
      [3, 'facts.ingest', 'i2', 2, 2],
      [4, 'facts.ingest', 'i3', 3, 3],
      [5, 'facts.ingest', 'i3-again', 3, 3],
      [6, 'score.query', undefined, undefined, undefined],
    ]);
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT entry FROM seal_checkpoints ORDER BY entry').pluck().all()).toEqual([
      1, 3, 4, 5,
    ]);
    expect(db.prepare('SELECT id FROM api_imports ORDER BY id').pluck().all()).toEqual(['i1', 'i2']);
    db.close();
    await Promise.all([a.close(), b.close(), log.close()]);
  });

  it('an entry that cannot be written rolls back the facts and the import with it', async () => {
    const path = await serverFile('refused.db');
    const db = new Database(path);
    db.exec(`CREATE TRIGGER refuse_entry BEFORE INSERT ON audit_log
      BEGIN SELECT RAISE(ABORT, 'the audit entry cannot be written'); END`);
    const store = await openSqliteStore(path);
    await expect(
      store.commit({
        subjects: ['cust-1'],
        facts: [fact('f1')],
        record: { import: importOf('i1'), audit: [entry('i1')] },
      }),
    ).rejects.toThrow(/the audit entry cannot be written/);
    expect((await store.findFacts([{ source: 'shop', id: 'f1' }])).size).toBe(0);
    expect(await store.existingSubjects(['cust-1'])).toEqual(new Set());
    expect(db.prepare('SELECT count(*) FROM api_imports').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM audit_head').pluck().get()).toBe(0);
    db.close();
    await store.close();
  });

  it('a dispute the batch answers is closed with it; one closed meanwhile refuses the batch whole (409)', async () => {
    const path = await serverFile('dispute.db');
    const db = new Database(path);
    const row = db.prepare(
      "INSERT INTO api_disputes (id, subject, source, fact_id, reason, opened_at, due_at, status) VALUES (?, 'cust-1', 'shop', ?, 'not mine', 1, 2, 'open')",
    );
    row.run('d1', 'f0');
    row.run('d2', 'f0b');
    const store = await openSqliteStore(path);
    const close = (id: string) => ({ id, status: 'upheld' as const, resolvedAt: 5, note: 'agreed' });
    const resolve = (id: string): AuditInput => ({
      at: 5,
      actor: 'key:op',
      action: 'dispute.resolve',
      detail: { dispute: id, outcome: 'upheld' },
    });
    await store.commit({
      subjects: ['cust-1'],
      facts: [fact('f1')],
      record: { dispute: close('d1'), audit: [resolve('d1')] },
    });
    const status = db.prepare('SELECT status, resolved_at, note FROM api_disputes WHERE id = ?');
    expect(status.get('d1')).toEqual({ status: 'upheld', resolved_at: 5, note: 'agreed' });

    // Answered by another writer between this batch's judging and its commit.
    db.prepare("UPDATE api_disputes SET status = 'rejected', resolved_at = 4 WHERE id = 'd2'").run();
    await expect(
      store.commit({ facts: [fact('f2')], record: { dispute: close('d2'), audit: [resolve('d2')] } }),
    ).rejects.toMatchObject({ code: 'CREDENCE_E_STATE', message: 'dispute d2 was already rejected' });
    expect((await store.findFacts([{ source: 'shop', id: 'f2' }])).size).toBe(0);
    expect(status.get('d2')).toEqual({ status: 'rejected', resolved_at: 4, note: null });
    expect(db.prepare("SELECT count(*) FROM audit_log WHERE action = 'dispute.resolve'").pluck().get()).toBe(
      1,
    );
    db.close();
    await store.close();
  });
});
