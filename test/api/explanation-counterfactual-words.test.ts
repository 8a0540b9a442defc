import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A person's explanation says every point in words (`what`), and how they make the score
// (`total.what`), but its counterfactuals were three numbers and a code — `{"code":"C20",
// "points":-60,"without":690}` — which a person without the API's documentation cannot read:
// "without" what, and 690 against which score? Each now says so in one sentence.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 12 });
});
afterAll(async () => w.dispose());

describe('the counterfactuals of an explanation', () => {
  it('each says in words what the score would be without that reason, against the score', async () => {
    const subjects = (await w.api.ctx.app.store.subjectsPage('', 12)) as string[];
    let checked = 0;
    for (const subject of subjects) {
      const token = (await w.api.ctx.auth.issue({ role: 'person', name: 'P', subject })).token;
      const r = await w.call('GET', '/v1/me/explanations/marketplace', token);
      expect(r.status).toBe(200);
      if (r.body.outcome.status !== 'scored') continue;
      const score = r.body.outcome.score as number;
      for (const cf of r.body.counterfactuals as {
        text: string;
        points: number;
        without: number;
        what: string;
      }[]) {
        expect(cf.what).toContain(`"${cf.text}"`);
        expect(cf.what).toContain(`${Math.abs(cf.points)} point`);
        expect(cf.what).toContain(`would be ${cf.without}`);
        expect(cf.what).toContain(`${score}`);
        expect(cf.what).toMatch(/[^.]\.$/);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});
