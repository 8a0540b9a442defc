import { type Comparison, ComparisonTally } from '../core/compare/index.js';
import type { ConsentEvent } from '../core/consent/index.js';
import { CredenceError, type ErrorDetail, isCredenceError } from '../core/errors/index.js';
import type { ScoringFact } from '../core/facts/fact.js';
import { type CompiledRulebook, StoredFactsCheck } from '../core/rulebook/index.js';
import { scorePerson } from '../core/scoring/index.js';
import { formatInstant } from '../core/time/index.js';
import type { Store, StoredRulebook } from '../store/store.js';
import { CONSENT_TYPES } from './event-catalog.js';
import { toScoringFact } from './person-cache.js';
import { ProgramSet } from './program-set.js';

const PAGE = 1000;

/** What a comparison reads: the two rulebooks, the instant, and the facts under dispute then. */
export interface CompareInput {
  readonly baseline: CompiledRulebook;
  readonly candidate: CompiledRulebook;
  readonly asOf: number;
  /** Fact keys (`source/id`) under dispute at `asOf`, marked as a score at `asOf` marks them. */
  readonly disputed: ReadonlySet<string>;
  /** How many of the people whose standing moves most to list. */
  readonly largest: number;
  /** Called between pages of people (a server lets other requests run there). */
  readonly between?: () => Promise<void>;
}

/**
 * Scores every person who has a fact of either rulebook's event types, or a consent in the
 * program, under both rulebooks as of one instant, as `credence score --as-of` scores them.
 * The candidate must be able to read every stored fact, as loading it would require: else
 * `problems` names what it cannot read (and `comparison` is not to be shown).
 */
export async function comparePrograms(
  store: Store,
  input: CompareInput,
): Promise<{ comparison: Comparison; problems: readonly ErrorDetail[] }> {
  const { baseline, candidate, asOf, disputed } = input;
  const program = candidate.program;
  const check = new StoredFactsCheck(candidate);
  const tally = new ComparisonTally(input.largest);
  let unreadable: CredenceError | undefined;
  for (let after = ''; ; ) {
    const page = await store.subjectsPage(after, PAGE);
    if (page.length === 0) break;
    after = page.at(-1) as string;
    const facts = await store.personFacts(page);
    const consents = await store.personConsents(page);
    for (const subject of page) {
      const consent: ConsentEvent[] = [];
      for (const c of consents.get(subject) ?? [])
        if (c.program === program) consent.push({ action: c.action, at: c.at });
      const mine: ScoringFact[] = [];
      for (const f of facts.get(subject) ?? []) {
        if (CONSENT_TYPES[f.type] !== undefined) continue;
        if (baseline.events[f.type] === undefined && candidate.events[f.type] === undefined) continue;
        const sf = toScoringFact(f);
        mine.push(disputed.has(sf.key) ? { ...sf, disputed: true } : sf);
      }
      if (mine.length === 0 && consent.length === 0) continue;
      // Consent first, on both sides: for a person who opted out not one rule runs.
      const before = scorePerson(
        baseline,
        mine.filter((f) => baseline.events[f.type] !== undefined),
        asOf,
        consent,
      );
      const theirs = mine.filter((f) => candidate.events[f.type] !== undefined);
      for (const f of theirs) check.add(f);
      try {
        tally.add(subject, before, scorePerson(candidate, theirs, asOf, consent));
      } catch (e) {
        // A rule of the candidate cannot read this person's facts: the check names it.
        if (!isCredenceError(e) || e.code !== 'CREDENCE_E_FACT_INVALID') throw e;
        unreadable = e;
      }
    }
    if (unreadable) break;
    await input.between?.();
  }
  const problems = check.problems();
  if (unreadable && problems.length === 0) throw unreadable;
  return { comparison: tally.result(), problems };
}

/**
 * The loaded version a candidate is compared with: `against` when given, else the one in force
 * at `asOf`. `fields` name the options or fields that set them, for the errors.
 */
export function comparedVersion(
  stored: readonly StoredRulebook[],
  programs: ProgramSet,
  program: string,
  asOf: number,
  against: number | undefined,
  fields: { readonly against: string; readonly asOf: string },
): CompiledRulebook {
  const versions = stored.filter((r) => r.program === program);
  if (versions.length === 0) {
    const known = programs.ids;
    throw new CredenceError(
      'CREDENCE_E_PROGRAM_NOT_FOUND',
      `no program "${program}" is loaded, so there is nothing to compare the candidate with${known.length > 0 ? ` (loaded: ${known.join(', ')})` : ''}; load a first version of it`,
      { field: 'program' },
    );
  }
  if (against !== undefined) {
    const v = versions.find((r) => r.version === against);
    if (!v)
      throw new CredenceError(
        'CREDENCE_E_PROGRAM_NOT_FOUND',
        `${program} has no version ${against} (loaded: ${versions
          .map((r) => r.version)
          .sort((a, b) => a - b)
          .join(', ')})`,
        { field: fields.against },
      );
    return ProgramSet.fromStored([v]).get(program) as CompiledRulebook;
  }
  const inForce = programs.at(program, asOf);
  if (!inForce)
    throw new CredenceError(
      'CREDENCE_E_PROGRAM_NOT_FOUND',
      `no version of ${program} is in force at ${formatInstant(asOf)}`,
      { field: fields.asOf },
    );
  return inForce;
}
