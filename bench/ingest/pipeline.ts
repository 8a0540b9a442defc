import { readFileSync } from 'node:fs';
import { createIngest, initDatabase, openApp } from '../../src/app.js';
import { compileRulebook } from '../../src/core/rulebook/index.js';
import { openJsonLines } from '../../src/ingest/jsonl-reader.js';

/** Credence's own ingest, end to end (parse, validate, resolve, score, persist), in process. */
export async function pipelineIngest(
  files: readonly string[],
  dbPath: string,
  programs: readonly string[],
  opts: { batchSize?: number; budgetFacts?: number } = {},
): Promise<{ lines: number; accepted: number; rejected: number; seconds: number; peakRssMb: number }> {
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
  const pipeline = createIngest(app, opts);
  const started = performance.now();
  for (const f of files) {
    await pipeline.ingest(openJsonLines(f), {
      committed: () => {
        peak = Math.max(peak, process.memoryUsage.rss());
      },
    });
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  await app.close();
  const c = pipeline.counts;
  return {
    lines: c.lines,
    accepted: c.accepted,
    rejected: c.rejected,
    seconds,
    peakRssMb: Math.round(peak / 2 ** 20),
  };
}
