import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type ApiWorld, makeApiWorld, PROGRAM_FILES, shopFact } from './api-world.js';

// A person with too few facts read, in their score and their explanation, "Too few facts in your
// file count in this program to compute a score (it needs 3)": not how many of theirs count, nor
// why the others do not. The words now say both, from the rulebook's own minimum (read here from
// the rulebook file), and the score and the explanation say the same.
const needed = (parse(readFileSync(PROGRAM_FILES[0] as string, 'utf8')) as { minFacts: number }).minFacts;
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

describe('not scored for want of data: why, in words', () => {
  it('names the minimum and what of theirs counts, in the score and the explanation alike', async () => {
    expect(needed).toBeGreaterThan(1);
    const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, {
      facts: [shopFact('few-1', { given_name: 'Ping', surname: 'Xu', phone: '+8613900000444' })],
    });
    expect(sent.body?.counts?.accepted).toBe(1);
    const subject = (await w.api.ctx.app.store.findFacts([{ source: 'shop', id: 'few-1' }])).get('shop/few-1')
      ?.subject as string;
    const key = await w.call('POST', '/v1/keys', w.keys.operator, { role: 'person', name: 'p', subject });
    const token = key.body.token as string;

    const own = await w.call('GET', '/v1/me/scores/marketplace', token);
    const ex = await w.call('GET', '/v1/me/explanations/marketplace', token);
    expect([own.status, ex.status]).toEqual([200, 200]);
    expect(own.body.reason).toBe('insufficient-data');
    expect(own.body.why).toContain(`needs at least ${needed} facts that count`);
    expect(own.body.why).toMatch(/you have 1\./);
    expect(ex.body.outcome.why).toBe(own.body.why);
  });
});
