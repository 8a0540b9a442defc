import type { ConsentEvent } from '../core/consent/index.js';
import { CredenceError } from '../core/errors/index.js';
import type { ScoringFact } from '../core/facts/fact.js';
import type { CompiledRulebook } from '../core/rulebook/index.js';
import { type App, findSubject, loadPerson, requireProgram } from '../open-app.js';

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
  requireProgram(app, program);
  const subject = await findSubject(app, subjectText);
  const rb = app.programs.at(program, asOf);
  if (!rb) throw new CredenceError('CREDENCE_E_PROGRAM_NOT_FOUND', `no program "${program}" is loaded`);
  const person = await loadPerson(app, subject);
  return {
    subject,
    rb,
    facts: person.facts.filter((f) => rb.events[f.type] !== undefined),
    consent: person.consents.get(program) ?? [],
    asOf,
  };
}
