import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createIngest, initDatabase, openApp } from '../../src/app.js';
import { compileRulebook } from '../../src/core/rulebook/index.js';
import { DEFAULT_END, generateJsonl } from '../../src/generate/index.js';

/** Benches run from the repository root. */
export const ROOT = process.cwd();

/** A fresh database with both example programs and, optionally, a generated population ingested. */
export async function benchDb(path: string, people: number): Promise<{ subjects: string[]; facts: number }> {
  for (const s of ['', '-wal', '-shm']) rmSync(`${path}${s}`, { force: true });
  await initDatabase(path);
  const app = await openApp(path);
  for (const f of ['marketplace.yaml', 'city-civic.yaml']) {
    const text = readFileSync(join(ROOT, 'examples/programs', f), 'utf8');
    const rb = compileRulebook(text, { file: f });
    await app.store.addRulebook({
      program: rb.program,
      name: rb.name,
      yaml: text,
      effectiveFrom: rb.effectiveFrom,
      loadedAt: 0,
    });
  }
  await app.close();
  if (people === 0) return { subjects: [], facts: 0 };
  const seeded = await openApp(path);
  // At the generator's end, not before the facts (a fact dated ahead of the ingest clock is refused).
  const ingest = createIngest(seeded, { now: () => Date.parse(DEFAULT_END) });
  let batch: { file: string; line: number; text: string }[] = [];
  let n = 0;
  for (const text of generateJsonl({ people, days: 365, seed: 11, end: DEFAULT_END })) {
    batch.push({ file: 'gen', line: ++n, text: text.trim() });
    if (batch.length === 5000) {
      await ingest.ingestBatch(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await ingest.ingestBatch(batch);
  const subjects: string[] = [];
  let after = '';
  for (;;) {
    const page = await seeded.store.subjectsPage(after, 5000);
    if (page.length === 0) break;
    subjects.push(...page);
    after = page.at(-1) as string;
  }
  await seeded.close();
  return { subjects, facts: n };
}

/** The machine, for the record. */
export async function machine(): Promise<string> {
  const os = await import('node:os');
  return `${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}
