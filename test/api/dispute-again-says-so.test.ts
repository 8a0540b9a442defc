import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A second dispute of a fact (or link) already under open dispute answered the open one, with its
// first reason, exactly as if it were new: the person could believe their new reason was on file.
// One dispute stays open (nothing new is stored), and the answer now says so: `alreadyOpen: true`
// and a notice that the reason sent was not recorded; the audit entry is marked `again`.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 6 });
});
afterAll(async () => w.dispose());

interface Fact {
  source: string;
  id: string;
}

const entriesOf = async (id: string) =>
  (await w.api.ctx.audit.query({ actions: ['dispute.open'] }))
    .map((e) => JSON.parse(String(e.detail)) as Record<string, unknown>)
    .filter((d) => d.dispute === id);

describe('disputing again what is already under open dispute', () => {
  it('a fact: the open dispute, unchanged, with alreadyOpen and a notice; the new reason not stored', async () => {
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    const f = (file.facts as Fact[])[0] as Fact;
    const first = await w.call('POST', '/v1/me/disputes', w.keys.person, {
      source: f.source,
      factId: f.id,
      reason: 'paid in full',
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ alreadyOpen: false, notice: null, reason: 'paid in full' });
    w.clock.now += 60_000;
    const again = await w.call('POST', '/v1/me/disputes', w.keys.person, {
      source: f.source,
      factId: f.id,
      reason: 'and the amount was wrong too',
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, reason: 'paid in full', alreadyOpen: true });
    expect(again.body.notice).toContain('not recorded');
    expect(again.body.notice).toContain(String(first.body.id));
    expect(again.body.notice).toContain(`${f.source}/${f.id}`);
    const list = (await w.call('GET', '/v1/me/disputes', w.keys.person)).body.disputes as {
      id: string;
      reason: string;
    }[];
    expect(list.filter((d) => d.id === first.body.id).map((d) => d.reason)).toEqual(['paid in full']);
    expect(await entriesOf(String(first.body.id))).toEqual([
      { dispute: first.body.id, fact: `${f.source}/${f.id}` },
      { dispute: first.body.id, fact: `${f.source}/${f.id}`, again: true },
    ]);
    const v = (await w.call('GET', '/v1/audit/verify', w.keys.operator)).body;
    expect(v.ok).toBe(true);
    expect(v.disputes.ok).toBe(true);
  });

  it('a link: the same', async () => {
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    const record = (file.identityLinks as { record: string }[])[0]?.record as string;
    const first = await w.call('POST', '/v1/me/link-disputes', w.keys.person, { record, reason: 'not me' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ alreadyOpen: false, notice: null });
    const again = await w.call('POST', '/v1/me/link-disputes', w.keys.person, {
      record,
      reason: 'still not me',
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, reason: 'not me', alreadyOpen: true });
    expect(again.body.notice).toContain('not recorded');
  });
});
