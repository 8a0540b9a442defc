import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A person's inquiry list named a decision's policy and a screening's flags by id
// ("deposit-free-bike", "dishonest-debtor"): words a person cannot read. Each is now named in the
// rulebook's own words (a policy's description, a flag's reason), its id beside it, over the API
// and in `credence export` alike.
const ROOT = resolve(import.meta.dirname, '../..');
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 6 });
});
afterAll(async () => w.dispose());

interface Inquiry {
  action: string;
  what: string;
}

describe('the inquiries a person reads name policies and flags in words', () => {
  it('a decision and a screening, over the API and in credence export', async () => {
    const subjectId = (await w.api.ctx.app.store.subjectsPage('', 3))[2] as string;
    const token = (await w.api.ctx.auth.issue({ role: 'person', name: 'Three', subject: subjectId })).token;
    const decided = await w.call('POST', '/v1/decisions', w.keys.rp, {
      subject: subjectId,
      program: 'marketplace',
      policy: 'deposit-free-bike',
      purpose: 'credit',
    });
    expect(decided.status).toBe(200);

    const court = await w.api.ctx.auth.issue({
      role: 'furnisher',
      name: 'Court',
      source: 'court',
      rate: 1000,
    });
    const listed = await w.call('POST', '/v1/facts', court.token, {
      facts: [
        {
          id: 'bl-words',
          source: 'court',
          type: 'court.blacklist_listed',
          occurredAt: '2026-10-20T00:00:00Z',
          subject: { subjectId, full_name: 'Wang Xiaoming' },
          data: { court: 'Beijing No. 1', case: '(2026) J 7', ground: 'refuses to perform' },
        },
      ],
    });
    expect(listed.body.counts.accepted).toBe(1);
    // city-civic is opt-in: flags exist only for people scored in it.
    await w.call('POST', '/v1/me/consent', token, { program: 'city-civic', action: 'opt-in' });
    w.clock.now += 61_000;
    const screened = await w.call('POST', '/v1/screen', w.keys.rp, {
      name: 'WANG Xiao Ming',
      purpose: 'tenancy',
    });
    expect(screened.body.candidates.some((c: { subjectId: string }) => c.subjectId === subjectId)).toBe(true);

    const api = (await w.call('GET', '/v1/me/inquiries', token)).body.inquiries as Inquiry[];
    const decision = api.find((i) => i.action === 'decision.query') as Inquiry;
    const screen = api.find((i) => i.action === 'screen.query') as Inquiry;
    expect(decision.what).toContain('"No deposit for shared or public bikes" (deposit-free-bike)');
    expect(screen.what).toContain('Listed as a dishonest judgment debtor (dishonest-debtor)');
    // The file's copy says the same.
    const file = (await w.call('GET', '/v1/me/file', token)).body.inquiries as Inquiry[];
    expect(file.map((i) => i.what)).toEqual(expect.arrayContaining([decision.what, screen.what]));

    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'bin/credence.js'), 'export', subjectId, '--json', '--db', w.db],
      { encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    const exported = (JSON.parse(r.stdout) as { inquiries: Inquiry[] }).inquiries.map((i) => i.what);
    expect(exported).toEqual(expect.arrayContaining([decision.what, screen.what]));
  });
});
