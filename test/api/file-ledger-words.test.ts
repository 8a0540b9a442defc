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
});
