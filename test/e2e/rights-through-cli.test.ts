import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from '../api/api-world.js';
import { ok, runCli } from './cli.js';

// The person's rights as the real binary shows them on a database a server wrote: a relying
// party's inquiry (who, when, why, what they were told) and a dispute, in the person's file and in
// the explanation. The explanation left a disputed fact out without a word: the API's says it is
// under dispute and whether it counts meanwhile (`underDispute`), `credence explain` showed the
// score without it and nothing about why.

let w: ApiWorld;
let disputed: string;
let asOf: string;
beforeAll(async () => {
  w = await makeApiWorld({ people: 6 });
  const subject = w.keys.personSubject;
  const s = await w.call('GET', `/v1/persons/${subject}/score?program=marketplace&purpose=credit`, w.keys.rp);
  expect(s.status).toBe(200);
  const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
  const line = file.ledgers.find(
    (l: { program: string; raw: number }) => l.program === 'marketplace' && l.raw !== 0,
  );
  disputed = line.factKey as string;
  const slash = disputed.indexOf('/');
  w.clock.now += 60_000;
  asOf = new Date(w.clock.now + 1000).toISOString();
  const d = await w.call('POST', '/v1/me/disputes', w.keys.person, {
    source: disputed.slice(0, slash),
    factId: disputed.slice(slash + 1),
    reason: 'paid',
  });
  expect(d.status).toBe(200);
});
afterAll(async () => w.dispose());

const cli = (args: readonly string[]) => ok(runCli([...args, '--db', w.db]));

describe("the person's rights through the CLI, on what the API wrote", () => {
  it('the file lists every inquiry: who asked, when, for which purpose and what they were told', () => {
    const x = JSON.parse(cli(['export', w.keys.personSubject, '--json']).stdout);
    expect(x.inquiries).toHaveLength(1);
    expect(x.inquiries[0]).toMatchObject({
      who: 'Acme Rentals',
      purpose: 'credit',
      action: 'score.query',
      program: 'marketplace',
      sent: { status: 'scored' },
    });
    expect(Number.isNaN(Date.parse(x.inquiries[0].at))).toBe(false);
    const text = cli(['export', w.keys.personSubject]).stdout;
    expect(text).toMatch(
      /inquiries \(1\):\n {2}\S+Z {2}Acme Rentals asked for your score in "Marketplace score \(cross-platform, after Sesame Credit\)" .* for the purpose "credit"\. They were told: \d+/,
    );
    expect(x.disputes).toMatchObject([{ source: disputed.split('/')[0], status: 'open', reason: 'paid' }]);
  });

  it('explain says which fact is under dispute and whether it counts meanwhile', () => {
    const x = JSON.parse(
      cli(['explain', w.keys.personSubject, '--program', 'marketplace', '--as-of', asOf, '--json']).stdout,
    );
    // The example program suspends disputed facts: no point from it, and said so.
    expect(x.contributions.map((c: { factKey?: string }) => c.factKey)).not.toContain(disputed);
    expect(x.underDispute).toMatchObject([{ factKey: disputed, counts: false }]);
    const text = cli(['explain', w.keys.personSubject, '--program', 'marketplace', '--as-of', asOf]).stdout;
    expect(text).toMatch(
      new RegExp(`under dispute at as-of \\(1\\):\\n.*${disputed}.*not counted while the dispute is open`),
    );
    // Before the dispute was opened nothing was under dispute.
    const before = JSON.parse(
      cli([
        'explain',
        w.keys.personSubject,
        '--program',
        'marketplace',
        '--as-of',
        '2026-10-31T00:00:00Z',
        '--json',
      ]).stdout,
    );
    expect(before.underDispute).toEqual([]);
    expect(before.contributions.map((c: { factKey?: string }) => c.factKey)).toContain(disputed);
  });
});
