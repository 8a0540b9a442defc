import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// /openapi.json described the identity review queue as a list of `{}` and a decision's result as
// `{}`: an operator's client learnt nothing of the candidates, their confidence and the evidence
// field by field, nor of what a decision moved. Both are described, closed, and real answers (the
// queue, a decision) are held to it; a refused `same` verdict's 409 is declared.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld();
});
afterAll(async () => w.dispose());

type Doc = {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content: Record<string, { schema: object }> }> }>
  >;
};
const schemaOf = (doc: Doc, path: string, method: string): object =>
  doc.paths[path]?.[method]?.responses['200']?.content['application/json']?.schema ?? {};

describe('the identity review queue in /openapi.json', () => {
  it('describes the queue and a decision, and real answers match', async () => {
    const doc = (await w.call('GET', '/openapi.json')).body as Doc;
    const list = schemaOf(doc, '/v1/identity/reviews', 'get') as {
      properties: { reviews: { items: { properties?: object } } };
    };
    expect(Object.keys(list.properties.reviews.items.properties ?? {}).sort()).toEqual([
      'candidates',
      'recordId',
      'subjectId',
    ]);
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const checkList = ajv.compile(list);
    const checkDecision = ajv.compile(schemaOf(doc, '/v1/identity/reviews/{recordId}', 'post'));

    const queue = await w.call('GET', '/v1/identity/reviews', w.keys.operator);
    expect(queue.body.reviews.length).toBeGreaterThan(0);
    checkList(queue.body);
    expect(checkList.errors ?? []).toEqual([]);

    // A `same` verdict the identity module refuses (the two hold different resident IDs) is a
    // 409, which the route declares; a `different` one is taken.
    const item = queue.body.reviews[0];
    const same = await w.call('POST', `/v1/identity/reviews/${item.recordId}`, w.keys.operator, {
      verdict: 'same',
      subjectId: item.candidates[0].subjectId,
    });
    const declared = Object.keys(
      (doc.paths['/v1/identity/reviews/{recordId}']?.post?.responses ?? {}) as object,
    );
    expect(declared).toContain(String(same.status));
    const decided = await w.call('POST', `/v1/identity/reviews/${item.recordId}`, w.keys.operator, {
      verdict: 'different',
      subjectId: item.candidates[0].subjectId,
    });
    expect(decided.status).toBe(200);
    checkDecision(decided.body);
    expect(checkDecision.errors ?? []).toEqual([]);
  });
});
