import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// The notice a relying party must pass on when it declines someone without a score sent them to
// "GET /v1/me/scores/{program}": a template the person had to fill in, in the one sentence that
// tells them where to learn why. It names the program's own route now.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

describe('the NO_SCORE factor of a notice', () => {
  it('names the route of the program asked about, with no placeholder', async () => {
    for (const program of ['marketplace', 'city-civic']) {
      await w.call('POST', '/v1/me/consent', w.keys.person, { program, action: 'opt-out' });
      const policy = program === 'marketplace' ? 'deposit-free-bike' : 'heating-fee-discount';
      const d = await w.call('POST', '/v1/decisions', w.keys.rp, {
        subject: w.keys.personSubject,
        program,
        policy,
        purpose: 'credit',
      });
      expect([program, d.status, d.body.status]).toEqual([program, 200, 'not-scored']);
      const [factor] = d.body.notice.keyFactors;
      expect(factor.code).toBe('NO_SCORE');
      expect(factor.text).toContain(`GET /v1/me/scores/${program} `);
      expect(factor.text).not.toMatch(/[{}]/);
    }
  });
});
