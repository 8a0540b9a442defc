/**
 * Audit verification of a long log: appends `--entries` realistic entries (score inquiries with a
 * detail object) in transactions of 100,000, then times `verify()` over the whole chain.
 *
 * Usage: node …/audit-verify.js [--entries 10000000]
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { type AuditInput, openSqliteAuditLog } from '../../src/audit/index.js';
import { machine, ROOT } from './bench-world.js';

const { values } = parseArgs({ options: { entries: { type: 'string', default: '10000000' } } });
const entries = Number(values.entries);
const db = join(ROOT, 'bench/out/api/audit-verify.db');
mkdirSync(join(ROOT, 'bench/out/api'), { recursive: true });
for (const s of ['', '-wal', '-shm']) rmSync(`${db}${s}`, { force: true });
new Database(db).close();

const log = await openSqliteAuditLog(db);
const t0 = performance.now();
const chunk = 100_000;
for (let done = 0; done < entries; done += chunk) {
  const batch: AuditInput[] = [];
  for (let i = done; i < Math.min(entries, done + chunk); i++) {
    batch.push({
      at: 1_790_000_000_000 + i * 10,
      actor: `key:k${(i % 50).toString().padStart(9, '0')}`,
      action: 'score.query',
      subject: `P${(i % 1_000_000).toString().padStart(7, '0')}`,
      purpose: 'tenancy',
      detail: { program: 'marketplace', version: 1, status: 'scored', score: 600 + (i % 300), tier: 'good' },
    });
  }
  await log.appendMany(batch);
}
const appendSeconds = (performance.now() - t0) / 1000;
await log.close();

const reader = await openSqliteAuditLog(db);
const t1 = performance.now();
const report = await reader.verify();
const verifySeconds = (performance.now() - t1) / 1000;
await reader.close();
const result = {
  bench: 'audit-verify',
  command: `node bench/out/api/dist/bench/api/audit-verify.js --entries ${entries}`,
  machine: await machine(),
  entries,
  bytes: statSync(db).size,
  appendSeconds,
  verifySeconds,
  entriesPerSecond: entries / verifySeconds,
  ok: report.ok,
};
writeFileSync(join(ROOT, 'bench/out/api/audit-verify.json'), `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(
  `${entries} entries (${(result.bytes / 2 ** 30).toFixed(2)} GiB): appended in ${appendSeconds.toFixed(1)} s, verified in ${verifySeconds.toFixed(1)} s (${result.entriesPerSecond.toFixed(0)} entries/s), ok=${report.ok}\n`,
);
