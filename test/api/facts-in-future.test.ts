import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// The API's clock is fixed (the world's): POST /v1/facts refuses a fact dated later than it plus
// 5 minutes of clock skew in that fact's result (CREDENCE_E_FACT_IN_FUTURE), the rest stored; a
// relying party may not ask for a score or a decision as of an instant later than now
// (CREDENCE_E_AS_OF_FUTURE), while the person may look ahead at their own score, labelled a
// projection.

const MIN = 60_000;
const DAY = 86_400_000;

describe('the API and instants later than now', () => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await makeApiWorld({ people: 3 });
  });
  afterAll(() => w.dispose());

  const iso = (t: number) => new Date(t).toISOString();

  it('POST /v1/facts refuses a fact dated ahead in its result, stores the rest, and a re-send changes nothing', async () => {
    const subject = { subjectId: w.keys.personSubject };
    const fact = (id: string, occurredAt: string) => ({
      id,
      source: 'shop',
      type: 'purchase.completed',
      occurredAt,
      subject,
      data: { amount: 10, items: 1 },
    });
    const now = w.clock.now;
    const facts = [
      fact('fut-past', iso(now - DAY)),
      fact('fut-ahead', iso(now + 6 * MIN)),
      fact('fut-skew', iso(now + 4 * MIN)),
    ];
    const r = await w.call('POST', '/v1/facts', w.keys.furnisher, { facts });
    expect(r.status).toBe(200);
    expect(r.body.results).toEqual([
      expect.objectContaining({ index: 0, status: 'accepted' }),
      expect.objectContaining({
        index: 1,
        id: 'fut-ahead',
        status: 'rejected',
        code: 'CREDENCE_E_FACT_IN_FUTURE',
        field: 'occurredAt',
        reason: `occurred ${iso(now + 6 * MIN)}, later than now (${iso(now)}) by more than the 5 minutes allowed for clock skew: a fact records what has happened; correct the date (or the sending clock) and send it again`,
      }),
      expect.objectContaining({ index: 2, status: 'accepted' }),
    ]);
    const again = await w.call('POST', '/v1/facts', w.keys.furnisher, { facts });
    expect(again.body.results.map((x: { status: string; code?: string }) => [x.status, x.code])).toEqual([
      ['duplicate', undefined],
      ['rejected', 'CREDENCE_E_FACT_IN_FUTURE'],
      ['duplicate', undefined],
    ]);
    // Once its date has come (the clock moved on), the same fact is taken.
    w.clock.now = now + 2 * MIN;
    const later = await w.call('POST', '/v1/facts', w.keys.furnisher, { facts: [facts[1]] });
    expect(later.body.results[0]).toMatchObject({ status: 'accepted' });
    w.clock.now = now;
  });

  it('refuses a relying party a score or a decision as of an instant later than now, naming asOf', async () => {
    const s = w.keys.personSubject;
    const score = (asOf: number) =>
      w.call('GET', `/v1/persons/${s}/score?program=marketplace&purpose=credit&asOf=${iso(asOf)}`, w.keys.rp);
    const inquiries = async () =>
      ((await w.call('GET', '/v1/me/inquiries', w.keys.person)).body.inquiries as unknown[]).length;
    const before = await inquiries();
    const ahead = await score(w.clock.now + DAY);
    expect(ahead.status).toBe(422);
    // Refused before anything is read: no inquiry in the person's file.
    expect(await inquiries()).toBe(before);
    expect(ahead.body.error).toMatchObject({
      code: 'CREDENCE_E_AS_OF_FUTURE',
      message: expect.stringContaining(`${iso(w.clock.now + DAY)} is later than now (${iso(w.clock.now)})`),
      details: [expect.objectContaining({ field: 'asOf' })],
    });
    // Within the clock skew allowed, and in the past: answered.
    expect((await score(w.clock.now + 4 * MIN)).status).toBe(200);
    expect((await score(w.clock.now - DAY)).status).toBe(200);
    expect(await inquiries()).toBe(before + 2);

    const decide = (asOf: number) =>
      w.call('POST', '/v1/decisions', w.keys.rp, {
        subject: s,
        program: 'marketplace',
        policy: 'deposit-free-rental',
        purpose: 'credit',
        asOf: iso(asOf),
      });
    const d = await decide(w.clock.now + DAY);
    expect(d.status).toBe(422);
    expect(d.body.error.code).toBe('CREDENCE_E_AS_OF_FUTURE');
    expect((await decide(w.clock.now)).status).toBe(200);
  });

  it("answers the person's own score and explanation as of a later instant, labelled a projection", async () => {
    const ahead = iso(w.clock.now + 30 * DAY);
    for (const route of ['scores', 'explanations']) {
      const r = await w.call('GET', `/v1/me/${route}/marketplace?asOf=${ahead}`, w.keys.person);
      expect(r.status).toBe(200);
      expect(r.body.projection).toBe(true);
      const current = await w.call('GET', `/v1/me/${route}/marketplace`, w.keys.person);
      expect(current.status).toBe(200);
      expect(current.body.projection).toBeUndefined();
    }
  });
});
