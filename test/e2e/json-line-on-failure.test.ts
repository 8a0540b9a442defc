import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld, ROOT, type World } from './cli.js';

let w: World;
beforeAll(() => {
  w = makeWorld({ programs: [MARKETPLACE] });
});
afterAll(() => w.dispose());

/** stdout holds exactly one JSON line; it is returned parsed. */
function oneLine(stdout: string): Record<string, unknown> {
  expect(stdout.endsWith('\n')).toBe(true);
  expect(stdout.slice(0, -1)).not.toContain('\n');
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('ingest and import --json that stop before reading (real binary)', () => {
  // A missing or unreadable file printed the error on stderr only: a script reading the --json
  // line from stdout got nothing at all.
  it('print one line with the error on stdout, and the error and exit code as before', () => {
    const dir = join(w.dir, 'a-folder');
    mkdirSync(dir, { recursive: true });
    const unreadable = join(w.dir, 'unreadable.jsonl');
    writeFileSync(unreadable, '\n');
    chmodSync(unreadable, 0);
    const court = join(ROOT, 'examples/sources/samples/court-2026-06.csv');
    const cases: [string[], string, number][] = [
      [['ingest', join(w.dir, 'missing.jsonl')], 'CREDENCE_E_IO', 1],
      [['ingest', dir], 'CREDENCE_E_IO', 1],
      [['ingest', '--max-identity-records', 'lots'], 'CREDENCE_E_USAGE', 2],
      [['import', 'court', join(w.dir, 'missing.csv')], 'CREDENCE_E_IO', 1],
      [['import', 'court', dir], 'CREDENCE_E_IO', 1],
      [['import', 'court', court, '--mode', 'both'], 'CREDENCE_E_USAGE', 2],
      [['import', 'no-such-source', court], 'CREDENCE_E_USAGE', 2],
    ];
    // Root reads a file whatever its mode: the unreadable file is then no case.
    if (process.getuid?.() !== 0) {
      cases.push([['ingest', unreadable], 'CREDENCE_E_IO', 1]);
      cases.push([['import', 'court', unreadable], 'CREDENCE_E_IO', 1]);
    }
    for (const [args, code, exit] of cases) {
      const r = w.run([...args, '--json']);
      const what = args.join(' ');
      expect(r.code, what).toBe(exit);
      const line = oneLine(r.stdout);
      const error = line.error as { code: string; message: string };
      expect(error.code, what).toBe(code);
      // The same words as stderr's `error:` line.
      expect(r.stderr.startsWith(`error: ${error.message}\n`), what).toBe(true);
      if (args[0] === 'import') expect(line.refusals, what).toEqual([]);
    }
  });

  it('leave a run that finished without an error key', () => {
    const facts = join(w.dir, 'facts.jsonl');
    writeFileSync(facts, 'not json\n');
    const r = w.run(['ingest', facts, '--json']);
    expect(r.code).toBe(3);
    const line = oneLine(r.stdout);
    expect(line.error).toBeUndefined();
    expect(line.rejected).toBe(1);
  });
});
