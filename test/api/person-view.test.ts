import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// What a scored person reads through /v1/me/*, checked as they would read it.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 12 });
});
afterAll(async () => w.dispose());

const scoreUrl = (subject: string, program = 'marketplace', purpose = 'credit') =>
  `/v1/persons/${subject}/score?program=${program}&purpose=${purpose}`;

/** Every date-named key (`at`, `…At`, `asOf`) in a JSON answer, with its path and value. */
function dates(value: unknown, path = ''): { path: string; value: unknown }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => dates(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(/^at$|At$|^asOf$/.test(k) && v !== null ? [{ path: `${path}.${k}`, value: v }] : []),
    ...dates(v, `${path}.${k}`),
  ]);
}

/** The paths whose date is not ISO 8601 text (an epoch number reads as nothing to a person). */
function unreadable(body: unknown): string[] {
  return dates(body)
    .filter(
      (d) =>
        typeof d.value !== 'string' ||
        Number.isNaN(Date.parse(d.value)) ||
        new Date(d.value).toISOString() !== d.value,
    )
    .map((d) => `${d.path}=${JSON.stringify(d.value)}`);
}

describe('dates a person reads are dates', () => {
  it('the file, the explanation, the inquiries and the disputes give every date as ISO 8601 text', async () => {
    const subject = w.keys.personSubject;
    // Something in every part of the file: an inquiry that sent a score, a dispute, a consent.
    const sent = await w.call('GET', scoreUrl(subject), w.keys.rp);
    expect(sent.status).toBe(200);
    const before = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    const fact = before.facts[0];
    const opened = await w.call('POST', '/v1/me/disputes', w.keys.person, {
      source: fact.source,
      factId: fact.id,
      reason: 'not mine',
    });
    expect(opened.status).toBe(200);
    expect(
      (await w.call('POST', '/v1/me/consent', w.keys.person, { program: 'city-civic', action: 'opt-in' }))
        .status,
    ).toBe(200);

    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    const ex = (await w.call('GET', '/v1/me/explanations/marketplace', w.keys.person)).body;
    const inquiries = (await w.call('GET', '/v1/me/inquiries', w.keys.person)).body;
    const disputes = (await w.call('GET', '/v1/me/disputes', w.keys.person)).body;

    // Each answer has dates to check (the walk found them), and every one is readable text.
    for (const [name, body, min] of [
      ['file', file, 8],
      ['explanation', ex, 2],
      ['inquiries', inquiries, 2],
      ['disputes', disputes, 2],
      ['dispute', opened.body, 2],
    ] as const) {
      expect([name, dates(body).length >= min]).toEqual([name, true]);
      expect([name, unreadable(body)]).toEqual([name, []]);
    }
    // The same instants, not made up: the deadline is 20 days after the opening.
    expect(Date.parse(opened.body.dueAt) - Date.parse(opened.body.openedAt)).toBe(20 * 86_400_000);
    expect(Date.parse(opened.body.openedAt)).toBe(w.clock.now);
    expect(file.generatedAt).toBe(new Date(w.clock.now).toISOString());
    // What the relying party was told carries its as-of as the date it was sent for.
    const told = inquiries.inquiries.find(
      (i: any) => i.action === 'score.query' && i.sent.status === 'scored',
    );
    expect(told.sent.asOf).toBe(sent.body.asOf);
    // A fact's dates in the file match the explanation's point for it.
    const point = ex.contributions.find((c: any) => c.kind === 'rule');
    const same = file.facts.find((f: any) => `${f.source}/${f.id}` === point.factKey);
    expect(point.occurredAt).toBe(same.occurredAt);
  });
});
