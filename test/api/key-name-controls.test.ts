import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// A key's name is what the person reads as "who asked" in their inquiry list. A name with a line
// break or a bidirectional override (U+202E turns "Acme<RLO>stnemtraPA" into something else on
// screen) shows the person a name the relying party never had, or breaks the list's lines. Such a
// name is refused at issue; names in any script are not.
describe('POST /v1/keys: a name the person could not read as written', () => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await makeApiWorld({ people: 3 });
  });
  afterAll(() => w.dispose());

  const count = async () => (await w.call('GET', '/v1/keys', w.keys.operator)).body.keys.length as number;
  const issue = (name: string) =>
    w.call('POST', '/v1/keys', w.keys.operator, { name, role: 'relying-party', purposes: ['tenancy'] });

  it('refuses control and bidirectional formatting characters, naming the field and the character', async () => {
    const before = await count();
    for (const [name, shown] of [
      ['Acme\nRentals', 'U+000A'],
      ['Acme\u202eslatneR', 'U+202E'],
      ['Acme\u2066Rentals\u2069', 'U+2066'],
      ['Acme\u0000', 'U+0000'],
    ] as const) {
      const r = await issue(name);
      expect([JSON.stringify(name), r.status]).toEqual([JSON.stringify(name), 400]);
      expect(r.body.error.code).toBe('CREDENCE_E_USAGE');
      expect(r.body.error.details).toContainEqual(expect.objectContaining({ field: 'name' }));
      expect(r.body.error.message).toContain(shown);
    }
    expect(await count()).toBe(before);
  });

  it('issues names in any script, with spaces and punctuation', async () => {
    for (const name of [
      'Acme Rentals Ltd.',
      '链家租房（北京）',
      'Société Générale — Loyers',
      'שכירות בע"מ',
    ]) {
      const r = await issue(name);
      expect([name, r.status]).toEqual([name, 200]);
    }
  });
});
