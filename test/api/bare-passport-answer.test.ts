import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSubject } from '../../src/open-app.js';
import { type ApiWorld, makeApiWorld, shopFact } from './api-world.js';

// A passport number without its country names no one (two countries may issue it). Decided
// (docs/identity.md, "Decisions where the spec was silent"): the refusal does not say in how many
// countries the number is held, nor whether it is held at all. Whoever asks has the number; the
// count would tell them that files exist on other people holding it, and nothing they can act on
// beyond what the refusal says already (send COUNTRY:NUMBER).

let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
  const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, {
    facts: [
      shopFact('pp-1', {
        given_name: 'Min',
        surname: 'Zhou',
        passport_number: 'E5550001',
        passport_country: 'CN',
      }),
      shopFact('pp-2', {
        given_name: 'Minji',
        surname: 'Kim',
        passport_number: 'E5550001',
        passport_country: 'KOR',
      }),
      shopFact('pp-3', {
        given_name: 'Anna',
        surname: 'Roth',
        passport_number: 'E5550002',
        passport_country: 'DEU',
      }),
    ],
  });
  expect(sent.body.counts.accepted, JSON.stringify(sent.body)).toBe(3);
});
afterAll(() => w.dispose());

const refusal = async (text: string) => {
  const e = (await findSubject(w.api.ctx.app, text).then(
    (s) => new Error(`found ${s}`),
    (x: unknown) => x,
  )) as { code?: string; message: string; details?: unknown };
  // The answer, the number asked for read as N (it is echoed).
  return {
    code: e.code,
    text: JSON.stringify({ message: e.message, details: e.details }).replaceAll(text, 'N'),
  };
};

describe('a bare passport number', () => {
  it('held in two countries, in one, or in none: the same refusal, naming no one and no count', async () => {
    const two = await refusal('E5550001');
    expect(two.code).toBe('CREDENCE_E_SUBJECT_NOT_FOUND');
    expect(two.text).toContain('COUNTRY:NUMBER');
    expect(two.text).not.toMatch(/P\d{7}|\b(2|two|1|one)\b|KOR|countries/);
    expect(await refusal('E5550002')).toEqual(two);
    expect(await refusal('E5559999')).toEqual(two);
    // With its country, each is found.
    const cn = await findSubject(w.api.ctx.app, 'CN:E5550001');
    const kr = await findSubject(w.api.ctx.app, 'KOR:E5550001');
    expect(cn).toMatch(/^P\d{7}$/);
    expect(kr).toMatch(/^P\d{7}$/);
    expect(kr).not.toBe(cn);
  });
});
