import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedApi, openApi } from '../../src/api/open-api.js';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// Each server kept the facts under open dispute in memory, loaded when it started and moved only
// by its own requests: a second server on the same file went on counting a fact a person had
// disputed through the first (a program that suspends disputed facts), and on suspending one the
// first had answered. The marks now follow the dispute table, whoever wrote it.
let w: ApiWorld;
let second: OpenedApi;
beforeAll(async () => {
  w = await makeApiWorld({ people: 6 });
  second = await openApi(w.db, { clock: () => w.clock.now });
});
afterAll(async () => {
  await second.close();
  await w.dispose();
});

const score = async (api: OpenedApi, asOf?: string): Promise<number> =>
  (
    await api.server.inject({
      method: 'GET',
      url: `/v1/me/scores/marketplace${asOf ? `?asOf=${asOf}` : ''}`,
      headers: { authorization: `Bearer ${w.keys.person}` },
    })
  ).json().score;

describe('dispute marks on two servers sharing one file', () => {
  it('a dispute opened, then answered, on one server marks and unmarks the fact on the other', async () => {
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    const line = (file.ledgers as { factKey: string; program: string; raw: number }[]).find(
      (l) => l.program === 'marketplace' && l.raw !== 0,
    );
    expect(line).toBeDefined();
    const key = (line as { factKey: string }).factKey;
    const at = key.indexOf('/');
    const before = await score(second);
    expect(await score(w.api)).toBe(before);

    w.clock.now += 60_000;
    const openedAt = new Date(w.clock.now).toISOString();
    const opened = await w.call('POST', '/v1/me/disputes', w.keys.person, {
      source: key.slice(0, at),
      factId: key.slice(at + 1),
      reason: 'paid',
    });
    expect(opened.status).toBe(200);
    const during = await score(w.api);
    expect(during).not.toBe(before);
    expect(await score(second)).toBe(during);

    w.clock.now += 60_000;
    const answer = await second.server.inject({
      method: 'POST',
      url: `/v1/disputes/${opened.body.id}/resolve`,
      headers: { authorization: `Bearer ${w.keys.operator}` },
      payload: { outcome: 'rejected', note: 'confirmed' },
    });
    expect(answer.statusCode).toBe(200);
    expect(await score(second)).toBe(before);
    expect(await score(w.api)).toBe(before);
    // Both still replay the stretch it was open as disputed.
    expect(await score(w.api, openedAt)).toBe(during);
    expect(await score(second, openedAt)).toBe(during);
  });
});
