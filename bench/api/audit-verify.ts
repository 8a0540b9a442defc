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

const { values } = parseArgs({
  options: { entries: { type: 'string', default: '10000000' }, reuse: { type: 'boolean', default: false } },
});
const entries = Number(values.entries);
const db = join(ROOT, 'bench/out/api/audit-verify.db');
mkdirSync(join(ROOT, 'bench/out/api'), { recursive: true });
if (!values.reuse) {
  for (const s of ['', '-wal', '-shm']) rmSync(`${db}${s}`, { force: true });
  new Database(db).close();
}

const log = await openSqliteAuditLog(db);
const t0 = performance.now();
const chunk = 100_000;
for (let done = values.reuse ? entries : 0; done < entries; done += chunk) {
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
const cpu0 = process.cpuUsage();
const report = await reader.verify();
const verifySeconds = (performance.now() - t1) / 1000;
// CPU time of every thread: on a loaded machine wall time says more about the neighbours.
const cpu = process.cpuUsage(cpu0);
const verifyCpuSeconds = (cpu.user + cpu.system) / 1e6;
const loadAverage = (await import('node:os')).loadavg()[0];
await reader.close();
const result = {
  bench: 'audit-verify',
  command: `node bench/out/api/dist/bench/api/audit-verify.js --entries ${entries}`,
  machine: await machine(),
  entries,
  bytes: statSync(db).size,
  appendSeconds,
  verifySeconds,
  verifyCpuSeconds,
  loadAverage,
  entriesPerSecond: entries / verifySeconds,
  ok: report.ok,
};
writeFileSync(join(ROOT, 'bench/out/api/audit-verify.json'), `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(
  `${entries} entries (${(result.bytes / 2 ** 30).toFixed(2)} GiB): appended in ${values.reuse ? '(reused)' : `${appendSeconds.toFixed(1)} s`}, verified in ${verifySeconds.toFixed(1)} s wall, ${verifyCpuSeconds.toFixed(1)} s CPU over all threads, load average ${loadAverage?.toFixed(1)} (${result.entriesPerSecond.toFixed(0)} entries/s), ok=${report.ok}\n`,
);
