import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPerson } from '../../src/app.js';
import type { ScoringFact } from '../../src/core/facts/fact.js';
import { type ScoreOutcome, scorePerson } from '../../src/core/scoring/index.js';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// An as-of score applied today's dispute marks: a fact disputed today was left out of a replay of
// last month (marketplace suspends disputed facts), and once the dispute was rejected the stretch
// it was open was replayed as if it had never been. A fact is marked while its dispute was open:
// from `opened_at` (inclusive) until `resolved_at` (exclusive).
// Real server on a SQLite file; the oracle is the core's `scorePerson` on the person's stored
// facts, the fact marked by hand, never the server's own scoring.
const PROGRAM = 'marketplace';
const scoreOf = (o: ScoreOutcome): number | null => (o.status === 'scored' ? o.score : null);
const DAY = 86_400_000;

let w: ApiWorld;
let subject: string;
let facts: ScoringFact[];
let consents: Map<string, { action: 'opt-in' | 'opt-out'; at: number }[]>;
let disputed: ScoringFact;
/** When the dispute is opened and when it is rejected (server clock). */
let opened: number;
let rejected: number;

beforeAll(async () => {
  w = await makeApiWorld({ people: 30 });
  subject = w.keys.personSubject;
  const loaded = await loadPerson(w.api.ctx.app, subject);
  facts = loaded.facts;
  consents = loaded.consents as typeof consents;
  opened = w.clock.now + 2 * DAY;
  rejected = opened + 10 * DAY;
  // The fact whose suspension moves the score most while the dispute is open: the test would
  // prove nothing with a fact that changes nothing.
  const rb = w.api.ctx.scores.rulebook(PROGRAM, opened);
  const at = opened + DAY;
  const full = scoreOf(scorePerson(rb, facts, at, consents.get(PROGRAM) ?? [])) ?? 0;
  let best = 0;
  for (const f of facts.filter((x) => rb.events[x.type] !== undefined && !x.type.startsWith('credence.'))) {
    const marked = facts.map((x) => (x.key === f.key ? { ...x, disputed: true } : x));
    const moved = Math.abs((scoreOf(scorePerson(rb, marked, at, consents.get(PROGRAM) ?? [])) ?? 0) - full);
    if (moved > best) {
      best = moved;
      disputed = f;
    }
  }
  expect(best, 'a fact whose dispute moves the score').toBeGreaterThan(0);
});
afterAll(() => w.dispose());

/** What the score at `t` must be when the dispute marks the fact over `[from, until)`. */
const oracle = (t: number, from: number, until: number): number | null => {
  const rb = w.api.ctx.scores.rulebook(PROGRAM, t);
  const held = from <= t && t < until;
  const marked = facts.map((x) => (held && x.key === disputed.key ? { ...x, disputed: true } : x));
  return scoreOf(scorePerson(rb, marked, t, consents.get(PROGRAM) ?? [])) ?? null;
};

const iso = (t: number) => new Date(t).toISOString();

/** What a relying party is answered as of an instant later than the clock: refused (`AHEAD` stands for it). */
const AHEAD = 'refused: CREDENCE_E_AS_OF_FUTURE';
/** Whether `t` is later than the server's clock beyond the 5 minutes of clock skew allowed. */
const ahead = (t: number) => t > w.clock.now + 5 * 60_000;

/**
 * The score at `t` by the three routes that compute one: relying party, the person, explanation.
 * A relying party may not ask as of an instant still to come (a decision rests on what is known
 * now): it gets `AHEAD`, the person's own routes the projection.
 */
const scoresAt = async (t: number) => {
  const rp = await w.call(
    'GET',
    `/v1/persons/${subject}/score?program=${PROGRAM}&purpose=tenancy&asOf=${iso(t)}`,
    w.keys.rp,
  );
  const own = await w.call('GET', `/v1/me/scores/${PROGRAM}?asOf=${iso(t)}`, w.keys.person);
  const ex = await w.call('GET', `/v1/me/explanations/${PROGRAM}?asOf=${iso(t)}`, w.keys.person);
  for (const r of [own, ex]) expect(r.status, JSON.stringify(r.body)).toBe(200);
  if (ahead(t)) expect([rp.status, rp.body.error?.code]).toEqual([422, 'CREDENCE_E_AS_OF_FUTURE']);
  else expect(rp.status, JSON.stringify(rp.body)).toBe(200);
  return {
    rp: ahead(t) ? AHEAD : (rp.body.score ?? null),
    own: own.body.score ?? null,
    explained: ex.body.outcome.score ?? null,
    underDispute: (ex.body.underDispute as { factKey: string; dispute: string | null }[]).map((u) => [
      u.factKey,
      u.dispute,
    ]),
  };
};

/** Instants before, at and around the opening and the resolution, and long after. */
const table = (): number[] => [
  disputed.at,
  opened - DAY,
  opened - 1,
  opened,
  opened + 1,
  opened + 5 * DAY,
  rejected - 1,
  rejected,
  rejected + 1,
  rejected + 20 * DAY,
];

describe('as-of scores apply the dispute state of that instant (real server, SQLite file)', () => {
  let disputeId: string;

  it('before any dispute, every instant is the undisputed score', async () => {
    for (const t of table()) {
      const s = await scoresAt(t);
      const want = oracle(t, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
      expect([s.rp, s.own, s.explained], iso(t)).toEqual([ahead(t) ? AHEAD : want, want, want]);
      expect(s.underDispute, iso(t)).toEqual([]);
    }
  });

  it('while the dispute is open, instants before its opening are as they were', async () => {
    w.clock.now = opened;
    const r = await w.call('POST', '/v1/me/disputes', w.keys.person, {
      source: disputed.source,
      factId: disputed.id,
      reason: 'not mine',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    disputeId = r.body.id;
    w.clock.now = opened + 3 * DAY;
    for (const t of table()) {
      const s = await scoresAt(t);
      const want = oracle(t, opened, Number.POSITIVE_INFINITY);
      expect([s.rp, s.own, s.explained], iso(t)).toEqual([ahead(t) ? AHEAD : want, want, want]);
      expect(s.underDispute, iso(t)).toEqual(
        t >= opened && t >= disputed.at ? [[disputed.key, disputeId]] : [],
      );
    }
    // Not vacuous: the open dispute does change the score from its opening on.
    expect(oracle(opened, opened, Number.POSITIVE_INFINITY)).not.toBe(
      oracle(opened, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY),
    );
  });

  it('once rejected, the stretch it was open stays marked, and before and after it count', async () => {
    w.clock.now = rejected;
    const op = await w.call('POST', `/v1/disputes/${disputeId}/resolve`, w.keys.operator, {
      outcome: 'rejected',
      note: 'the shop confirms it',
    });
    expect(op.status, JSON.stringify(op.body)).toBe(200);
    w.clock.now = rejected + 30 * DAY;
    for (const t of table()) {
      const s = await scoresAt(t);
      const want = oracle(t, opened, rejected);
      expect([s.rp, s.own, s.explained], iso(t)).toEqual([ahead(t) ? AHEAD : want, want, want]);
      expect(s.underDispute, iso(t)).toEqual(
        t >= opened && t < rejected && t >= disputed.at ? [[disputed.key, disputeId]] : [],
      );
    }
  });

  it('property: at any instant, and asked in any order, the score is the one of that instant', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: opened - 20 * DAY, max: rejected + 20 * DAY }), {
          minLength: 1,
          maxLength: 6,
        }),
        async (instants) => {
          for (const t of instants) {
            const s = await scoresAt(t);
            const want = oracle(t, opened, rejected);
            expect([s.rp, s.own, s.explained], iso(t)).toEqual([ahead(t) ? AHEAD : want, want, want]);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('a server opened afterwards on the same file replays the same (the marks are read back)', async () => {
    const { openApi } = await import('../../src/api/index.js');
    const again = await openApi(w.db, { clock: () => w.clock.now });
    try {
      for (const t of table()) {
        const o = await again.ctx.scores.score(subject, PROGRAM, t);
        expect(scoreOf(o), iso(t)).toBe(oracle(t, opened, rejected));
      }
    } finally {
      await again.close();
    }
  });
});
