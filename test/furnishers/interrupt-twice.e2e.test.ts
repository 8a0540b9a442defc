import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COURT_LIST_COLUMNS, courtListSnapshot } from '../../src/ingest/sources/samples/index.js';
import { CITY_CIVIC, countFacts, makeWorld, spawnCli, type World } from '../e2e/cli.js';

// The first Ctrl-C stops an import after its batch and prints the refusals; a second one ends the
// process at once. Refusals are printed at the end in line order, so the second Ctrl-C threw away
// every refusal already known: the operator was told to run the import again, not which rows of
// the file were wrong. Now the refusals known are printed before the process ends.

const SEX = COURT_LIST_COLUMNS.indexOf('sex');

describe('an import stopped by two Ctrl-Cs (real binary, real database)', () => {
  const worlds: World[] = [];
  afterEach(() => {
    for (const w of worlds.splice(0)) w.dispose();
  });

  async function interruptTwice(args: readonly string[], w: World, file: string) {
    const child = spawnCli(['import', 'court', file, '--db', w.db, ...args], w.dir);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    // The bad rows are the file's first ones: mapped and refused before the first batch commits.
    const deadline = Date.now() + 60_000;
    while (countFacts(w.db) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGINT');
    // Two signals sent at once may reach the process as one (the kernel keeps one pending).
    await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    return { code: await code, stdout: () => stdout, stderr: () => stderr };
  }

  function world(): { w: World; file: string } {
    const w = makeWorld({ programs: [CITY_CIVIC] });
    worlds.push(w);
    const lines = [...courtListSnapshot({ rows: 20_000, people: 40_000, seed: 5 }, 1)];
    for (const i of [1, 3]) {
      const cells = (lines[i] ?? '').split(',');
      cells[SEX] = 'X';
      lines[i] = cells.join(',');
    }
    const file = join(w.dir, 'court.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    return { w, file };
  }

  it('prints the refusals already known, with line, column and reason, and exits 130', async () => {
    const { w, file } = world();
    const r = await interruptTwice([], w, file);
    expect(r.code).toBe(130);
    const err = r.stderr();
    expect(err).toMatch(/court\.csv:2 column sex: "X" is not one of/);
    expect(err).toMatch(/court\.csv:4 column sex: "X" is not one of/);
    expect(err.indexOf('court.csv:2 ')).toBeLessThan(err.indexOf('court.csv:4 '));
    expect(err).toMatch(/run the same command again/);
  });

  it('with --json, prints one object holding them', async () => {
    const { w, file } = world();
    const r = await interruptTwice(['--json'], w, file);
    expect(r.code).toBe(130);
    const out = JSON.parse(r.stdout()) as {
      interrupted: boolean;
      refusals: { line: number; column: string }[];
    };
    expect(out.interrupted).toBe(true);
    expect(out.refusals.slice(0, 2)).toMatchObject([
      { line: 2, column: 'sex' },
      { line: 4, column: 'sex' },
    ]);
  });
});
