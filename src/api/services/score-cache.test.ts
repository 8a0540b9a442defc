import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from '../../../test/api/api-world.js';
import { createIngest, loadPerson, openApp } from '../../app.js';
import { scorePerson } from '../../core/scoring/index.js';

// The score route answers people it has seen from memory; these check that memory never outlives
// a write, whoever makes it.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 30 });
});
afterAll(async () => w.dispose());

const score = (subject: string, program = 'marketplace') =>
  w.call('GET', `/v1/persons/${subject}/score?program=${program}&purpose=tenancy`, w.keys.rp);

/** The engine's answer from the stored facts, read afresh. */
async function fromScratch(subject: string, program: string, asOf: number) {
  const p = await loadPerson(w.api.ctx.app, subject);
  const rb = w.api.ctx.programs.at(program, asOf);
  return scorePerson(rb, p.facts, asOf, p.consents.get(program) ?? []);
}

describe('the score cache', () => {
  it('sees facts another process commits, on the next request', async () => {
    const subject = w.keys.otherSubject;
    const before = await score(subject); // now in memory
    const other = await openApp(w.db);
    const ingest = createIngest(other, { now: () => w.clock.now });
    const lines = Array.from({ length: 6 }, (_, k) => ({
      file: 'late',
      line: k + 1,
      text: JSON.stringify({
        id: `late-${k}`,
        source: 'bank',
        type: 'loan.defaulted',
        occurredAt: new Date(w.clock.now - (k + 1) * 86_400_000).toISOString(),
        subject: { subjectId: subject },
        data: { lender: 'bank', loan: `L${k}`, amount: 5000 },
      }),
    }));
    await ingest.ingestBatch(lines);
    expect(ingest.counts.accepted).toBe(6);
    await other.close();
    const r = await score(subject);
    const o = await fromScratch(subject, 'marketplace', w.clock.now);
    // The defaults moved the score: an answer from memory would show the old one.
    expect(o.status === 'scored' ? o.score : o.reason).not.toEqual(before.body.score ?? before.body.reason);
    expect(r.body.status).toBe(o.status);
    if (o.status === 'scored') expect(r.body.score).toBe(o.score);
  });

  it('answers not-scored at once after an opt-out, never a remembered number', async () => {
    const subject = w.keys.personSubject;
    const before = await score(subject);
    expect(before.status).toBe(200);
    const out = await w.call('POST', '/v1/me/consent', w.keys.person, {
      program: 'marketplace',
      action: 'opt-out',
    });
    expect(out.status).toBe(200);
    const after = await score(subject);
    // The relying party is not told why (docs/api.md: an opt-out is not disclosed).
    expect(after.body).toMatchObject({ status: 'not-scored' });
    expect(after.body).not.toHaveProperty('reason');
    expect(after.body.score).toBeUndefined();
  });
});
