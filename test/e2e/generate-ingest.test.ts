import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CITY_CIVIC, MARKETPLACE, makeWorld, runCli, type World } from './cli.js';

// The README's example session, on whatever day it runs: a generated population ingested at once
// is stored whole. A population that ended more than a year ago is not: wallet balances, kept a
// year by marketplace, are already past their retention and refused, naming the period.
describe('credence generate, then credence ingest (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('ingests the year up to today with nothing refused', () => {
    w = makeWorld({ programs: [MARKETPLACE, CITY_CIVIC] });
    const gen = runCli(['generate', '--people', '60', '--seed', '4']);
    expect(gen.code).toBe(0);
    const file = join(w.dir, 'facts.jsonl');
    writeFileSync(file, gen.stdout);
    const r = w.json<{ lines: number; accepted: number; rejected: number }>(['ingest', file, '--json']);
    expect(r.lines).toBeGreaterThan(500);
    expect(r).toMatchObject({ rejected: 0, accepted: r.lines });
  });

  it('refuses what a span that ended two years ago holds past its retention', () => {
    w = makeWorld({ programs: [MARKETPLACE, CITY_CIVIC] });
    const end = new Date(Date.now() - 2 * 365 * 86_400_000).toISOString();
    const gen = runCli(['generate', '--people', '60', '--seed', '4', '--end', end]);
    expect(gen.code).toBe(0);
    const file = join(w.dir, 'old.jsonl');
    writeFileSync(file, gen.stdout);
    const wallets = gen.stdout.split('\n').filter((l) => l.includes('"wallet.balance_reported"')).length;
    expect(wallets).toBeGreaterThan(0);
    const r = w.run(['ingest', file, '--json']);
    expect(r.code).toBe(3);
    // The wallet balances, and any retraction of one (its target refused, it is unknown).
    expect(JSON.parse(r.stdout).rejected).toBeGreaterThanOrEqual(wallets);
    expect(r.stderr).toContain('[CREDENCE_E_FACT_PAST_RETENTION]');
    expect(r.stderr).toContain('"wallet.balance_reported" is kept P1Y (marketplace)');
  });
});
