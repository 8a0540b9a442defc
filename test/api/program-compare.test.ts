import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld, PROGRAM_FILES } from './api-world.js';

// An operator loads a draft and compares it with the version in force before activating it:
// what the comparison says of each person is what scores say once the draft is activated, nothing
// is stored meanwhile, a person who opted out is never scored, and the read is logged.

const MARKETPLACE = readFileSync(PROGRAM_FILES[0] as string, 'utf8');
// More facts needed to be scored, and regular payments worth twice as much.
const CANDIDATE = MARKETPLACE.replace('minFacts: 3', 'minFacts: 5').replace(
  /^ {4}points: 3$/m,
  '    points: 6',
);

interface Row {
  subject: string;
  baseline: string;
  candidate: string;
  baselineScore: number | null;
  candidateScore: number | null;
}

describe('POST /v1/programs/drafts/{draftId}/compare', () => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await makeApiWorld({ people: 30 });
  });
  afterAll(() => w.dispose());

  const standing = async (subject: string): Promise<[string, number | null]> => {
    const r = await w.call(
      'GET',
      `/v1/persons/${subject}/score?program=marketplace&purpose=tenancy`,
      w.keys.rp,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    if (r.body.status === 'scored') return [r.body.tier, r.body.score];
    // A relying party is not told why (docs/api.md); the operator's comparison says it.
    const o = await w.api.ctx.scores.score(r.body.subject, 'marketplace', w.clock.now);
    return [`not scored (${o.status === 'not-scored' ? o.reason : '?'})`, null];
  };

  it('says of each person what the scores say once the draft is activated, and logs the read', async () => {
    expect(CANDIDATE).not.toBe(MARKETPLACE);
    const opt = await w.call('POST', `/v1/me/consent`, w.keys.person, {
      program: 'marketplace',
      action: 'opt-out',
    });
    expect(opt.status, JSON.stringify(opt.body)).toBeLessThan(300);

    const d = await w.call('POST', '/v1/programs/drafts', w.keys.operator, { yaml: CANDIDATE });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    const c = await w.call('POST', `/v1/programs/drafts/${d.body.id}/compare`, w.keys.operator, {
      largest: 1000,
    });
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    expect(c.body.baseline.version).toBe(1);
    expect(c.body.candidate.draft).toBe(d.body.id);
    expect(c.body.baseline['opted-out']).toBeGreaterThanOrEqual(1);
    expect(c.body.candidate['opted-out']).toBe(c.body.baseline['opted-out']);
    const rows: Row[] = c.body.largest;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.subject)).not.toContain(w.keys.personSubject);

    const before = new Map<string, [string, number | null]>();
    for (const r of rows) before.set(r.subject, await standing(r.subject));
    const a = await w.call('POST', `/v1/programs/drafts/${d.body.id}/activate`, w.keys.operator);
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    for (const r of rows) {
      expect([r.baseline, r.baselineScore], r.subject).toEqual(before.get(r.subject));
      expect([r.candidate, r.candidateScore], r.subject).toEqual(await standing(r.subject));
    }

    // One entry for the comparison, one under each person listed.
    const db = new Database(w.db, { readonly: true });
    try {
      const logged = db
        .prepare("SELECT action, subject FROM audit_log WHERE action LIKE 'program.compare%' ORDER BY seq")
        .all() as { action: string; subject: string | null }[];
      expect(logged[0]).toEqual({ action: 'program.compare', subject: null });
      expect(logged.slice(1).map((e) => e.subject)).toEqual(rows.map((r) => r.subject));
    } finally {
      db.close();
    }
    expect((await w.call('GET', '/v1/audit/verify', w.keys.operator)).body.ok).toBe(true);
  });

  it("gives the draft's effectiveFrom, which the comparison does not wait for", async () => {
    const later = MARKETPLACE.replace('minFacts: 3', 'minFacts: 4').replace(
      /^name: .*$/m,
      '$&\neffectiveFrom: 2099-01-01T00:00:00Z',
    );
    const d = await w.call('POST', '/v1/programs/drafts', w.keys.operator, { yaml: later });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    const c = await w.call('POST', `/v1/programs/drafts/${d.body.id}/compare`, w.keys.operator, {
      asOf: '2026-06-01T00:00:00Z',
      largest: 0,
    });
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    expect(c.body.candidate.effectiveFrom).toBe('2099-01-01T00:00:00.000Z');
    expect(c.body.asOf).toBe('2026-06-01T00:00:00.000Z');
  });

  it('refuses an unknown draft, an unknown version, and fields it does not know', async () => {
    expect((await w.call('POST', '/v1/programs/drafts/nope/compare', w.keys.operator, {})).status).toBe(404);
    const d = await w.call('POST', '/v1/programs/drafts', w.keys.operator, {
      yaml: CANDIDATE.replace('points: 6', 'points: 7'),
    });
    const v = await w.call('POST', `/v1/programs/drafts/${d.body.id}/compare`, w.keys.operator, {
      against: 99,
    });
    expect(v.status).toBe(404);
    expect(JSON.stringify(v.body)).toContain('marketplace has no version 99');
    const x = await w.call('POST', `/v1/programs/drafts/${d.body.id}/compare`, w.keys.operator, {
      asof: 'x',
    });
    expect(x.status).toBe(400);
    const rp = await w.call('POST', `/v1/programs/drafts/${d.body.id}/compare`, w.keys.rp, {});
    expect(rp.status).toBe(403);
  });
});
