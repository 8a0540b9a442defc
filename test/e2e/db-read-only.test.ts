import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, MARKETPLACE, runCli } from './cli.js';

// A read-only database came out as SQLite's "attempt to write a readonly database", which a user
// reads as a bug: it did not say that the file (or its directory, where SQLite keeps the -wal and
// -shm files) is read-only, nor that even `credence score` writes (its read goes to the audit log).
// Root ignores file modes: as root the commands run as nobody (setpriv), else as the user.
const dir = mkdtempSync(join(tmpdir(), 'credence-db-ro-'));
afterAll(() => {
  if (existsSync(join(dir, 'locked'))) chmodSync(join(dir, 'locked'), 0o755);
  rmSync(dir, { recursive: true, force: true });
});

const root = process.getuid?.() === 0;
const cmd = root ? 'setpriv' : process.execPath;
const pre = root ? ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath] : [];
// As nobody, Node and the checkout must be reachable: a clone under a private directory (mktemp -d
// makes it 0700) is not, and there the test cannot run as another user at all.
const reachable =
  !root ||
  spawnSync(cmd, [...pre, '-e', `require('node:fs').accessSync(${JSON.stringify(BIN)})`]).status === 0;

const asUser = (args: readonly string[]) => {
  const r = spawnSync(cmd, [...pre, BIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CREDENCE_DB: '' },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};

describe.skipIf(!reachable)('a database this user may not write (real binary)', () => {
  beforeAll(() => {
    chmodSync(dir, 0o755);
    const db = join(dir, 'credence.db');
    for (const args of [['init'], ['program', 'load', MARKETPLACE]]) {
      expect(runCli([...args, '--db', db], { cwd: dir }).code).toBe(0);
    }
    copyFileSync(db, join(dir, 'ro.db'));
    chmodSync(join(dir, 'ro.db'), 0o444);
    mkdirSync(join(dir, 'locked'));
    copyFileSync(db, join(dir, 'locked', 'x.db'));
    chmodSync(join(dir, 'locked', 'x.db'), 0o666);
    chmodSync(join(dir, 'locked'), 0o555);
  });

  it('is CREDENCE_E_DB, exit 1, saying it is read-only and why a read needs to write', () => {
    for (const db of ['ro.db', join('locked', 'x.db')]) {
      for (const args of [['score', 'P0000001', '--program', 'marketplace'], ['program', 'list'], ['init']]) {
        const r = asUser([...args, '--db', db]);
        const label = `${args.join(' ')} --db ${db}`;
        expect(r.code, label).toBe(1);
        expect(r.stdout, label).toBe('');
        expect(r.stderr, label).toBe(
          `error: cannot open database ${db}: it is read-only to this user (the file, or its directory, where SQLite keeps its -wal and -shm files); every command writes to it, a read too (the audit log records it)\n  [CREDENCE_E_DB]\n`,
        );
      }
    }
  });
});
