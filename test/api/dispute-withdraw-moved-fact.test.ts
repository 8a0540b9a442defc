import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergePersons, splitRecords } from '../../src/ingest/resolve/identity-ops.js';
import { type ApiWorld, makeApiWorld, shopFact } from './api-world.js';

// A dispute is of the fact: one open per fact across merges and splits, listed to whoever holds
// the fact now. Withdrawing it still asked who had opened it: the person a split moved the fact to
// saw the open dispute but could not withdraw it (404), while the person the split took it from
// (through the id merged into theirs that had opened it) still could, lifting the mark on a fact
// that is no longer theirs. The holder of the fact now withdraws it; no one else.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 4 });
});
afterAll(async () => w.dispose());

const statusOf = (id: string): string => {
  const db = new Database(w.db, { readonly: true });
  try {
    return db.prepare('SELECT status FROM api_disputes WHERE id = ?').pluck().get(id) as string;
  } finally {
    db.close();
  }
};
const tokenFor = async (subject: string): Promise<string> => {
  const r = await w.call('POST', '/v1/keys', w.keys.operator, { role: 'person', name: 'p', subject });
  expect(r.status).toBe(200);
  return r.body.token as string;
};
const withdraw = (token: string, id: string) => w.call('POST', `/v1/me/disputes/${id}/withdraw`, token);

/** Two people by two phones, one purchase each; merged; returns who held which and the survivor. */
async function mergedPair(tag: string): Promise<{ a: string; b: string; survivor: string; opened: string }> {
  const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, {
    facts: [
      shopFact(`${tag}-a`, { given_name: 'Jun', surname: 'He', phone: `+86139000${tag}01` }),
      shopFact(`${tag}-b`, { given_name: 'Lin', surname: 'Ma', phone: `+86139000${tag}02` }),
    ],
  });
  expect(sent.body?.counts?.accepted).toBe(2);
  const store = w.api.ctx.app.store;
  const held = await store.findFacts([
    { source: 'shop', id: `${tag}-a` },
    { source: 'shop', id: `${tag}-b` },
  ]);
  const a = held.get(`shop/${tag}-a`)?.subject as string;
  const b = held.get(`shop/${tag}-b`)?.subject as string;
  // Opened by `a` under a's own id, before any merge.
  const opened = await w.call('POST', '/v1/me/disputes', await tokenFor(a), {
    source: 'shop',
    factId: `${tag}-a`,
    reason: 'my own private words',
  });
  expect(opened.status).toBe(200);
  // Merged into b, so the id that opened it is no longer a's own.
  const merged = await mergePersons(store, w.api.ctx.programs.current, b, a, 'same person');
  return { a, b, survivor: merged.subjectId, opened: opened.body.id as string };
}

describe('withdrawing a dispute of a fact a merge or split moved', () => {
  it('the person a merge gave the fact to withdraws the dispute opened under the merged id', async () => {
    const { survivor, opened } = await mergedPair('7801');
    const res = await withdraw(await tokenFor(survivor), opened);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: opened, status: 'withdrawn', reason: 'my own private words' });
    expect(statusOf(opened)).toBe('withdrawn');
  });

  it('the person a split moved the fact to withdraws it; the one it left cannot', async () => {
    const { survivor, opened } = await mergedPair('7802');
    const store = w.api.ctx.app.store;
    const rec = (await store.identityRecordsOf(survivor)).find((r) => r.body.includes('780201'));
    expect(rec).toBeDefined();
    const split = await splitRecords(
      store,
      w.api.ctx.programs.current,
      [rec?.recordId as string],
      'different people',
    );
    const holder = (await store.findFacts([{ source: 'shop', id: '7802-a' }])).get('shop/7802-a')?.subject;
    expect(holder).toBe(split.subjectId);
    expect(holder).not.toBe(survivor);

    // The survivor's ids still include the one that opened it, but the fact is not theirs now:
    // neither listed to them (in their list or their file) nor theirs to withdraw.
    const survivorToken = await tokenFor(survivor);
    const theirs = (await w.call('GET', '/v1/me/disputes', survivorToken)).body.disputes as { id: string }[];
    expect(theirs.map((d) => d.id)).not.toContain(opened);
    const file = (await w.call('GET', '/v1/me/file', survivorToken)).body;
    expect((file.disputes as { id: string }[]).map((d) => d.id)).not.toContain(opened);
    const left = await withdraw(survivorToken, opened);
    expect(left.status).toBe(404);
    expect(statusOf(opened)).toBe('open');

    const holderToken = await tokenFor(split.subjectId);
    const listed = (await w.call('GET', '/v1/me/disputes', holderToken)).body.disputes as { id: string }[];
    expect(listed.map((d) => d.id)).toContain(opened);
    const res = await withdraw(holderToken, opened);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: opened, status: 'withdrawn', subject: split.subjectId });
    // The opener's words are still not the holder's to read.
    expect(res.body.reason).not.toContain('private');
    expect(statusOf(opened)).toBe('withdrawn');
    const logged = await w.api.ctx.audit.query({ actions: ['dispute.withdraw'] });
    expect(
      logged.some((e) => e.subject === split.subjectId && JSON.stringify(e.detail).includes(opened)),
    ).toBe(true);
    const verify = await w.call('GET', '/v1/audit/verify', w.keys.operator);
    expect(verify.body.ok).toBe(true);
  });
});
