import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/credence.js');
export const MARKETPLACE = join(ROOT, 'examples/programs/marketplace.yaml');
export const CITY_CIVIC = join(ROOT, 'examples/programs/city-civic.yaml');

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A scratch directory with its own database, removed by `dispose`. */
export interface World {
  readonly dir: string;
  readonly db: string;
  run(args: readonly string[], opts?: { input?: string; env?: Record<string, string> }): RunResult;
  json<T = Record<string, unknown>>(args: readonly string[]): T;
  dispose(): void;
}

/** Runs the real `credence` binary (bin/credence.js over the built dist/). */
export function runCli(
  args: readonly string[],
  opts: { cwd?: string; input?: string; env?: Record<string, string> } = {},
): RunResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, CREDENCE_DB: '', ...opts.env },
    maxBuffer: 64 << 20,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the binary without waiting (for the crash test). */
export function spawnCli(args: readonly string[], cwd: string) {
  return spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function makeWorld(opts: { programs?: readonly string[] } = {}): World {
  const dir = mkdtempSync(join(tmpdir(), 'credence-e2e-'));
  const db = join(dir, 'credence.db');
  const run: World['run'] = (args, o = {}) => runCli([...args, '--db', db], { cwd: dir, ...o });
  const world: World = {
    dir,
    db,
    run,
    json<T>(args: readonly string[]): T {
      const r = run([...args, '--json']);
      if (r.code !== 0) throw new Error(`credence ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return JSON.parse(r.stdout) as T;
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
  const init = run(['init']);
  if (init.code !== 0) throw new Error(init.stderr);
  for (const p of opts.programs ?? []) {
    const r = run(['program', 'load', p]);
    if (r.code !== 0) throw new Error(r.stderr);
  }
  return world;
}

/** Every stored and derived row, ordered, without the storage clock (`received_at`). */
export function dumpDatabase(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true });
  try {
    const q = (sql: string) => db.prepare(sql).all();
    return {
      subjects: q('SELECT * FROM subjects ORDER BY id'),
      identifiers: q('SELECT * FROM identifiers ORDER BY kind, value'),
      facts: q('SELECT seq, source, id, subject, type, at, body, hash, retracts FROM facts ORDER BY seq'),
      consents: q('SELECT * FROM consents ORDER BY subject, program, fact_key'),
      ledger: q('SELECT * FROM ledger ORDER BY subject, program, fact_key, rule_id'),
      scores: q('SELECT * FROM scores ORDER BY subject, program'),
    };
  } finally {
    db.close();
  }
}

/** An audit log entry as stored (its `detail` parsed). */
export interface AuditRow {
  seq: number;
  actor: string;
  action: string;
  subject: string | null;
  detail: Record<string, unknown>;
}

/** Every audit log entry of the database, in order; none when nothing was logged in it yet. */
export function auditEntries(path: string): AuditRow[] {
  const db = new Database(path, { readonly: true });
  try {
    // A database nothing was logged in yet has no audit tables.
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'audit_log'").get()) return [];
    const rows = db
      .prepare('SELECT seq, actor, action, subject, detail FROM audit_log ORDER BY seq')
      .all() as (Omit<AuditRow, 'detail'> & { detail: string })[];
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  } finally {
    db.close();
  }
}

export function countFacts(path: string): number {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM facts').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

export const line = (o: Record<string, unknown>): string => JSON.stringify(o);

/** A payment fact of the marketplace program. */
export function payment(
  id: string,
  at: string,
  subject: Record<string, string>,
  amount: number | string = 50,
): string {
  return line({ id, source: 'pay', type: 'payment.completed', occurredAt: at, subject, data: { amount } });
}

/** Asserts a run succeeded, showing its stderr when it did not. */
export function ok(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stderr}`);
  return r;
}
