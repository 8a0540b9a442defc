import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// /openapi.json described the person's own score (GET /v1/me/scores/{program}) and explanation
// (GET /v1/me/explanations/{program}) as `{}`: nothing said what the answer holds, scored or not,
// nor that an explanation lists each point, counterfactuals, privileges, restrictions and facts
// under dispute. Both are described field by field, closed, and real answers are held to it.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 12 });
});
afterAll(async () => w.dispose());

type Doc = {
  paths: Record<
    string,
    { get: { responses: Record<string, { content: Record<string, { schema: object }> }> } }
  >;
};

function schemaOf(doc: Doc, path: string): { anyOf?: unknown[]; properties?: object } {
  return doc.paths[path]?.get.responses['200']?.content['application/json']?.schema ?? {};
}

describe("the person's own score and explanation in /openapi.json", () => {
  it('are described, and answers scored, not scored, projected and under dispute match', async () => {
    const doc = (await w.call('GET', '/openapi.json')).body;
    const score = schemaOf(doc, '/v1/me/scores/{program}');
    const explanation = schemaOf(doc, '/v1/me/explanations/{program}');
    expect(score.anyOf).toHaveLength(2);
    expect(Object.keys(explanation.properties ?? {})).toContain('contributions');

    // A fact of theirs under dispute, so the explanation lists it.
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    const counted = file.ledgers.find((l: { program: string }) => l.program === 'marketplace');
    expect(counted).toBeDefined();
    const [source, ...id] = String(counted.factKey).split('/');
    const d = await w.call('POST', '/v1/me/disputes', w.keys.person, {
      source,
      factId: id.join('/'),
      reason: 'not mine',
    });
    expect(d.status).toBe(200);

    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const checkScore = ajv.compile(score);
    const checkExplanation = ajv.compile(explanation);
    const ahead = new Date(w.clock.now + 90 * 86_400_000).toISOString();
    const seen = new Set<string>();
    for (const program of ['marketplace', 'city-civic']) {
      for (const q of ['', `?asOf=${ahead}`]) {
        const s = await w.call('GET', `/v1/me/scores/${program}${q}`, w.keys.person);
        expect(s.status).toBe(200);
        checkScore(s.body);
        expect([program, q, checkScore.errors ?? []]).toEqual([program, q, []]);
        seen.add(`score ${s.body.status}${s.body.projection ? ' projection' : ''}`);
        const e = await w.call('GET', `/v1/me/explanations/${program}${q}`, w.keys.person);
        expect(e.status).toBe(200);
        checkExplanation(e.body);
        expect([program, q, checkExplanation.errors ?? []]).toEqual([program, q, []]);
        seen.add(`explanation ${e.body.outcome.status}`);
        if (e.body.underDispute.length > 0) seen.add('under dispute');
        if (e.body.contributions.length > 0) seen.add('contributions');
      }
    }
    // Every kind of answer was met (city-civic is opt-in: the person is not enrolled there).
    expect([...seen].sort()).toEqual(
      [
        'contributions',
        'explanation not-scored',
        'explanation scored',
        'score not-scored',
        'score not-scored projection',
        'score scored',
        'score scored projection',
        'under dispute',
      ].sort(),
    );
  });
});
