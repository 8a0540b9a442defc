import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { courtListSnapshot } from '../../src/ingest/sources/samples/index.js';
import { CITY_CIVIC, countFacts, dumpDatabase, makeWorld, spawnCli, type World } from '../e2e/cli.js';

describe('a crashed import, run again, finishes the job (real binary, real database)', () => {
  const worlds: World[] = [];
  afterEach(() => {
    for (const w of worlds.splice(0)) w.dispose();
  });

  it('kill -9 mid-import, re-run: the same database as an uninterrupted import', async () => {
    const crashed = makeWorld({ programs: [CITY_CIVIC] });
    const clean = makeWorld({ programs: [CITY_CIVIC] });
    worlds.push(crashed, clean);
    const file = join(crashed.dir, 'court.csv');
    writeFileSync(
      file,
      `${[...courtListSnapshot({ rows: 12_000, people: 24_000, seed: 3 }, 1)].join('\n')}\n`,
    );

    const child = spawnCli(['import', 'court', file, '--db', crashed.db], crashed.dir);
    // Wait for the first committed batch, then kill without warning.
    const deadline = Date.now() + 60_000;
    while (countFacts(crashed.db) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const partial = countFacts(crashed.db);
    expect(partial).toBeGreaterThan(0);

    const resumed = crashed.json<{ accepted: number }>(['import', 'court', file]);
    clean.json(['import', 'court', file]);
    const a = dumpDatabase(crashed.db);
    const b = dumpDatabase(clean.db);
    // Rows are numbered by arrival; compare the content.
    const strip = (rows: unknown[] | undefined) => (rows as { seq?: number }[]).map(({ seq: _s, ...r }) => r);
    expect(strip(a.facts).length).toBe(strip(b.facts).length);
    expect(new Set(strip(a.facts).map((r) => JSON.stringify(r)))).toEqual(
      new Set(strip(b.facts).map((r) => JSON.stringify(r))),
    );
    expect(a.ledger).toEqual(b.ledger);
    expect(resumed.accepted + partial).toBe(strip(b.facts).length);
  });
});
