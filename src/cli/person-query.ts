import type { ConsentEvent } from '../core/consent/index.js';
import type { ScoringFact } from '../core/facts/fact.js';
import type { CompiledRulebook } from '../core/rulebook/index.js';
import { type App, findSubject, loadPerson, requireProgram } from '../open-app.js';
import { disputedFactsAt } from '../store/sqlite/sqlite-source-facts.js';

export interface PersonQuery {
  readonly subject: string;
  readonly rb: CompiledRulebook;
  readonly facts: readonly ScoringFact[];
  readonly consent: readonly ConsentEvent[];
  readonly asOf: number;
}

/** Resolves SUBJECT and --program, and loads what scoring the person at as-of needs. */
export async function personQuery(
  app: App,
  subjectText: string,
  program: string,
  asOf: number,
): Promise<PersonQuery> {
  // Only the version in force at as-of is compiled (asking for the active one first would
  // compile a second version whenever as-of falls before the latest); an unknown program is
  // still refused before the subject is looked up.
  const rb = app.programs.at(program, asOf) ?? requireProgram(app, program);
  const subject = await findSubject(app, subjectText);
  const person = await loadPerson(app, subject);
  // Facts under dispute at as-of (recorded by the API beside the store) are marked, as the API's
  // scores mark them: a program that suspends disputed facts leaves them out here too, and a
  // dispute opened after as-of changes nothing in the replay.
  const open = disputedFactsAt(app.dbPath, asOf);
  return {
    subject,
    rb,
    facts: person.facts
      .filter((f) => rb.events[f.type] !== undefined)
      .map((f) => (open.has(f.key) ? { ...f, disputed: true } : f)),
    consent: person.consents.get(program) ?? [],
    asOf,
  };
}
