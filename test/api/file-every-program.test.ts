import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// The person's copy listed a score only where one was cached: after an opt-out (its ledger and
// cached score deleted) the program vanished from `scores`, and a program the person is not
// enrolled in never showed, so the copy said nothing of either. Every loaded program now has its
// row, `not-scored` with the reason where there is no score, as GET /v1/me/scores/{program} says.
const ROOT = resolve(import.meta.dirname, '../..');
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 6 });
});
afterAll(async () => w.dispose());

interface Row {
  program: string;
  status: string;
  reason?: string | null;
}
const programs = () => w.api.ctx.programs.current.ids;

describe("the file's scores list every program", () => {
  it('after an opt-out: the program is listed not-scored, opted-out (API and credence export)', async () => {
    const out = await w.call('POST', '/v1/me/consent', w.keys.person, {
      program: 'marketplace',
      action: 'opt-out',
    });
    expect(out.status).toBe(200);
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    const rows = file.scores as Row[];
    expect(rows.map((r) => r.program)).toEqual([...programs()].sort());
    expect(rows.find((r) => r.program === 'marketplace')).toMatchObject({
      status: 'not-scored',
      reason: 'opted-out',
    });
    for (const r of rows) {
      const own = (await w.call('GET', `/v1/me/scores/${r.program}`, w.keys.person)).body;
      expect({ status: r.status, reason: r.reason ?? null }).toEqual({
        status: own.status,
        reason: own.reason ?? null,
      });
    }

    const x = spawnSync(
      process.execPath,
      [join(ROOT, 'bin/credence.js'), 'export', w.keys.personSubject, '--json', '--db', w.db],
      { encoding: 'utf8' },
    );
    expect(x.status, x.stderr).toBe(0);
    const exported = (JSON.parse(x.stdout) as { scores: Row[] }).scores;
    expect(exported.map((r) => [r.program, r.status, r.reason ?? null])).toEqual(
      rows.map((r) => [r.program, r.status, r.reason ?? null]),
    );
  });
});
