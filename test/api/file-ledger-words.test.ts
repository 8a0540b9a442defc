import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type ApiWorld, makeApiWorld, PROGRAM_FILES } from './api-world.js';

// The copy of a person's file lists their ledger: each point with its fact and rule. Each row gave
// the reason only as its code (`reasonCode: "F10"`), a code without words: the person reading
// their copy could not tell what a line was for without the rulebook. Each row now carries the
// reason's text as the rulebook words it (as the explanation and a relying party's notice do).
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 4 });
});
afterAll(async () => w.dispose());

describe('GET /v1/me/file: every ledger line says its reason in words', () => {
  it("each row's reason is its rule's reason text from the rulebook, beside its code", async () => {
    const rulebook = parse(readFileSync(PROGRAM_FILES[0] as string, 'utf8')) as {
      program: string;
      rules: { id: string; reason: { code: string; text: string } }[];
      inactivity?: { id: string; reason: { code: string; text: string } }[];
    };
    const byRule = new Map(
      [...rulebook.rules, ...(rulebook.inactivity ?? [])].map((r) => [r.id, r.reason] as const),
    );
    const file = await w.call('GET', '/v1/me/file', w.keys.person);
    expect(file.status).toBe(200);
    const rows = file.body.ledgers.filter((l: any) => l.program === rulebook.program);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const reason = byRule.get(row.ruleId);
      expect(reason, row.ruleId).toBeDefined();
      expect([row.ruleId, row.reasonCode, row.reason]).toEqual([row.ruleId, reason?.code, reason?.text]);
    }
  });

  it('after a new version rewords a reason, the re-derived ledger says the new words', async () => {
    const text = readFileSync(PROGRAM_FILES[0] as string, 'utf8');
    const old = 'Regular payments with the wallet';
    expect(text).toContain(old);
    const reworded = 'Paid with the wallet, month after month';
    const draft = await w.call('POST', '/v1/programs/drafts', w.keys.operator, {
      // In force from a day ago: older facts fall before it, yet the ledger it re-derives is its own.
      yaml: `${text.replace(old, reworded)}\neffectiveFrom: "${new Date(w.clock.now - 86_400_000).toISOString()}"\n`,
    });
    expect(draft.status).toBe(200);
    const on = await w.call('POST', `/v1/programs/drafts/${draft.body.id}/activate`, w.keys.operator, {});
    expect([on.status, on.body.version]).toEqual([200, 2]);
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    const rows = file.ledgers.filter((l: any) => l.reasonCode === 'B10');
    // Facts from before the new version are in the ledger it re-derived: its words, for every row.
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((l: any) => Date.parse(l.at) < Date.parse(file.generatedAt) - 86_400_000)).toBe(true);
    expect(rows.map((l: any) => l.reason)).toEqual(rows.map(() => reworded));
  });
});
