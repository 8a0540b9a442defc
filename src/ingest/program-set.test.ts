import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileRulebook } from '../core/rulebook/compile.js';
import { rulebookSpecJson } from '../core/rulebook/spec-json.js';
import type { StoredRulebook } from '../store/store.js';
import { ProgramSet, versionsOf } from './program-set.js';
import { retentionAt } from './validate.js';

const market = readFileSync(new URL('../../examples/programs/marketplace.yaml', import.meta.url), 'utf8');
const civic = readFileSync(new URL('../../examples/programs/city-civic.yaml', import.meta.url), 'utf8');

const stored = (program: string, version: number, yaml: string, effectiveFrom = 0): StoredRulebook => ({
  program,
  version,
  name: program,
  yaml,
  spec: rulebookSpecJson(yaml),
  effectiveFrom,
  loadedAt: 0,
});

describe('ProgramSet.fromStored', () => {
  it('compiles the same rulebooks as compiling the YAML, by version and as-of', () => {
    const set = ProgramSet.fromStored([
      stored('marketplace', 2, market, 1000),
      stored('city-civic', 1, civic),
      stored('marketplace', 1, market),
    ]);
    expect(set.ids).toEqual(['city-civic', 'marketplace']);
    expect(set.at('marketplace', 999)?.version).toBe(1);
    expect(set.at('marketplace', 1000)?.version).toBe(2);
    expect(set.get('marketplace')?.version).toBe(2);
    expect(set.active.map((r) => `${r.program} v${r.version}`)).toEqual(['city-civic v1', 'marketplace v2']);
    const direct = new ProgramSet([compileRulebook(civic), compileRulebook(market)]);
    expect([...set.catalog.types.keys()].sort()).toEqual([...direct.catalog.types.keys()].sort());
    expect(set.get('city-civic')?.rules.map((r) => r.id)).toEqual(
      direct.get('city-civic')?.rules.map((r) => r.id),
    );
  });

  it('compiles a version only when asked for it, and still refuses one that breaks the hard line', () => {
    const prohibited = market.replace(/purchase\.completed/g, 'protest.attended');
    expect(prohibited).not.toBe(market);
    const set = ProgramSet.fromStored([
      stored('marketplace', 1, market),
      stored('marketplace', 2, prohibited, 5),
    ]);
    // Opening and scoring before version 2 is in force never touches it...
    expect(set.at('marketplace', 0)?.version).toBe(1);
    // ...and whatever needs it is refused, never scored.
    expect(() => set.at('marketplace', 5)).toThrow(
      expect.objectContaining({ code: 'CREDENCE_E_RULEBOOK_PROHIBITED' }),
    );
    // Ingest keeps no ledger under it: the program is withheld, naming the version and why.
    expect(set.active).toEqual([]);
    expect(set.withheld.get('marketplace')).toMatchObject({
      version: 2,
      error: expect.objectContaining({ code: 'CREDENCE_E_RULEBOOK_PROHIBITED' }),
    });
    expect(set.catalog.programs.has('marketplace')).toBe(true);
  });

  it('withholds a program while a refused version of it is in force at some as-of, not once one overtakes it everywhere', () => {
    const prohibited = market.replace(/purchase\.completed/g, 'protest.attended');
    const versions = [
      stored('city-civic', 1, civic),
      stored('marketplace', 1, market),
      stored('marketplace', 2, prohibited, 5),
      // Corrected for a later date: the refused version still scores the as-ofs from 5 to 10.
      stored('marketplace', 3, market, 10),
    ];
    const dated = ProgramSet.fromStored(versions);
    expect([...dated.withheld.keys()]).toEqual(['marketplace']);
    expect(dated.withheld.get('marketplace')?.version).toBe(2);
    expect(dated.withheld.get('marketplace')?.eventTypes).toContain('protest.attended');
    expect(dated.scoringIds).toEqual(['city-civic']);
    expect(dated.active.map((r) => r.program)).toEqual(['city-civic']);
    // Facts only it declares are refused saying why; a consent change for it is still taken.
    expect(dated.catalogAt(20, 20).types.has('purchase.completed')).toBe(false);
    expect(dated.catalog.withheld?.get('purchase.completed')).toContain(
      'whose version 2 the hard line refuses',
    );
    expect(dated.catalog.programs.has('marketplace')).toBe(true);
    // Corrected for every as-of (no effectiveFrom): the refused version is in force at none.
    const fixed = ProgramSet.fromStored([...versions, stored('marketplace', 4, market)]);
    expect(fixed.withheld.size).toBe(0);
    // Meanwhile its facts are kept by the periods its versions write (purge, and ingest's refusal
    // of a fact already past them), read from the stored spec: not purged sooner, nor kept longer.
    expect([...retentionAt(dated, 20)].sort()).toEqual([...retentionAt(fixed, 20)].sort());
    expect(retentionAt(dated, 20).get('purchase.completed')).toMatchObject({ program: 'marketplace' });
    expect(fixed.active.map((r) => `${r.program} v${r.version}`)).toEqual([
      'city-civic v1',
      'marketplace v4',
    ]);
  });

  it('refuses a stored text that is not YAML (it has no spec)', () => {
    const set = ProgramSet.fromStored([{ ...stored('x', 1, 'key: [unclosed\n'), spec: null }]);
    expect(set.ids).toEqual(['x']);
    expect(() => set.get('x')).toThrow(expect.objectContaining({ code: 'CREDENCE_E_RULEBOOK_INVALID' }));
  });
});

// A version stored before the flag-retention check is refused when compiled (docs/rulebook.md,
// "Flags"); a corrected version loaded after it, effective no later, takes its place for every
// as-of. The event types a program's versions declare (read for every cached score) compiled every
// stored version, so the refused one failed every ingest for good, corrected or not.
describe('a stored version refused when compiled, replaced by a corrected one', () => {
  const removalKept1Y = civic.replace(
    'court.blacklist_removed: { category: legal, fields: { court: string, case: string }, retain: P5Y }',
    'court.blacklist_removed: { category: legal, fields: { court: string, case: string }, retain: P1Y }',
  );

  it('is never compiled: the corrected version scores and declares the types', () => {
    expect(removalKept1Y).not.toBe(civic);
    const alone = ProgramSet.fromStored([stored('city-civic', 1, removalKept1Y)]);
    expect(() => alone.get('city-civic')).toThrow(/city-civic v1/);
    const set = ProgramSet.fromStored([
      stored('city-civic', 1, removalKept1Y),
      stored('city-civic', 2, civic),
    ]);
    const latest = set.get('city-civic');
    expect(latest?.version).toBe(2);
    expect(set.at('city-civic', 0)?.version).toBe(2);
    const types = versionsOf(latest!)?.types();
    expect(types).toEqual(new Set(Object.keys(latest!.events)));
  });
});
