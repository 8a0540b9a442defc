import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld, shopFact } from './api-world.js';

// Every inquiry about a person is in exactly one person's list: the one it was about. Two people
// are asked about, merged (the real binary's `identity merge`), asked about again, split apart
// (`identity split`) and asked about once more; each person's list (GET /v1/me/inquiries, the
// file, `credence export`) must hold their own inquiries and no one else's. Before, the merged-away
// id's inquiries were in no list after the split, and those made under the surviving id before
// the split stayed with that id even when the split took its person's own record to a new id, so
// one person's inquiries showed to the other.
const ROOT = join(import.meta.dirname, '../..');
const PHONE_A = '+8613900000101';
const PHONE_B = '+8613900000202';

let w: ApiWorld;
beforeEach(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterEach(async () => w.dispose());

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/credence.js'), ...args, '--db', w.db], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`credence ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
};

/** A relying party's score query by phone, tagged by its as-of date (day of October 2026). */
const ask = async (phone: string, day: number): Promise<string> => {
  const asOf = `2026-10-${String(day).padStart(2, '0')}T00:00:00.000Z`;
  const r = await w.call(
    'GET',
    `/v1/persons/${encodeURIComponent(phone)}/score?program=marketplace&purpose=tenancy&asOf=${asOf}`,
    w.keys.rp,
  );
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.subject as string;
};

const tokenFor = async (subject: string): Promise<string> =>
  (await w.call('POST', '/v1/keys', w.keys.operator, { role: 'person', name: `for ${subject}`, subject }))
    .body.token as string;

const dayOf = (i: { sent: { asOf: string } }) => Number(i.sent.asOf.slice(8, 10));

/** The facts whose disputes a person reads. */
const disputed = async (subject: string): Promise<string[]> =>
  (await w.call('GET', '/v1/me/disputes', await tokenFor(subject))).body.disputes.map(
    (d: { factId: string }) => d.factId,
  );

/** The inquiries each person reads (by their as-of day), the same over the list, file and export. */
const listed = async (subject: string): Promise<number[]> => {
  const token = await tokenFor(subject);
  const list = await w.call('GET', '/v1/me/inquiries', token);
  expect(list.status, JSON.stringify(list.body)).toBe(200);
  const days = list.body.inquiries.map(dayOf);
  // Read a page of two at a time, the same list.
  const paged: number[] = [];
  for (let after: number | undefined, n = 0; n < 10; n++) {
    const page = await w.call(
      'GET',
      `/v1/me/inquiries?limit=2${after !== undefined ? `&after=${after}` : ''}`,
      token,
    );
    paged.push(...page.body.inquiries.map(dayOf));
    after = page.body.next;
    if (after === undefined) break;
  }
  expect(paged).toEqual(days);
  const file = await w.call('GET', '/v1/me/file', token);
  expect(file.body.inquiries.map(dayOf)).toEqual(days);
  expect(cli('export', subject, '--json').inquiries.map(dayOf)).toEqual(days);
  return days;
};

/** Two people, one asked about on day 1, the other on day 2, merged and asked about on days 3 and 4. */
const mergeTwo = async () => {
  const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, {
    facts: [
      shopFact('ms-a', { given_name: 'Fang', surname: 'Gao', phone: PHONE_A }),
      shopFact('ms-b', { given_name: 'Yan', surname: 'Lu', phone: PHONE_B }),
    ],
  });
  expect(sent.body.counts.accepted).toBe(2);
  const a = await ask(PHONE_A, 1);
  const b = await ask(PHONE_B, 2);
  expect(a).not.toBe(b);
  // Each is given a person token, and disputes their own fact, before the merge (a dispute is of
  // the fact: it goes with it).
  const tokens = { a: await tokenFor(a), b: await tokenFor(b) };
  for (const [token, factId] of [
    [tokens.a, 'ms-a'],
    [tokens.b, 'ms-b'],
  ] as const) {
    const opened = await w.call('POST', '/v1/me/disputes', token, {
      source: 'shop',
      factId,
      reason: 'not my purchase',
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
  }
  const merged = cli('identity', 'merge', a, b, '--json');
  expect(merged.subjectId).toBe([a, b].sort()[0]);
  expect(await ask(PHONE_A, 3)).toBe(merged.subjectId);
  expect(await ask(PHONE_B, 4)).toBe(merged.subjectId);
  const records = await w.api.ctx.app.store.identityRecordsOf(merged.subjectId);
  const recordOf = (phone: string) => records.find((r) => r.body.includes(phone))?.recordId as string;
  return {
    a,
    b,
    tokens,
    survivor: merged.subjectId as string,
    recordA: recordOf(PHONE_A),
    recordB: recordOf(PHONE_B),
  };
};

describe("a person's inquiries across a merge and a split", () => {
  it('merged with no split: the merged person reads every inquiry, under either id', async () => {
    const { a, b, survivor } = await mergeTwo();
    expect(await listed(survivor)).toEqual([1, 2, 3, 4]);
    // The merged-away id names the survivor: the same list.
    expect(await listed(survivor === a ? b : a)).toEqual([1, 2, 3, 4]);
  });

  it("split off the merged-away person's record: each reads their own, the older id keeps the merged time's", async () => {
    const { a, survivor, recordA, recordB } = await mergeTwo();
    const other = recordA !== undefined && survivor === a ? recordB : recordA;
    const kept = survivor === a ? 1 : 2;
    const split = cli('identity', 'split', other, '--json');
    const [phoneKept, phoneSplit] = survivor === a ? [PHONE_A, PHONE_B] : [PHONE_B, PHONE_A];
    expect(await ask(phoneKept, 5)).toBe(survivor);
    expect(await ask(phoneSplit, 6)).toBe(split.subjectId);
    // The survivor's person asked about before the merge, and the merged person (under its id).
    expect(await listed(survivor)).toEqual([kept, 3, 4, 5]);
    // The merged-away person's inquiry before the merge is theirs again, not lost.
    expect(await listed(split.subjectId)).toEqual([3 - kept, 6]);
    const [factKept, factSplit] = survivor === a ? ['ms-a', 'ms-b'] : ['ms-b', 'ms-a'];
    expect(await disputed(survivor)).toEqual([factKept]);
    expect(await disputed(split.subjectId)).toEqual([factSplit]);
  });

  it("split off the surviving id's own record: its inquiries before the split go with that record", async () => {
    const { a, survivor, recordA, recordB, tokens } = await mergeTwo();
    const own = survivor === a ? recordA : recordB;
    const kept = survivor === a ? 1 : 2;
    const split = cli('identity', 'split', own, '--json');
    // The surviving id now names the merged-away person; the split-off id the survivor's person.
    const [phoneOwn, phoneOther] = survivor === a ? [PHONE_A, PHONE_B] : [PHONE_B, PHONE_A];
    expect(await ask(phoneOther, 5)).toBe(survivor);
    expect(await ask(phoneOwn, 6)).toBe(split.subjectId);
    // Before: the survivor's id kept days 1 (or 2), 3 and 4, another person's, and 2 (or 1) was lost.
    expect(await listed(survivor)).toEqual([3 - kept, 5]);
    expect(await listed(split.subjectId)).toEqual([kept, 3, 4, 6]);
    const [factOwn, factOther] = survivor === a ? ['ms-a', 'ms-b'] : ['ms-b', 'ms-a'];
    expect(await disputed(survivor)).toEqual([factOther]);
    expect(await disputed(split.subjectId)).toEqual([factOwn]);
    // The token the survivor's person was given before the merge is theirs: it reads their file,
    // now under the split-off id, not the other person's, which the id names since. (It read the
    // other person's facts, inquiries and disputes before.) One issued for the id now is the other's.
    const before = await w.call('GET', '/v1/me/file', survivor === a ? tokens.a : tokens.b);
    expect(before.status, JSON.stringify(before.body)).toBe(200);
    expect([before.body.subject, before.body.facts.map((f: { id: string }) => f.id)]).toEqual([
      split.subjectId,
      [factOwn],
    ]);
    expect(before.body.inquiries.map(dayOf)).toEqual([kept, 3, 4, 6]);
    // Their file lists that token (a token that reads a file is the person's to know of); the
    // other person's does not, nor does either copy of it from the command line.
    const current = before.body.tokens.find((t: { current: boolean }) => t.current)?.keyId as string;
    expect(current).toBeTruthy();
    const keysOf = (x: { tokens: { keyId: string }[] }) => x.tokens.map((t) => t.keyId);
    expect(keysOf(cli('export', split.subjectId, '--json'))).toContain(current);
    expect(keysOf(cli('export', survivor, '--json'))).not.toContain(current);
    const now = await w.call('GET', '/v1/me/file', await tokenFor(survivor));
    expect(keysOf(now.body)).not.toContain(current);
    expect([now.body.subject, now.body.facts.map((f: { id: string }) => f.id)]).toEqual([
      survivor,
      [factOther],
    ]);
  });

  it("an upheld link dispute of the person's first record: their inquiries stay theirs, none go to the stranger", async () => {
    // The record that made the person (a shop's, by their account) is disputed as not theirs; the
    // one that came later carries their e-mail too. The split follows the dispute: the id goes on
    // as the person.
    const email = 'mei.han@example.com';
    const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, {
      facts: [
        shopFact('ld-1', { given_name: 'Mei', surname: 'Han', account: 'shop:meihan' }),
        shopFact('ld-2', { given_name: 'Mei', surname: 'Han', account: 'shop:meihan', email }),
      ],
    });
    expect(sent.body.counts.accepted).toBe(2);
    const person = await ask(email, 1);
    expect(await ask(person, 2)).toBe(person);
    const records = await w.api.ctx.app.store.identityRecordsOf(person);
    expect(records.length).toBe(2);
    const first = records[0]?.recordId as string;
    const token = await tokenFor(person);
    const opened = await w.call('POST', '/v1/me/link-disputes', token, { record: first, reason: 'not me' });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const resolved = await w.call('POST', `/v1/disputes/${opened.body.id}/resolve`, w.keys.operator, {
      outcome: 'upheld',
      note: 'someone else',
    });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    const stranger = resolved.body.splitTo as string;
    expect(await ask(email, 3)).toBe(person);
    expect(await listed(person)).toEqual([1, 2, 3]);
    expect(await listed(stranger)).toEqual([]);
  });
});
