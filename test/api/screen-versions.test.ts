import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld, PROGRAM_FILES } from './api-world.js';

// Screening finds people by the flags they hold now, so under the version in force now. The name
// index was built with each program's latest loaded version: a version not in force yet (here one
// that scores nobody, minFacts far above anyone's) took a listed debtor off the list before its date.

const CIVIC = readFileSync(PROGRAM_FILES[1] as string, 'utf8');

describe('POST /v1/screen under the version in force', () => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await makeApiWorld({ people: 5 });
  });
  afterAll(() => w.dispose());

  it('finds a listed person while a later version is only scheduled, and not once it is in force', async () => {
    const subjectId = (await w.api.ctx.app.store.subjectsPage('', 3))[2] as string;
    const token = (await w.api.ctx.auth.issue({ role: 'person', name: 'Three', subject: subjectId })).token;
    const court = await w.api.ctx.auth.issue({ role: 'furnisher', name: 'Court', source: 'court' });
    const listed = await w.call('POST', '/v1/facts', court.token, {
      facts: [
        {
          id: 'bl-v',
          source: 'court',
          type: 'court.blacklist_listed',
          occurredAt: '2026-10-20T00:00:00Z',
          subject: { subjectId, full_name: 'Wang Xiaoming' },
          data: { court: 'Beijing No. 1', case: '(2026) J 9', ground: 'refuses to perform' },
        },
      ],
    });
    expect(listed.body.counts.accepted).toBe(1);
    expect(
      (await w.call('POST', '/v1/me/consent', token, { program: 'city-civic', action: 'opt-in' })).status,
    ).toBe(200);
    // Version 2, from 30 days on, scores nobody.
    const from = new Date(w.clock.now + 30 * 86_400_000).toISOString();
    const v2 = CIVIC.replace(/^program: city-civic$/m, `program: city-civic\neffectiveFrom: ${from}`).replace(
      /^minFacts: \d+$/m,
      'minFacts: 1000000',
    );
    expect(v2).toContain('minFacts: 1000000');
    const d = await w.call('POST', '/v1/programs/drafts', w.keys.operator, { yaml: v2 });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    expect((await w.call('POST', `/v1/programs/drafts/${d.body.id}/activate`, w.keys.operator)).status).toBe(
      200,
    );

    const found = async () => {
      const r = await w.call('POST', '/v1/screen', w.keys.rp, { name: 'WANG Xiao Ming', purpose: 'tenancy' });
      expect(r.status).toBe(200);
      return r.body.candidates.some((c: { subjectId: string }) => c.subjectId === subjectId);
    };
    const scoredNow = await w.call(
      'GET',
      `/v1/persons/${subjectId}/score?program=city-civic&purpose=tenancy`,
      w.keys.rp,
    );
    expect(scoredNow.body).toMatchObject({ status: 'scored', version: 1 });
    expect(await found()).toBe(true);
    const saved = w.clock.now;
    try {
      w.clock.now += 31 * 86_400_000;
      expect(await found()).toBe(false);
    } finally {
      w.clock.now = saved;
    }
  });
});
