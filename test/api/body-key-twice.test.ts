import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// JSON.parse keeps the last of a key named twice in one object. `credence ingest` refuses such a
// line (CREDENCE_E_FACT_JSON: what was validated must be what is kept), but a batch over the API
// was parsed whole first: `"data":{"amount":1,…,"amount":5000}` was accepted and stored as 5000,
// and a decision with `"purpose":"marketing","purpose":"tenancy"` was answered under whichever
// came last — a body that means two things to two readers (a proxy that checks the first). Such a
// body is refused whole, naming the key and where it is; nothing is done.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

const json = { 'content-type': 'application/json' };
const fact = (id: string, data: string) =>
  `{"id":"${id}","source":"shop","type":"purchase.completed","occurredAt":"2026-10-01T10:00:00Z","subject":{"subjectId":"${w.keys.personSubject}"},"data":${data}}`;
const stored = async (id: string) =>
  (await w.api.ctx.app.store.personFile(w.keys.personSubject)).facts.some((f) => f.id === id);

describe('a JSON body that names a key twice in one object', () => {
  it('a batch of facts is refused whole, naming the key, its path and its line and column', async () => {
    const body = `{"facts":[\n${fact('ok-1', '{"amount":1,"items":1}')},\n${fact('twice-1', '{"amount":1,"items":2,"amount":5000}')}\n]}`;
    const r = await w.call('POST', '/v1/facts', w.keys.furnisher, body, json);
    expect([r.status, r.body.error?.code]).toEqual([400, 'CREDENCE_E_USAGE']);
    expect(r.body.error.message).toContain('"amount" appears twice');
    expect(r.body.error.message).toContain('line 3, column');
    expect(r.body.error.details).toEqual([
      expect.objectContaining({ code: 'CREDENCE_E_USAGE', path: 'body.facts.data.amount' }),
    ]);
    expect(await stored('ok-1')).toBe(false);
    expect(await stored('twice-1')).toBe(false);
  });

  it('a decision with its purpose twice is refused, and no inquiry is kept', async () => {
    const before = (await w.call('GET', '/v1/me/inquiries', w.keys.person)).body.inquiries.length;
    const body = `{"subject":"${w.keys.personSubject}","program":"marketplace","policy":"deposit-free-bike","purpose":"marketing","purpose":"credit"}`;
    const r = await w.call('POST', '/v1/decisions', w.keys.rp, body, json);
    expect([r.status, r.body.error?.code]).toEqual([400, 'CREDENCE_E_USAGE']);
    expect(r.body.error.details[0]).toMatchObject({ path: 'body.purpose' });
    const after = (await w.call('GET', '/v1/me/inquiries', w.keys.person)).body.inquiries.length;
    expect(after).toBe(before);
  });

  it('a key spelt two ways that reads the same is refused too; keys once each, or alike in two objects, are read', async () => {
    const spelt = `{"subject":"${w.keys.personSubject}","program":"marketplace","policy":"deposit-free-bike","purpose":"credit","purpos\\u0065":"credit"}`;
    const r = await w.call('POST', '/v1/decisions', w.keys.rp, spelt, json);
    expect([r.status, r.body.error?.code]).toEqual([400, 'CREDENCE_E_USAGE']);
    const body = `{"facts":[${fact('ok-2', '{"amount":1,"items":1}')},${fact('ok-3', '{"amount":2,"items":1}')}]}`;
    const ok = await w.call('POST', '/v1/facts', w.keys.furnisher, body, json);
    expect([ok.status, ok.body.counts?.accepted]).toEqual([200, 2]);
  });
});
