import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateJsonl, recentEnd } from '../../src/generate/index.js';
import {
  BIN,
  CITY_CIVIC,
  countFacts,
  dumpDatabase,
  MARKETPLACE,
  makeWorld,
  ok,
  ROOT,
  spawnCli,
  type World,
} from './cli.js';

// Each `credence ingest` (and `credence import`) numbers the people it creates from what it has
// read: two at once on one database gave different people the same id, each person's facts then
// filed under one id with another's (silently: both exited 0). A second one is refused while the
// first runs, and a run killed before it ended does not stop the next.
const COURT_LIST = join(ROOT, 'examples/sources/samples/court-2026-06.csv');

describe('one ingest or import at a time on a database', () => {
  const worlds: World[] = [];
  const world = (): World => {
    const w = makeWorld({ programs: [MARKETPLACE, CITY_CIVIC] });
    worlds.push(w);
    return w;
  };
  afterEach(() => {
    for (const w of worlds.splice(0)) w.dispose();
  });

  it('refuses a second ingest or import while one runs; run after it, the database is what running them in turn gives', async () => {
    const w = world();
    const lines = [...generateJsonl({ people: 400, seed: 4, days: 364, end: recentEnd() })];
    const cut = Math.floor(lines.length * 0.8);
    const a = join(w.dir, 'a.jsonl');
    const b = join(w.dir, 'b.jsonl');
    writeFileSync(a, lines.slice(0, cut).join(''));
    writeFileSync(b, lines.slice(cut).join(''));

    // The first reads standard input: it runs, waiting for the rest of its lines, until they are sent.
    const first = spawn(process.execPath, [BIN, 'ingest', '-', '--db', w.db, '--batch-size', '100'], {
      cwd: w.dir,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    first.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = new Promise<number | null>((resolve) => first.on('exit', (c) => resolve(c)));
    first.stdin.write(lines.slice(0, 500).join(''));
    for (let i = 0; i < 1000 && countFacts(w.db) < 100; i++) await new Promise((r) => setTimeout(r, 10));
    for (const args of [
      ['ingest', b],
      ['import', 'court', COURT_LIST],
    ]) {
      const second = w.run(args);
      expect(second.code, `${args.join(' ')}: ${second.stderr}`).toBe(5);
      expect(second.stderr).toMatch(
        /another credence (ingest|import) \(process \d+, since .*\) is writing to /,
      );
      expect(second.stderr).toContain('[CREDENCE_E_STATE]');
    }
    // The first was still running when they were refused, and finishes its lines.
    first.stdin.end(lines.slice(500, cut).join(''));
    expect(await code, stderr).toBe(0);
    ok(w.run(['ingest', b]));

    const inTurn = world();
    ok(inTurn.run(['ingest', a, '--batch-size', '100']));
    ok(inTurn.run(['ingest', b]));
    expect(dumpDatabase(w.db)).toEqual(dumpDatabase(inTurn.db));
  });

  it('a run killed before it ended does not refuse the next', async () => {
    const w = world();
    const file = join(w.dir, 'facts.jsonl');
    writeFileSync(file, [...generateJsonl({ people: 300, seed: 6, days: 364, end: recentEnd() })].join(''));
    const killed = spawnCli(['ingest', file, '--db', w.db, '--batch-size', '50'], w.dir);
    const exited = new Promise<void>((resolve) => killed.on('exit', () => resolve()));
    for (let i = 0; i < 1000 && countFacts(w.db) < 100; i++) await new Promise((r) => setTimeout(r, 10));
    killed.kill('SIGKILL');
    await exited;
    ok(w.run(['ingest', file]));
    ok(w.run(['import', 'court', COURT_LIST]));
  });
});
