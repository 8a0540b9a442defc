import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CITY_CIVIC, MARKETPLACE, runCli } from './cli.js';

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
  it('explains each point of its two people with the category of its data and its rule, as credence explain does', () => {
    // The demo's explanations printed each ledger line alone: not what part of life the point came
    // from nor the rule that gave it, which `credence explain` and the API give with every point.
    const home = mkdtempSync(join(tmpdir(), 'credence-demo-words-'));
    try {
      const r = runCli(['demo', '--people', '120', '--days', '120'], { cwd: home });
      expect(r.code, r.stderr).toBe(0);
      type Spec = {
        program: string;
        events: Record<string, { category: string }>;
        rules: { id: string; on: string; points: number | string }[];
        inactivity?: { id: string; of: string[]; points: number }[];
      };
      const specs = new Map(
        [MARKETPLACE, CITY_CIVIC].map((f) => {
          const s = parse(readFileSync(f, 'utf8')) as Spec;
          return [s.program, s];
        }),
      );
      const sections = r.stdout.split(/^--- /m).slice(1);
      expect(sections).toHaveLength(2);
      let checked = 0;
      for (const section of sections) {
        const program = /--program (\S+)/.exec(section)?.[1] as string;
        const spec = specs.get(program) as Spec;
        expect(spec, program).toBeDefined();
        const lines = section.split('\n');
        lines.forEach((l, i) => {
          // A ledger line: date, what, rule id, raw and now points.
          const m = /^ {2}\S* +(\S+)? *(\S+)? +(\S+) +raw +\S+ +now /.exec(l);
          if (!m) return;
          const ruleId = m[3] as string;
          const words = lines.slice(i + 1, i + 3).join('\n');
          const rule = spec.rules.find((x) => x.id === ruleId);
          if (rule) {
            expect(words, l).toContain(`data: ${spec.events[rule.on]?.category} (`);
            expect(words, l).toContain(`rule: each ${rule.on}`);
          } else {
            const idle = spec.inactivity?.find((x) => x.id === ruleId);
            expect(idle, `no rule ${ruleId} in ${program}`).toBeDefined();
            const cats = [...new Set(idle?.of.map((t) => spec.events[t]?.category))];
            expect(words, l).toContain(`data: ${cats.join(', ')}`);
            expect(words, l).toContain(`${idle?.points} points`);
          }
          checked++;
        });
      }
      expect(checked).toBeGreaterThan(2);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
