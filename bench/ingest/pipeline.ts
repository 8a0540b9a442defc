import { existsSync, readFileSync } from 'node:fs';
import { initDatabase, openApp } from '../../src/app.js';
import { runIngest } from '../../src/cli/ingest-run.js';
import { compileRulebook } from '../../src/core/rulebook/index.js';
import { DEFAULT_END } from '../../src/generate/index.js';

/**
 * CPU seconds of the main thread alone (Linux: /proc/self/task/PID/stat, utime + stime in clock
 * ticks of 10 ms), the critical path once commits run on the writer thread; undefined elsewhere.
 */
export function mainThreadCpuSeconds(): number | undefined {
  const path = `/proc/self/task/${process.pid}/stat`;
  if (!existsSync(path)) return undefined;
  const fields = readFileSync(path, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // Fields 14 and 15 of stat(5), counted after "pid (comm)": indexes 11 and 12 here.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Credence's own ingest, end to end (parse, validate, resolve, score, persist), in process. */
export async function pipelineIngest(
  files: readonly string[],
  dbPath: string,
  programs: readonly string[],
  opts: { batchSize?: number } = {},
): Promise<{
  lines: number;
  accepted: number;
  rejected: number;
  seconds: number;
  cpuSeconds: number;
  mainCpuSeconds: number | undefined;
  peakRssMb: number;
}> {
  await initDatabase(dbPath);
  let app = await openApp(dbPath);
  for (const p of programs) {
    const text = readFileSync(p, 'utf8');
    const rb = compileRulebook(text, { file: p });
    await app.store.addRulebook({
      program: rb.program,
      name: rb.name,
      yaml: text,
      effectiveFrom: rb.effectiveFrom,
      loadedAt: 0,
    });
  }
  await app.close();
  app = await openApp(dbPath);
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const main0 = mainThreadCpuSeconds();
  // The CLI's own ingest loop (heap ceiling included), without the progress bar.
  const c = await runIngest(app, {
    inputs: files,
    progress: false,
    // The generated file ends at DEFAULT_END: ingest as of then, as the demo does, so no line of it
    // is already past its retention (refused) whatever day the bench runs.
    now: () => Date.parse(DEFAULT_END),
    ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
  });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const main1 = mainThreadCpuSeconds();
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  await app.close();
  return {
    lines: c.lines,
    accepted: c.accepted,
    rejected: c.rejected,
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    mainCpuSeconds: main0 === undefined || main1 === undefined ? undefined : main1 - main0,
    peakRssMb: Math.round(peak / 2 ** 20),
  };
}
