import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from '../../../../test/api/api-world.js';
import type { AppendDone, AuditInput } from '../../../audit/index.js';

// A score answered from memory is sent from the audit log's callback (no promise per request):
// these hold that path to the rule every answer follows, its entry committed first.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 12 });
});
afterAll(async () => w.dispose());

const url = (subject: string, program = 'marketplace') =>
  `/v1/persons/${subject}/score?program=${program}&purpose=tenancy`;

describe('the score route and the audit log', () => {
  it('answers from memory only once its entry is committed, with the same score in both', async () => {
    const subject = w.keys.otherSubject;
    await w.call('GET', url(subject), w.keys.rp); // the person is now in memory
    const log = w.api.ctx.audit;
    const appendThen = log.appendThen?.bind(log);
    expect(appendThen).toBeDefined();
    const seen: { input: AuditInput; headAtCallback: number }[] = [];
    // Spy: record the head the log reports when the route is told, before the route answers.
    log.appendThen = (input: AuditInput, done: AppendDone) =>
      appendThen?.(input, (err, e) => {
        seen.push({ input, headAtCallback: e?.seq ?? -1 });
        done(err, e);
      });
    try {
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, k) =>
          w.call('GET', url(subject, k % 2 ? 'marketplace' : 'city-civic'), w.keys.rp),
        ),
      );
      expect(answers.every((a) => a.status === 200)).toBe(true);
      expect(seen).toHaveLength(6);
      const stored = await log.query({ subject, actions: ['score.query'] });
      for (const s of seen) {
        const e = stored.find((x) => x.seq === s.headAtCallback);
        expect(e?.subject).toBe(subject);
        expect(e?.purpose).toBe('tenancy');
      }
      // Each answer is the one its entry records.
      for (const a of answers) {
        const e = stored.find(
          (x) => JSON.parse(x.detail).program === a.body.program && x.seq >= (seen[0]?.headAtCallback ?? 0),
        );
        const d = JSON.parse(e?.detail ?? '{}');
        expect(d.status).toBe(a.body.status);
        if (a.body.status === 'scored') expect(d.score).toBe(a.body.score);
      }
      expect((await log.verify()).ok).toBe(true);
    } finally {
      delete (log as { appendThen?: unknown }).appendThen; // the prototype's again
    }
  });

  it('a score whose entry cannot be stored is not sent: the caller gets an error', async () => {
    const subject = w.keys.otherSubject;
    await w.call('GET', url(subject), w.keys.rp);
    const log = w.api.ctx.audit;
    const before = (await log.head()).seq;
    log.appendThen = (_input: AuditInput, done: AppendDone) =>
      setImmediate(() => done(new Error('disk I/O error'), undefined));
    try {
      const r = await w.call('GET', url(subject), w.keys.rp);
      expect(r.status).toBe(500);
      expect(r.body.score).toBeUndefined();
      expect(r.body.error).toBeDefined();
    } finally {
      delete (log as { appendThen?: unknown }).appendThen;
    }
    expect((await log.head()).seq).toBe(before);
  });

  it('a person not yet in memory takes the awaited path and is recorded the same way', async () => {
    const subjects = await w.api.ctx.app.store.subjectsPage('', 12);
    const fresh = subjects.at(-1) as string;
    const before = (await w.api.ctx.audit.query({ subject: fresh })).length;
    const r = await w.call('GET', url(fresh, 'city-civic'), w.keys.rp);
    expect(r.status).toBe(200);
    const after = await w.api.ctx.audit.query({ subject: fresh });
    expect(after).toHaveLength(before + 1);
    expect(JSON.parse(after.at(-1)?.detail ?? '{}').status).toBe(r.body.status);
  });
});
