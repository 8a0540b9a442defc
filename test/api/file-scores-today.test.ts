import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// The person's file listed the score cached after their latest fact (the demo's P0000002: 597 as
// of 2026-02-24), while GET /v1/me/scores said today's (557): two numbers for one person, one of
// them months old. The file's `scores`, over the API and in `credence export`, are now as of the
// copy's own time, the same as the score route and `credence score` give then.
const ROOT = resolve(import.meta.dirname, '../..');
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 6 });
});
afterAll(async () => w.dispose());

interface Row {
  program: string;
  asOf: string;
  status: string;
  score?: number | null;
  tier?: string | null;
}
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/credence.js'), ...args, '--db', w.db], {
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
};

describe("the file's scores are today's", () => {
  it('GET /v1/me/file: each score as of the copy, as GET /v1/me/scores gives it then', async () => {
    // Months after the facts: points have faded since the cached score.
    w.clock.now = Date.parse('2027-06-01T00:00:00Z');
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    const scores = file.scores as Row[];
    expect(scores.length).toBeGreaterThan(0);
    for (const s of scores) {
      expect(s.asOf).toBe(file.generatedAt);
      const own = (await w.call('GET', `/v1/me/scores/${s.program}`, w.keys.person)).body;
      expect({ status: s.status, score: s.score ?? null, asOf: s.asOf }).toEqual({
        status: own.status,
        score: own.score ?? null,
        asOf: own.asOf,
      });
    }
  });

  it('credence export: each score as of now, as credence score gives it', () => {
    const before = Date.now();
    const x = JSON.parse(cli('export', w.keys.personSubject, '--json')) as { scores: Row[] };
    const after = Date.now();
    expect(x.scores.length).toBeGreaterThan(0);
    for (const s of x.scores) {
      const at = Date.parse(s.asOf);
      expect(at).toBeGreaterThanOrEqual(before);
      expect(at).toBeLessThanOrEqual(after);
      const own = JSON.parse(
        cli('score', w.keys.personSubject, '--program', s.program, '--as-of', s.asOf, '--json'),
      ) as { status: string; score?: number };
      expect([s.status, s.score ?? null]).toEqual([own.status, own.score ?? null]);
    }
    expect(cli('export', w.keys.personSubject)).toContain('scores (as of now');
  });
});
