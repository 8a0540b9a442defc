import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// The person's copy of their file (GDPR Art. 15) over HTTP listed only each fact's `data`, though
// every line is stored as sent: what a furnisher sent about the person beside it (an address and
// e-mail with a known subject id, a device and an IP address beside `data`, the note on a
// retraction) was held and never shown. `credence export` was fixed the same way (b9bd3ce).
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

describe('GET /v1/me/file shows every part of each fact as it was sent', () => {
  it('the subject as sent and the fields beside data, for facts, retracted facts and retractions', async () => {
    const subject = w.keys.personSubject;
    const at = (day: number) => new Date(w.clock.now - day * 86_400_000).toISOString();
    const first = {
      id: 'qa-whole-1',
      source: 'shop',
      type: 'purchase.completed',
      occurredAt: at(3),
      subject: { subjectId: subject, address: '1 Quiet Lane, Rongcheng', email: 'zoe@example.com' },
      data: { amount: 7, items: 1 },
      meta: { device: "Zoë's phone", ip: '10.1.2.3' },
    };
    const second = {
      id: 'qa-whole-2',
      source: 'shop',
      type: 'purchase.completed',
      occurredAt: at(2),
      subject: { subjectId: subject },
      data: { amount: 9, items: 2 },
    };
    const retraction = {
      id: 'qa-whole-3',
      source: 'shop',
      retracts: 'qa-whole-2',
      occurredAt: at(1),
      note: { by: 'desk 4', why: 'sent twice' },
    };
    const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, { facts: [first, second, retraction] });
    expect(sent.status).toBe(200);
    expect(sent.body.counts.accepted).toBe(3);

    const file = await w.call('GET', '/v1/me/file', w.keys.person);
    expect(file.status).toBe(200);
    const fact = file.body.facts.find((f: any) => f.id === first.id);
    expect(fact.data).toEqual(first.data);
    expect(fact.subject).toEqual(first.subject);
    expect(fact.sent).toEqual({ meta: first.meta });
    const retracted = file.body.retractedFacts.find((f: any) => f.id === second.id);
    expect(retracted.subject).toEqual(second.subject);
    expect(retracted.retractedBy).toEqual([retraction.id]);
    // Nothing beyond the usual fields was sent with it: no `sent` to show.
    expect(retracted).not.toHaveProperty('sent');
    const r = file.body.retractions.find((x: any) => x.id === retraction.id);
    expect(r.sent).toEqual({ note: retraction.note });

    // The other person's copy holds none of it.
    const other = await w.call('GET', '/v1/me/file', w.keys.other);
    expect(JSON.stringify(other.body)).not.toContain('Quiet Lane');
  });
});
