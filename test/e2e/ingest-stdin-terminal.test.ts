import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, makeWorld } from './cli.js';

// `credence ingest --db my.db` typed without a FILE, or with `-`, reads standard input: on a
// terminal it sat waiting, saying nothing, and looked hung. It now says what it waits for. The
// terminal is script(1)'s pseudo-terminal; its own input is empty, so it sends end-of-file at once.
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

describe('credence ingest reading a terminal (real binary)', () => {
  it.skipIf(!hasScript)('says it reads facts from standard input and how to end them', () => {
    const w = makeWorld();
    try {
      for (const args of [['ingest'], ['ingest', '-']]) {
        const cmd = [process.execPath, BIN, ...args, '--db', w.db].map((a) => `'${a}'`).join(' ');
        const r = spawnSync('script', ['-qec', cmd, '/dev/null'], {
          cwd: w.dir,
          input: '',
          encoding: 'utf8',
        });
        expect(r.status, args.join(' ')).toBe(0);
        expect(r.stdout, args.join(' ')).toContain(
          'reading facts from standard input, one JSON object a line: end with Ctrl-D, or give the file to read (credence ingest FILE)',
        );
        expect(r.stdout, args.join(' ')).toContain('0 lines: 0 accepted');
      }
      // Piped, nothing is added: a script's stderr stays as it was.
      const piped = w.run(['ingest', '-'], { input: '' });
      expect(piped.code).toBe(0);
      expect(piped.stderr).toBe('');
    } finally {
      w.dispose();
    }
  });
});
