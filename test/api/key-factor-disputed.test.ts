import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, activateRulebook, exampleWith, makeApiWorld } from './api-world.js';

// A program may let disputed facts count while under review (`disputes: { suspend: false }`).
// A relying party was then sent key factors — in a score and in a denial's adverse-action notice —
// resting on facts the person disputes, with nothing saying so: a court listing under dispute
// led a refusal's notice as if uncontested. A report built on disputed information must say it is
// disputed (US FCRA §611(c); the PBoC report's objection marks): such a factor carries
// `disputed: true`.
let w: ApiWorld;
let subject: string;
let token: string;
beforeAll(async () => {
  w = await makeApiWorld({ people: 120 });
  await activateRulebook(w, exampleWith(1, 'disputes: { suspend: true }', 'disputes: { suspend: false }'));
  // Someone listed as a dishonest debtor, who also has points taken off by court facts.
  for (const s of await w.api.ctx.app.store.subjectsPage('', 200)) {
    const o = await w.api.ctx.scores.score(s, 'city-civic', w.clock.now);
    if (o.status === 'scored' && o.flags.includes('dishonest-debtor') && o.keyFactors.length >= 2) {
      subject = s;
      break;
    }
  }
  expect(subject).toBeDefined();
  token = (await w.api.ctx.auth.issue({ role: 'person', name: 'listed', subject, rate: 1000 })).token;
}, 60_000);
afterAll(async () => w.dispose());

interface Factor {
  code: string;
  points: number;
  disputed?: boolean;
}
interface Contribution {
  factKey?: string;
  points: number;
  reason: { code: string };
}

const decide = () =>
  w.call('POST', '/v1/decisions', w.keys.rp, {
    subject,
    program: 'city-civic',
    policy: 'no-flights',
    purpose: 'credit',
  });
const score = (asOf?: string) =>
  w.call(
    'GET',
    `/v1/persons/${subject}/score?program=city-civic&purpose=credit${asOf ? `&asOf=${asOf}` : ''}`,
    w.keys.rp,
  );

describe('key factors resting on a fact the person disputes', () => {
  it('are marked disputed in the score and in the notice, and only those', async () => {
    const before = (await score()).body;
    expect(before.keyFactors.some((k: Factor) => 'disputed' in k)).toBe(false);
    const notice0 = (await decide()).body.notice;
    expect(notice0.keyFactors.some((k: Factor) => 'disputed' in k)).toBe(false);

    // Dispute the listing and the fact behind the largest deduction.
    const ex = (await w.call('GET', '/v1/me/explanations/city-civic', token)).body;
    const file = (await w.call('GET', '/v1/me/file', token)).body;
    const listing = file.facts.find((f: { type: string }) => f.type === 'court.blacklist_listed');
    const worst = (ex.contributions as Contribution[])
      .filter((c) => c.factKey !== undefined && c.reason.code === before.keyFactors[0].code && c.points < 0)
      .at(0) as Contribution;
    expect(listing && worst).toBeTruthy();
    const openedAt = w.clock.now + 1000;
    w.clock.now = openedAt;
    for (const key of [`${listing.source}/${listing.id}`, worst.factKey as string]) {
      const [source, factId] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
      const d = await w.call('POST', '/v1/me/disputes', token, { source, factId, reason: 'settled in 2025' });
      expect(d.status).toBe(200);
    }
    w.clock.now += 1000;
    const disputedKeys = new Set([`${listing.source}/${listing.id}`, worst.factKey]);
    const expected = (k: Factor) =>
      (ex.contributions as Contribution[]).some(
        (c) =>
          c.reason.code === k.code &&
          c.factKey !== undefined &&
          disputedKeys.has(c.factKey) &&
          Math.sign(c.points) === Math.sign(k.points),
      );

    // Still counting (suspend: false), now marked.
    const now = (await score()).body;
    expect(now.score).toBe(before.score);
    expect(now.keyFactors.length).toBeGreaterThan(1);
    for (const k of now.keyFactors as Factor[])
      expect([k.code, k.disputed === true]).toEqual([k.code, expected(k)]);
    expect((now.keyFactors as Factor[]).filter((k) => k.disputed)).toHaveLength(1);

    const notice = (await decide()).body.notice;
    const flagCode = notice.keyFactors[0].code;
    for (const k of notice.keyFactors as Factor[]) {
      // The flag's factor rests on the listing, disputed.
      const want = k.code === flagCode ? true : expected(k);
      expect([k.code, k.disputed === true]).toEqual([k.code, want]);
    }
    expect(notice.keyFactors.filter((k: Factor) => !k.disputed).length).toBeGreaterThan(0);

    // A replay of a time before the disputes is as it was; the answers match /openapi.json.
    const replay = (await score(new Date(openedAt - 1).toISOString())).body;
    expect(replay.keyFactors.some((k: Factor) => 'disputed' in k)).toBe(false);
    const doc = (await w.call('GET', '/openapi.json')).body;
    const factorOf = (path: string) =>
      JSON.stringify(doc.paths[path][path.includes('decisions') ? 'post' : 'get'].responses['200']);
    expect(factorOf('/v1/persons/{subject}/score')).toContain('disputed');
    expect(factorOf('/v1/decisions')).toContain('disputed');
  });
});
