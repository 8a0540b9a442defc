import { mkdtempSync, rmSync } from 'node:fs';
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
});
