import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

// The demo generates a year of history ending at a fixed date and scores it as of that date. Ingest
// refuses facts already past their retention at its clock; at today's, the oldest wallet balances
// (kept a year) were refused, a refusal per line on stderr. The demo ingests as of the history's end.

describe('credence demo ingests its history as of the date it ends (real binary)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'credence-demo-ret-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses none of the generated facts, however long after that date it runs', () => {
    const r = runCli(['demo', '--people', '80', '--days', '365'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/ingest: \d+ lines: \d+ accepted .*, 0 refused;/);
  });
});
