/**
 * The audit append alone, in-process: CPU time per entry when entries are committed in groups
 * (as the API's group commit does, one transaction per event-loop turn), against its parts
 * measured in the same run: sealing only (canonical detail and SHA-256), and sealing plus the
 * INSERTs without the commit.
 *
 * Usage: taskset -c 1 node bench/out/api/dist/bench/api/audit-append.js [--entries 200000] [--group 20] [--old-index | --index-every 2048]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import {
  type AuditInput,
  auditSchema,
  GENESIS_HASH,
  SqliteAuditLog,
  sealEntry,
} from '../../src/audit/index.js';
import { machine, ROOT } from './bench-world.js';

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '200000' },
    group: { type: 'string', default: '20' },
    'old-index': { type: 'boolean', default: false },
    'index-every': { type: 'string' },
  },
});
const entries = Number(values.entries);
const group = Number(values.group);
const out = join(ROOT, 'bench/out/api');
mkdirSync(out, { recursive: true });

/** A score query's entry, as the score route writes it. */
const input = (i: number): AuditInput => ({
  at: 1_700_000_000_000 + i,
  actor: 'key:ab12cd34',
  action: 'score.query',
  // People in no particular order, as requests come (7919 is prime: a permutation of 2,000).
  subject: `P${String((i * 7919) % 2000).padStart(7, '0')}`,
  purpose: 'tenancy',
  detail: {
    program: i % 2 ? 'marketplace' : 'city-civic',
    version: 1,
    asOf: 1_700_000_000_000 + i,
    status: 'scored',
    score: 600 + (i % 200),
    tier: 'good',
  },
});

const cpu = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

function sealOnly(): number {
  let prev = { seq: 0, hash: GENESIS_HASH };
  const t = cpu();
  for (let i = 0; i < entries; i++) prev = sealEntry(input(i), prev.seq, prev.hash);
  return (cpu() - t) / entries;
}

async function appendGrouped(): Promise<number> {
  const path = join(out, 'audit-append.db');
  for (const s of ['', '-wal', '-shm']) rmSync(`${path}${s}`, { force: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(auditSchema);
  // --old-index: the per-entry index on audit_log (subject, seq) this log used before
  // audit_subject, and audit_subject never filled: the earlier design, for a comparison.
  if (values['old-index']) {
    db.exec('CREATE INDEX audit_log_subject ON audit_log (subject, seq) WHERE subject IS NOT NULL');
  }
  const log = new SqliteAuditLog(
    db,
    path,
    values['old-index'] ? { indexEvery: Number.MAX_SAFE_INTEGER } : {},
  );
  // Warm-up, then the measured run: `group` appends per turn, as concurrent requests make them.
  for (let i = 0; i < 20_000; i += group) {
    await Promise.all(Array.from({ length: group }, (_, k) => log.append(input(i + k))));
  }
  const t = cpu();
  for (let i = 0; i < entries; i += group) {
    await Promise.all(Array.from({ length: group }, (_, k) => log.append(input(i + k))));
  }
  const per = (cpu() - t) / entries;
  await log.close();
  db.close();
  return per;
}

sealOnly();
const seal = sealOnly();
const append = await appendGrouped();
const report = {
  bench: 'audit-append',
  command: `taskset -c 1 node bench/out/api/dist/bench/api/audit-append.js --entries ${entries} --group ${group}${values['old-index'] ? ' --old-index' : ''}${values['index-every'] !== undefined ? ` --index-every ${values['index-every']}` : ''}`,
  design: values['old-index']
    ? 'per-entry index on audit_log (subject, seq)'
    : 'audit_subject filled in bulk',
  machine: await machine(),
  loadAverage: loadavg()[0],
  entries,
  group,
  sealUs: seal,
  appendUs: append,
};
writeFileSync(
  join(out, `audit-append${values['old-index'] ? '-old-index' : ''}.json`),
  `${JSON.stringify(report, null, 2)}\n`,
);
process.stdout.write(
  `${report.design}: seal only ${seal.toFixed(2)} µs/entry; append in groups of ${group} ${append.toFixed(2)} µs/entry (load average ${(report.loadAverage ?? 0).toFixed(1)})\n`,
);
