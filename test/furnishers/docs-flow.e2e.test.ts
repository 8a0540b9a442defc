import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../e2e/cli.js';

// docs/sources.md opens with the commands a new operator copies. They are run here as written
// (each on its own database, from the checkout), so the page and the program cannot drift apart.
const page = readFileSync(join(ROOT, 'docs/sources.md'), 'utf8');
const block = /```sh\n([\s\S]*?)```/.exec(page)?.[1] ?? '';
const commands = block
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .map((l) => l.replace(/\s+#.*$/, '').trim())
  .filter((l) => l.length > 0)
  .flatMap((l) => l.split(/\s*&&\s*/));

/** Splits a shell command line into words (double quotes only, as the page uses). */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

describe('docs/sources.md: the quick flow behaves as written (real binary, real database)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'credence-docs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'credence.db');

  it('every command succeeds, and screen answers what the page says', () => {
    expect(commands.length).toBeGreaterThan(10);
    let last = '';
    for (const c of commands) {
      const [bin, ...args] = words(c);
      expect(bin).toBe('credence');
      const r = runCli([...args, '--db', db]);
      // The samples are a June 2026 snapshot: an import may refuse the rows already past their
      // type's retention at today's clock, as the page says (and nothing else).
      const refusals = r.stderr.split('\n').filter((l) => l.length > 0);
      if (args[0] === 'import' && r.code === 3 && refusals.length > 0)
        expect(refusals.filter((l) => !l.endsWith('[CREDENCE_E_FACT_PAST_RETENTION]'))).toEqual([]);
      else expect([c, r.code, r.stderr]).toEqual([c, 0, '']);
      last = r.stdout;
    }
    const said = /`screen` answers `([^`]+)`/.exec(page.replace(/\n/g, ' '))?.[1];
    expect(said).toBeDefined();
    expect(last.trim()).toBe(said);
  });
});
