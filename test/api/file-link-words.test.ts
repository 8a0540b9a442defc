import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// Each identity link in a person's file said why it exists only in the resolver's terms:
// `decision: "deterministic"`, `confidence: 1`, evidence `{"field":"national_id","outcome":"exact",
// "weight":20}`. A person cannot tell from that why a record was taken to be them. Each link now
// says it in one plain sentence (`what`), naming in words the details that agreed.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

describe('GET /v1/me/file: every identity link says in words why it is there', () => {
  it('a first record, an exact-identifier link and a link on agreeing details each read plainly', async () => {
    const id = '11010519491231002X';
    const fact = (n: number, subject: Record<string, string>) => ({
      id: `qa-link-${n}`,
      source: 'shop',
      type: 'purchase.completed',
      occurredAt: new Date(w.clock.now - (10 - n) * 86_400_000).toISOString(),
      subject,
      data: { amount: 5, items: 1 },
    });
    const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, {
      facts: [
        fact(1, { national_id: id, given_name: 'Anna', surname: 'Lind', date_of_birth: '1949-12-31' }),
        fact(2, { national_id: id, phone: '+8613812345678' }),
      ],
    });
    expect(sent.body.counts.accepted).toBe(2);
    const who = (await w.call('GET', `/v1/persons/${id}/score?program=marketplace&purpose=credit`, w.keys.rp))
      .body.subject;
    const token = (await w.api.ctx.auth.issue({ role: 'person', name: 'Anna', subject: who })).token;
    const file = (await w.call('GET', '/v1/me/file', token)).body;
    expect(file.identityLinks.length).toBe(2);
    const byDecision = new Map(file.identityLinks.map((l: any) => [l.decision, l]));
    const first = byDecision.get('new') as any;
    const exact = byDecision.get('deterministic') as any;
    expect(first.what).toMatch(/began with this record/);
    // The identifier that matched, in words, not its column name.
    expect(exact.what).toContain('national ID number');
    for (const l of file.identityLinks) {
      expect(typeof l.what).toBe('string');
      expect(l.what).not.toMatch(/deterministic|probabilistic|national_id|date_of_birth|weight|undefined/);
    }
  });
});
