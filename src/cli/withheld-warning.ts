import type { ProgramSet } from '../ingest/program-set.js';
import { withheldWords } from '../ingest/program-set.js';

/**
 * Tells the operator, on stderr, of each program withheld from scoring (a version of it refused
 * when compiled: the hard line, or a check of this build it no longer passes): which program, which version, why, and what to do. A command that writes
 * ledgers (ingest, import, rebuild) says it before it starts, since it goes on for the others.
 */
export function warnWithheld(programs: ProgramSet): void {
  for (const w of programs.withheld.values()) process.stderr.write(`warning: ${withheldWords(w)}\n`);
}
