import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// GET /v1/audit/verify is `credence audit verify` for an operator without the file: it holds the
// tables outside the chain to their seals as the command does, so an edit of a fact or a cached
// score in the file answers ok: false, naming where.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 4 });
});
afterAll(async () => w.dispose());

type Report = {
  ok: boolean;
  seals?: {
    ok: boolean;
    facts?: number;
    derived?: { ledger: number; scores: number };
    path?: string;
    reason?: string;
  };
};
const verify = async (): Promise<Report> => {
  const r = await w.call('GET', '/v1/audit/verify', w.keys.operator);
  expect(r.status).toBe(200);
  return r.body as Report;
};

describe('GET /v1/audit/verify and the tables outside the chain', () => {
  it('answers the seals checked, and ok: false naming the place after an edit of the file', async () => {
    const clean = await verify();
    expect(clean.ok).toBe(true);
    expect(clean.seals?.ok).toBe(true);
    expect(clean.seals?.facts).toBeGreaterThan(0);
    expect(clean.seals?.derived?.scores).toBeGreaterThan(0);

    const db = new Database(w.db);
    const seq = db.prepare('SELECT min(seq) FROM facts').pluck().get() as number;
    const body = db.prepare('SELECT body FROM facts WHERE seq = ?').pluck().get(seq) as string;
    db.prepare('UPDATE facts SET body = ? WHERE seq = ?').run(body.replace('{', '{"edited":1,'), seq);
    const edited = await verify();
    db.prepare('UPDATE facts SET body = ? WHERE seq = ?').run(body, seq);
    expect(edited.ok).toBe(false);
    expect(edited.seals).toMatchObject({ ok: false, path: `facts[seq=${seq}]` });

    expect((await verify()).ok).toBe(true);
    db.prepare('UPDATE scores SET score = coalesce(score, 0) + 1').run();
    db.close();
    const scores = await verify();
    expect(scores.ok).toBe(false);
    expect(scores.seals).toMatchObject({ ok: false, path: 'scores' });
  });
});
