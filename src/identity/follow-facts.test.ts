import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ScoringFact } from '../core/facts/fact.js';
import { compileRulebook } from '../core/rulebook/index.js';
import { scorePerson } from '../core/scoring/index.js';
import { affectedSubjects, groupFactsBySubject } from './follow-facts.js';
import { Resolver } from './resolver.js';

const ID = '11010519491231002X';
const rb = compileRulebook(readFileSync('examples/programs/city-civic.yaml', 'utf8'));
const AS_OF = Date.parse('2026-06-01T00:00:00Z');
// city-civic is opt-in: the person joined before the facts.
const OPTED_IN = [{ action: 'opt-in' as const, at: Date.parse('2025-01-01T00:00:00Z') }];

function fact(key: string, type: string, at: string, data: Record<string, number | string>): ScoringFact {
  const [source, id] = key.split('/') as [string, string];
  return { key, id, source, type, at: Date.parse(at), data };
}

describe('facts follow their person', () => {
  it('moves facts on merge and split, and the scores of the persons involved change', () => {
    const r = new Resolver();
    // A court fact names the person by resident ID; a shop fact by an account only.
    r.resolve({ record_id: 'court/c1', national_id: ID });
    r.resolve({ record_id: 'shop/s1', account: 'taobao:ww' });
    const type = 'court.judgment_unpaid';
    expect(rb.events[type]).toBeDefined();
    const facts = [
      { recordId: 'court/c1', fact: fact('court/c1', type, '2026-01-10T00:00:00Z', { amount: 500 }) },
      { recordId: 'shop/s1', fact: fact('shop/s1', type, '2026-02-10T00:00:00Z', { amount: 800 }) },
    ];
    const score = (s: string) => scorePerson(rb, groupFactsBySubject(r, facts).get(s) ?? [], AS_OF, OPTED_IN);
    const a = r.subjectOf('court/c1') as string;
    const b = r.subjectOf('shop/s1') as string;
    expect(a).not.toBe(b);
    const before = score(a);

    // A KYC record ties the account to the resident ID: the two persons are one.
    const res = r.resolve({ record_id: 'kyc/k1', national_id: ID, account: 'taobao:ww' });
    expect(affectedSubjects(res).sort()).toEqual([a, b].sort());
    expect(groupFactsBySubject(r, facts).get(a)).toHaveLength(2);
    const merged = score(a);
    expect(before.status).toBe('scored');
    expect(merged).not.toEqual(before);

    // The person disputes the link: an operator splits the shop record off again.
    const split = r.split(['shop/s1'], 'account is not mine');
    expect(affectedSubjects(split)).toEqual([a, split.subjectId]);
    expect(groupFactsBySubject(r, facts).get(a)).toHaveLength(1);
    expect(score(a)).toEqual(before);
  });
});
