import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// An operator can issue any number of person tokens for one person (POST /v1/keys), and whoever
// holds one reads the whole file, the inquiries and the scores as that person, opts them out or
// disputes in their name. Such reads are logged under the person, but the person's copy of their
// file listed nothing of it: a token handed to someone else was invisible to the person it reads.
// The file lists every person token issued for them, with how often and when last it was used.
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 4 });
});
afterAll(async () => w.dispose());

interface Token {
  keyId: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
  current: boolean;
  uses: number;
  lastUsedAt: string | null;
}

const issue = async (name: string, subject: string) => {
  const r = await w.call('POST', '/v1/keys', w.keys.operator, { role: 'person', name, subject });
  expect(r.status).toBe(200);
  return r.body as { token: string; key: { keyId: string } };
};

describe("a person's file lists the tokens that act for them", () => {
  it('every token issued for them, which one asked, how often each was used, and a revoked one', async () => {
    const subject = w.keys.personSubject;
    const mine = (await w.call('GET', '/v1/me/file', w.keys.person)).body.tokens as Token[];
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ name: 'Person one', current: true, revokedAt: null });

    // A second token, issued by an identifier of theirs, used by someone else three times.
    const identifier = (await w.call('GET', '/v1/me/file', w.keys.person)).body.identifiers[0].value;
    w.clock.now += 60_000;
    const second = await issue('handed to a landlord', identifier);
    w.clock.now += 60_000;
    await w.call('GET', '/v1/me/file', second.token);
    await w.call('GET', '/v1/me/inquiries', second.token);
    await w.call('GET', '/v1/me/scores/marketplace', second.token);
    const usedAt = new Date(w.clock.now).toISOString();
    // A token of someone else's is not theirs to see.
    await issue('other', w.keys.otherSubject);

    const before = (await w.call('GET', '/v1/me/file', w.keys.person)).body.tokens as Token[];
    expect(before.map((t) => t.name)).toEqual(['Person one', 'handed to a landlord']);
    const other = before.find((t) => t.keyId === second.key.keyId) as Token;
    expect(other).toEqual({
      keyId: second.key.keyId,
      name: 'handed to a landlord',
      createdAt: new Date(w.clock.now - 60_000).toISOString(),
      revokedAt: null,
      current: false,
      uses: 3,
      lastUsedAt: usedAt,
    });
    // The person's own reads so far (their file twice, before this one), counted as theirs.
    expect(before.find((t) => t.current)?.uses).toBe(2);

    // Revoked, it stays listed, saying when.
    w.clock.now += 60_000;
    expect((await w.call('DELETE', `/v1/keys/${second.key.keyId}`, w.keys.operator)).status).toBe(200);
    const after = (await w.call('GET', '/v1/me/file', w.keys.person)).body.tokens as Token[];
    expect(after.find((t) => t.keyId === second.key.keyId)?.revokedAt).toBe(
      new Date(w.clock.now).toISOString(),
    );

    // The other person sees only their own two tokens, never this person's.
    const theirs = (await w.call('GET', '/v1/me/file', w.keys.other)).body.tokens as Token[];
    expect(theirs.map((t) => t.name)).toEqual(['Person two', 'other']);
    expect(theirs.some((t) => t.keyId === second.key.keyId)).toBe(false);
    expect(subject).not.toBe(w.keys.otherSubject);
  });
});
