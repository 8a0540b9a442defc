import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

describe('credence demo (real binary, a fresh database in the working folder)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'credence-demo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts in each tier distribution the people who exist, not the ids emptied by merges', () => {
    // Ingest merges records it finds to be one person; the id merged away holds nothing. The
    // distribution counted it as a person, "not scored", so the totals disagreed with ingest's.
    const r = runCli(['demo', '--people', '300', '--days', '90'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const db = new Database(join(dir, 'credence-demo.db'), { readonly: true });
    let people: number;
    let emptied: number;
    try {
      people = (db.prepare('SELECT count(DISTINCT subject) AS n FROM facts').get() as { n: number }).n;
      emptied = (
        db
          .prepare('SELECT count(*) AS n FROM subjects WHERE id NOT IN (SELECT subject FROM facts)')
          .get() as {
          n: number;
        }
      ).n;
    } finally {
      db.close();
    }
    expect(emptied).toBeGreaterThan(0); // the generated population has people found twice
    const totals = [...r.stdout.matchAll(/^(\S+) \(.*\), (\d+) people$/gm)].map((m) => [m[1], Number(m[2])]);
    expect(totals).toEqual([
      ['city-civic', people],
      ['marketplace', people],
    ]);
  });

  it('a bad option is refused before anything is deleted: the demo database already there is kept', () => {
    // `--people abc` wiped ./credence-demo.db, loaded the programs, then failed with "got NaN".
    const keep = mkdtempSync(join(tmpdir(), 'credence-demo-keep-'));
    try {
      const db = join(keep, 'credence-demo.db');
      writeFileSync(db, 'an earlier demo');
      for (const [flag, value] of [
        ['--people', 'abc'],
        ['--people', '-5'],
        ['--days', '0'],
        ['--seed', '1.5'],
      ] as const) {
        const r = runCli(['demo', flag, value], { cwd: keep });
        expect([flag, value, r.code]).toEqual([flag, value, 2]);
        expect(r.stderr).toContain(flag);
        // What was given, quoted ("NaN" named nothing the user typed).
        expect(r.stderr).toMatch(new RegExp(`got "?${value.replace('.', '\\.')}"?\\n`));
        expect(r.stdout).toBe('');
        expect(readFileSync(db, 'utf8')).toBe('an earlier demo');
      }
    } finally {
      rmSync(keep, { recursive: true, force: true });
    }
  });

  it('with nobody to score it does not suggest a person who does not exist', () => {
    const empty = mkdtempSync(join(tmpdir(), 'credence-demo-empty-'));
    try {
      const r = runCli(['demo', '--people', '0', '--days', '10'], { cwd: empty });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toMatch(/try: .*score P\d+/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
