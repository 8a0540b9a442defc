import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A furnisher key is bound to the source its facts must name. Ingest refuses a source with spaces
// around it or a control character (" shop" would be a second shop), so a key bound to one was
// issued and then had every fact it sent refused. The key is refused when asked for, as its facts
// would be, and a blank name is refused as a blank dispute reason is.

describe('POST /v1/keys: a source no fact could name', () => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await makeApiWorld({ people: 2 });
  });
  afterAll(() => w.dispose());

  const count = async () => (await w.call('GET', '/v1/keys', w.keys.operator)).body.keys.length as number;

  it('is refused naming the source, and no key is issued', async () => {
    const before = await count();
    for (const source of ['  ', ' shop', 'shop ', 'sh\u0000op', 'shop\n']) {
      const r = await w.call('POST', '/v1/keys', w.keys.operator, { role: 'furnisher', name: 'k', source });
      expect([source, r.status]).toEqual([source, 400]);
      expect(r.body.error.code).toBe('CREDENCE_E_USAGE');
      expect(r.body.error.details).toContainEqual(expect.objectContaining({ field: 'source' }));
    }
    expect(await count()).toBe(before);
  });

  it('a blank name is refused naming it', async () => {
    const r = await w.call('POST', '/v1/keys', w.keys.operator, {
      role: 'relying-party',
      name: '   ',
      purposes: ['credit'],
    });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toContainEqual(expect.objectContaining({ path: 'body.name' }));
  });

  it('a source as facts name it is issued', async () => {
    const r = await w.call('POST', '/v1/keys', w.keys.operator, {
      role: 'furnisher',
      name: 'k',
      source: 'city court',
    });
    expect(r.status).toBe(200);
    expect(r.body.key.source).toBe('city court');
  });
});
