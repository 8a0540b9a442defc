import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { LedgerRow, ScoreRow } from '../store.js';
import { openSqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'credence-opted-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ledger = (subject: string, factKey: string): LedgerRow => ({
  subject,
  program: 'm',
  factKey,
  ruleId: 'r',
  at: 1,
  points: 5,
  raw: 5,
  dimension: null,
  reasonCode: 'R1',
});
const score = (subject: string): ScoreRow => ({
  subject,
  program: 'm',
  version: 1,
  asOf: 1,
  status: 'scored',
  score: 600,
  tier: 'good',
  reason: null,
});

// The hard line held by the store itself: a process that judged its batch before another stored
// an opt-out (an import beside `credence consent` or the API) still writes no score for them.
describe('a commit for a person who opted out of the program', () => {
  it('stores neither their ledger rows nor a score, and drops what was stored before', async () => {
    const path = join(dir, 'out.db');
    const store = await openSqliteStore(path, { create: true });
    await store.migrate();
    await store.commit({ subjects: ['P0000001', 'P0000002'], ledgerUpserts: [ledger('P0000001', 'shop/a')] });
    // The opt-out, stored by another process.
    await store.commit({
      consents: [{ subject: 'P0000001', program: 'm', action: 'opt-out', at: 5, factKey: 'app/o1' }],
    });
    // A batch judged before it: P0000001's rows, and P0000002's (never opted out).
    await store.commit({
      ledgerUpserts: [ledger('P0000001', 'shop/b'), ledger('P0000002', 'shop/c')],
      scores: [score('P0000001'), score('P0000002')],
    });
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT subject, fact_key FROM ledger ORDER BY subject').all()).toEqual([
      { subject: 'P0000002', fact_key: 'shop/c' },
    ]);
    expect(db.prepare('SELECT subject FROM scores').all()).toEqual([{ subject: 'P0000002' }]);
    // Opted in again later: scored again.
    db.close();
    const again = await openSqliteStore(path);
    await again.commit({
      consents: [{ subject: 'P0000001', program: 'm', action: 'opt-in', at: 9, factKey: 'app/o2' }],
      ledgerUpserts: [ledger('P0000001', 'shop/d')],
      scores: [score('P0000001')],
    });
    await again.close();
    const db2 = new Database(path, { readonly: true });
    expect(db2.prepare("SELECT count(*) AS n FROM scores WHERE subject = 'P0000001'").get()).toEqual({
      n: 1,
    });
    db2.close();
  });
});
