import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A relying party asking about a person who opted out must learn no more than about any person
// Credence does not score (too few facts, never opted in): no number, and not the opt-out itself.
// The person still sees the inquiry, and why no score was sent, in their own view.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 40 });
});
afterAll(async () => w.dispose());

const POLICIES = [
  ['marketplace', 'deposit-free-bike'],
  ['marketplace', 'no-deferred-payment'],
  ['city-civic', 'heating-fee-discount'],
] as const;

/** Everything a relying party reads, but the subject id it asked about. */
function told(body: Record<string, unknown>): Record<string, unknown> {
  const { subject: _subject, ...rest } = body;
  return rest;
}

describe('a relying party cannot tell an opt-out from any other person without a score', () => {
  it('score and decision answers are the same for every not-scored person, whatever the reason', async () => {
    const token = w.keys.other;
    const optedOut = w.keys.otherSubject;
    for (const program of ['marketplace', 'city-civic'])
      expect((await w.call('POST', '/v1/me/consent', token, { program, action: 'opt-out' })).status).toBe(
        200,
      );
    const asOf = new Date(w.clock.now).toISOString();
    const subjects = (await w.api.ctx.app.store.subjectsPage('', 40)) as string[];
    for (const [program, policy] of POLICIES) {
      // Every person not scored in the program at as-of, by the reason only the scoring engine knows.
      const byReason = new Map<string, string>();
      for (const s of subjects) {
        const o = await w.api.ctx.scores.score(s, program, w.clock.now);
        if (o.status === 'not-scored' && !byReason.has(o.reason)) byReason.set(o.reason, s);
      }
      expect(byReason.get('opted-out')).toBe(optedOut);
      // Someone not scored for another reason to compare with (too few facts; not opted in).
      expect(byReason.size, program).toBeGreaterThanOrEqual(2);
      const scores = new Set<string>();
      const decisions = new Set<string>();
      for (const s of byReason.values()) {
        const q = `/v1/persons/${s}/score?program=${program}&purpose=credit&asOf=${asOf}`;
        const score = await w.call('GET', q, w.keys.rp);
        expect(score.status).toBe(200);
        expect(score.body.status).toBe('not-scored');
        scores.add(JSON.stringify(told(score.body)));
        const d = await w.call('POST', '/v1/decisions', w.keys.rp, {
          subject: s,
          program,
          policy,
          purpose: 'credit',
          asOf,
        });
        expect(d.status).toBe(200);
        decisions.add(JSON.stringify(told(d.body)));
      }
      expect([...scores]).toHaveLength(1);
      expect([...decisions]).toHaveLength(1);
      const text = [...scores, ...decisions].join('\n');
      for (const word of ['opted', 'OPTED', 'enrolled', 'ENROLLED', 'INSUFFICIENT', 'insufficient'])
        expect(text).not.toContain(word);
    }
    // The person sees each inquiry, and why no score exists, in their own view.
    const inquiries = (await w.call('GET', '/v1/me/inquiries', token)).body.inquiries as any[];
    const mine = inquiries.filter((i) => i.sent.status === 'not-scored');
    expect(mine.length).toBe(POLICIES.length * 2);
    for (const i of mine) expect(i.what).toContain('you had opted out');
  });
});
