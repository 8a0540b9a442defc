import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileRulebook } from '../../core/rulebook/index.js';
import { generateJsonl } from '../../generate/index.js';
import { openSqliteStore } from '../../store/sqlite/index.js';
import type { SourceLine } from '../jsonl-reader.js';
import { IdentityIngestPipeline } from './identity-pipeline.js';
import { peopleOf, examplePrograms as programs, exampleYamls as yamls } from './order-world.case.js';

const dir = mkdtempSync(join(tmpdir(), 'credence-source-order-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOW = Date.parse('2026-06-01T00:00:00Z');
let n = 0;
async function ingestFiles(files: readonly string[][]): Promise<string[]> {
  const path = join(dir, `t${n++}.db`);
  const store = await openSqliteStore(path, { create: true });
  await store.migrate();
  for (const [i, yaml] of yamls.entries()) {
    const rb = compileRulebook(yaml, { file: `${i}.yaml` });
    await store.addRulebook({
      program: rb.program,
      name: rb.name,
      yaml,
      effectiveFrom: rb.effectiveFrom,
      loadedAt: 0,
    });
  }
  for (const [k, lines] of files.entries()) {
    const p = new IdentityIngestPipeline(store, programs, { now: () => NOW, batchSize: 5000 });
    const numbered: SourceLine[] = lines.map((text, i) => ({ file: `f${k}`, line: i + 1, text }));
    await p.ingest(
      (async function* () {
        yield { lines: numbered, bytes: 0 };
      })(),
    );
  }
  await store.close();
  return peopleOf(path);
}

describe('a generated population split by source', () => {
  it('gives the same people whichever file comes first', async () => {
    const lines = [...generateJsonl({ people: 1500, days: 364, seed: 42, end: NOW - 86_400_000 })].map((l) =>
      l.trimEnd(),
    );
    const bySource = (re: RegExp) => lines.filter((l) => re.test(l.slice(0, 80)));
    const a = bySource(/"source":"(bank|court|debtor-register|market-regulator)"/);
    const b = bySource(/"source":"(shop|food|ride)"/);
    const c = bySource(/"source":"(pay|utility)"/);
    const d = bySource(/"source":"[a-z-]*-enrolment"/);
    const first = await ingestFiles([a, b, c, d]);
    expect(first.length).toBeGreaterThan(1500);
    expect(await ingestFiles([c, a, d, b])).toEqual(first);
    expect(await ingestFiles([b, d, a, c])).toEqual(first);
  }, 300_000);
});
