import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

// The demo scores and explains its generated year as of the year's end (DEFAULT_END), and ends with
// "try: npx credence score P… --program …". That command scored as of now: a new user running it
// met another score than the one just explained (755 shown, 743 from the command the demo printed).
describe('credence demo: the command it suggests (real binary)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'credence-demo-try-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers for the instant and with the score the demo just explained', () => {
    const r = runCli(['demo', '--people', '200', '--days', '90'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const tryLine = /try: npx credence (.+)$/m.exec(r.stdout)?.[1];
    expect(tryLine).toBeDefined();
    const args = (tryLine as string).split(' ');
    const subject = args[1] as string;
    const program = args[args.indexOf('--program') + 1] as string;
    // The demo's own explanation of that person in that program, and the instant it was for.
    const shown = new RegExp(
      `^${subject} in ${program} \\(rulebook v\\d+\\) as of (\\S+)\\nscore (\\d+) `,
      'm',
    ).exec(r.stdout);
    expect(shown, r.stdout).not.toBeNull();
    const suggested = runCli([...args, '--json'], { cwd: dir });
    expect(suggested.code, suggested.stderr).toBe(0);
    const j = JSON.parse(suggested.stdout) as { asOf: string; score: number };
    expect([j.asOf, j.score]).toEqual([shown?.[1], Number(shown?.[2])]);
  });
});
