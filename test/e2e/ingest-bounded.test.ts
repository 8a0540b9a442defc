import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, MARKETPLACE, makeWorld, runCli, type World } from './cli.js';

describe('credence ingest --max-identity-records (real binary, real SQLite file)', () => {
  const worlds: World[] = [];
  afterEach(() => {
    for (const w of worlds.splice(0)) w.dispose();
  });
  const world = () => {
    const w = makeWorld({ programs: [MARKETPLACE] });
    worlds.push(w);
    return w;
  };

  it('gives the database an unbounded run gives, the engine let go past the bound', () => {
    const gen = runCli(['generate', '--people', '60', '--seed', '3']);
    expect(gen.code).toBe(0);
    expect(gen.stdout.split('\n').length).toBeGreaterThan(500);
    const unbounded = world();
    const bounded = world();
    const file = join(unbounded.dir, 'facts.jsonl');
    writeFileSync(file, gen.stdout);
    const a = unbounded.run([
      'ingest',
      file,
      '--batch-size',
      '97',
      '--max-identity-records',
      'none',
      '--json',
    ]);
    const b = bounded.run(['ingest', file, '--batch-size', '97', '--max-identity-records', '40', '--json']);
    expect(b.code).toBe(a.code);
    expect(JSON.parse(b.stdout)).toMatchObject({
      ...JSON.parse(a.stdout),
      seconds: expect.any(Number),
      linesPerSecond: expect.any(Number),
    });
    expect(dumpDatabase(bounded.db)).toEqual(dumpDatabase(unbounded.db));
  });

  it('refuses a bound that is not a whole number, before touching the database', () => {
    const w = world();
    const r = w.run(['ingest', '-', '--max-identity-records', 'lots'], { input: '' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /--max-identity-records must be a whole number of records or "none", got "lots"/,
    );
  });
});
