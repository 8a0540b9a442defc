import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../e2e/cli.js';

// The README's example session, run as a new user copies it (in a scratch directory, with the
// checkout's examples): every command succeeds, and the generated population is ingested whole.
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const session = /```sh\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('Example session')))?.[1] ?? '';
const commands = session
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l.length > 0);

describe('README: the example session behaves as written (real binary, real database)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'credence-readme-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every command exits 0 and nothing is refused', () => {
    expect(commands.length).toBeGreaterThan(5);
    for (const c of commands) {
      const [npx, bin, ...rest] = c.split(/\s+/);
      expect([npx, bin]).toEqual(['npx', 'credence']);
      const redirect = rest.indexOf('>');
      const args = (redirect === -1 ? rest : rest.slice(0, redirect)).map((a) =>
        a.startsWith('examples/') ? join(ROOT, a) : a,
      );
      const r = runCli(args, { cwd: dir });
      expect([c, r.code, r.stderr]).toEqual([c, 0, '']);
      if (redirect !== -1) writeFileSync(join(dir, rest[redirect + 1] as string), r.stdout);
    }
    expect(readFileSync(join(dir, 'rejects.jsonl'), 'utf8')).toBe('');
  });

  it('the explain the session shows is the same score the session just printed (same person, program and date)', () => {
    // `score … --as-of 2026-11-01` printed one number and `explain` (as of now, decay since) another.
    const score = commands.find((c) => / score /.test(c)) as string;
    const explain = commands.find((c) => / explain /.test(c)) as string;
    const opt = (c: string, name: string) => c.split(/\s+/)[c.split(/\s+/).indexOf(name) + 1];
    for (const name of ['--program', '--as-of'])
      expect([name, opt(explain, name)]).toEqual([name, opt(score, name)]);
    // npx credence <command> SUBJECT …
    expect(explain.split(/\s+/)[3]).toBe(score.split(/\s+/)[3]);
  });
});
