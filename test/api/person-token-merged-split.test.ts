import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld, mergeLogged, shopFact, splitLogged } from './api-world.js';

// A person token follows the records it was issued over. A token issued for an id later merged
// away, whose survivor was split since, was refused 409 CREDENCE_E_SUBJECT_AMBIGUOUS on every
// /v1/me route (the id followed only merges), though the records it was issued over are one
// person's; and once that survivor was merged into a third person, the id followed the merges
// there and the token read the third person's file, who does not hold those records. Now the
// token is the person's who holds the records of its id (the rule the inquiry list uses), and no
// one else's.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 2 });
});
afterAll(async () => w.dispose());

let batch = 0;

/** `n` new people (one record each, by a phone of this batch) and a person token for each. */
const people = async (n: number): Promise<{ id: string; record: string; token: string }[]> => {
  batch++;
  const phones = Array.from({ length: n }, (_, i) => `+86139${String(batch).padStart(4, '0')}${i}00`);
  const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, {
    facts: phones.map((phone, i) =>
      shopFact(`tk-${batch}-${i}`, { given_name: `G${batch}x${i}`, surname: `S${i}`, phone }),
    ),
  });
  expect(sent.body.counts?.accepted, JSON.stringify(sent.body)).toBe(n);
  const held = await w.api.ctx.app.store.findFacts(
    phones.map((_, i) => ({ source: 'shop', id: `tk-${batch}-${i}` })),
  );
  const out = [];
  for (let i = 0; i < n; i++) {
    const id = held.get(`shop/tk-${batch}-${i}`)?.subject as string;
    const records = await w.api.ctx.app.store.identityRecordsOf(id);
    expect(records.length).toBe(1);
    const issued = await w.call('POST', '/v1/keys', w.keys.operator, {
      role: 'person',
      name: `p${i}`,
      subject: id,
    });
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    out.push({ id, record: records[0]?.recordId as string, token: issued.body.token as string });
  }
  return out;
};

const merge = (a: string, b: string) => mergeLogged(w, a, b);
const split = (record: string) => splitLogged(w, record);

/** Who holds a record now. */
const holder = async (record: string): Promise<string> =>
  (await w.api.ctx.app.store.identityRecord(record))?.subject as string;

/** The file a token reads: its person and the records in it. */
const fileOf = async (token: string): Promise<{ status: number; subject?: string; records?: string[] }> => {
  const r = await w.call('GET', '/v1/me/file', token);
  if (r.status !== 200) return { status: r.status };
  return {
    status: r.status,
    subject: r.body.subject,
    records: r.body.identityLinks.map((l: { record: string }) => l.record),
  };
};

describe('a person token whose id was merged away, its survivor split since', () => {
  it("reads the file of whoever holds its id's records, not 409", async () => {
    const [a, b] = await people(2);
    if (!a || !b) throw new Error('two people');
    const m = await merge(a.id, b.id);
    const [survivor, absorbed] = m.subjectId === a.id ? [a, b] : [b, a];
    // The survivor's own record split off: the survivor's id now holds the absorbed one's record.
    const s = await split(survivor.record);
    expect(await holder(absorbed.record)).toBe(survivor.id);
    expect(await fileOf(absorbed.token)).toEqual({
      status: 200,
      subject: survivor.id,
      records: [absorbed.record],
    });
    // The survivor's own token follows its record to the split's new id, as before.
    expect(await fileOf(survivor.token)).toEqual({
      status: 200,
      subject: s.subjectId,
      records: [survivor.record],
    });
    // Every person route answers for that person.
    for (const url of ['/v1/me/inquiries', '/v1/me/disputes', '/v1/me/scores/marketplace']) {
      const r = await w.call('GET', url, absorbed.token);
      expect([url, r.status]).toEqual([url, 200]);
    }
  });

  it("never reads a third person's file the survivor was merged into after the split", async () => {
    // The third person is the oldest, so the last merge keeps their id.
    const [c, a, b] = await people(3);
    if (!a || !b || !c) throw new Error('three people');
    const m = await merge(a.id, b.id);
    const absorbed = m.subjectId === a.id ? b : a;
    // The absorbed one's record split off again, then the survivor merged with a third person.
    const s = await split(absorbed.record);
    await merge(m.subjectId, c.id);
    const file = await fileOf(absorbed.token);
    expect(file).toEqual({ status: 200, subject: s.subjectId, records: [absorbed.record] });
  });

  it('over random merge and split histories, each token reads the file holding its own record', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.tuple(fc.constant('merge' as const), fc.nat(3), fc.nat(3)),
            fc.tuple(fc.constant('split' as const), fc.nat(3), fc.constant(0)),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        async (ops) => {
          const ps = await people(4);
          for (const [kind, i, j] of ops) {
            const ri = (ps[i] as { record: string }).record;
            const hi = await holder(ri);
            if (kind === 'merge') {
              const hj = await holder((ps[j] as { record: string }).record);
              // Two people a split set apart are kept apart: that merge is refused, and nothing changes.
              if (hi !== hj)
                await merge(hi, hj).catch((e: { code?: string }) => {
                  if (e.code !== 'CREDENCE_E_IDENTITY_CONFLICT') throw e;
                });
            } else if ((await w.api.ctx.app.store.identityRecordsOf(hi)).length > 1) await split(ri);
          }
          for (const p of ps) {
            const file = await fileOf(p.token);
            expect(file.status).toBe(200);
            expect(file.subject).toBe(await holder(p.record));
            expect(file.records).toContain(p.record);
          }
        },
      ),
      { numRuns: 10 },
    );
  });
});
