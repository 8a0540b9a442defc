import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

// The option parser's own refusals (an unknown option, a missing argument or required option, a
// stray argument, an unknown command) printed `error: …` and exited 2 but named no catalogue
// code, where every other refusal ends with one: a script could not tell them apart by code.
describe('a malformed command line (real binary)', () => {
  it('is CREDENCE_E_USAGE, exit 2, with the parser message naming what is wrong', () => {
    for (const [args, what] of [
      [['score', 'P0000001', '--program', 'marketplace', '--bogus'], /unknown option '--bogus'/],
      [['score', 'P0000001'], /required option '--program <id>' not specified/],
      [['score', 'P0000001', '--program', 'marketplace', '--as-of', '--db', 'x.db'], /too many arguments/],
      [['score', '--program'], /option '--program <id>' argument missing/],
      [['program', 'load'], /missing required argument/],
      [['nosuchcommand'], /unknown command 'nosuchcommand'/],
      [
        ['consent', 'P1', '--program', 'm', '--opt-out', '--opt-in', '--at'],
        /option '--at <iso>' argument missing/,
      ],
    ] as const) {
      const r = runCli(args);
      const label = args.join(' ');
      expect(r.code, label).toBe(2);
      expect(r.stdout, label).toBe('');
      // The code follows the message at once, as for every other error; the help may come after.
      expect(r.stderr, label).toMatch(new RegExp(`^error: ${what.source}.*\\n {2}\\[CREDENCE_E_USAGE\\]\\n`));
    }
  });

  it('a command with no subcommand given shows its help, then the usage error and its code', () => {
    for (const args of [[], ['program'], ['identity'], ['audit']]) {
      const r = runCli(args);
      const label = `credence ${args.join(' ')}`;
      expect(r.code, label).toBe(2);
      expect(r.stdout, label).toBe('');
      expect(r.stderr, label).toMatch(/^Usage: credence/);
      expect(r.stderr, label).toMatch(
        /\nerror: no command given: name one of the commands listed above\n {2}\[CREDENCE_E_USAGE\]\n$/,
      );
    }
  });

  it('leaves --help and --version as they were: exit 0 on stdout, no error', () => {
    for (const args of [['--help'], ['--version'], ['score', '--help']]) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.stdout.length, args.join(' ')).toBeGreaterThan(0);
    }
  });
});
