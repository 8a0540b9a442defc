import { linkSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dumpDatabase, MARKETPLACE, makeWorld, ok, type World } from './cli.js';

// `--rejects FILE` is opened for writing (emptied) before anything is read. A path that is the
// same file as an input or as the database, under another name, must be refused before that:
// emptied, the input would be read as empty (0 lines, exit 0) and the database destroyed.
const WEI = { national_id: '11010519861015500X' };
const line = (id: string, amount: unknown): string =>
  JSON.stringify({
    id,
    source: 'pay',
    type: 'payment.completed',
    occurredAt: '2026-03-01T10:00:00Z',
    subject: WEI,
    data: { amount },
  });

describe('credence ingest --rejects naming an input or the database under another name', () => {
  let w: World;
  let input: string;
  let text: string;
  beforeEach(() => {
    w = makeWorld({ programs: [MARKETPLACE] });
    input = join(w.dir, 'in.jsonl');
    text = `${line('t1', 20)}\n${line('t2', 'twenty')}\n`;
    writeFileSync(input, text);
  });
  afterEach(() => w.dispose());

  it('refuses a symbolic or hard link to an input, leaving the input whole and nothing ingested', () => {
    const sym = join(w.dir, 'sym.jsonl');
    const hard = join(w.dir, 'hard.jsonl');
    symlinkSync(input, sym);
    linkSync(input, hard);
    for (const [file, rejects] of [
      [input, sym],
      [sym, input],
      [input, hard],
    ] as const) {
      const r = w.run(['ingest', file, '--rejects', rejects]);
      expect(r.code, `${file} --rejects ${rejects}`).toBe(2);
      expect(r.stderr).toContain(`--rejects ${rejects} is the input file ${file}: it would be emptied`);
      expect(r.stderr).toContain('[CREDENCE_E_USAGE]');
      expect(readFileSync(input, 'utf8')).toBe(text);
    }
    expect(dumpDatabase(w.db).facts).toEqual([]);
  });

  it('refuses the database file and its companions, leaving the database intact', () => {
    const before = statSync(w.db).size;
    const alias = join(w.dir, 'db-link');
    symlinkSync(w.db, alias);
    for (const rejects of [w.db, alias, `${w.db}-wal`, `${w.db}-shm`, `${w.db}-journal`]) {
      const r = w.run(['ingest', input, '--rejects', rejects]);
      expect(r.code, rejects).toBe(2);
      expect(r.stderr).toContain(`--rejects ${rejects} is the database`);
      expect(r.stderr).toContain('[CREDENCE_E_USAGE]');
    }
    expect(statSync(w.db).size).toBe(before);
    // The database still opens and holds its program; nothing was ingested.
    ok(w.run(['program', 'list']));
    expect(dumpDatabase(w.db).facts).toEqual([]);
  });

  it('still writes the refused lines to a rejects file of its own, replacing what it held', () => {
    const rejects = join(w.dir, 'rejects.jsonl');
    writeFileSync(rejects, 'old contents\n');
    const r = w.run(['ingest', input, '--rejects', rejects]);
    expect(r.code).toBe(3);
    expect(readFileSync(rejects, 'utf8')).toBe(`${line('t2', 'twenty')}\n`);
    expect(dumpDatabase(w.db).facts).toHaveLength(1);
  });
});
