import type { CompiledRulebook } from '../../core/rulebook/types.js';
import { isRefusedVersion } from '../../ingest/program-set.js';

/**
 * The rulebook's own words for what an inquiry named by id: a privilege's or restriction's
 * `description`, a flag's reason text. A person's inquiry list said `asked whether
 * "deposit-free-bike" applies to you` and `(dishonest-debtor)`: ids a person cannot read
 * (decided: the words first, the id beside them, as the person may need it to refer to it).
 */
export interface InquiryWords {
  policy(program: string | null, id: string): string | undefined;
  flag(program: string | null, id: string): string | undefined;
  /**
   * The program's name (its rulebook's `name`): "asked for your score in marketplace" named the
   * program by an id the person never chose and may not recognise.
   */
  program(id: string): string | undefined;
}

/** No words known: ids alone, as before (a file with no programs). */
export const NO_WORDS: InquiryWords = {
  policy: () => undefined,
  flag: () => undefined,
  program: () => undefined,
};

/**
 * Words from the programs' current versions: `program` named, that program's; none named (a
 * screening names no program), the first program that defines the id.
 */
export function rulebookWords(programs: {
  readonly ids: readonly string[];
  get(program: string): CompiledRulebook | undefined;
}): InquiryWords {
  const rulebook = (program: string): CompiledRulebook | undefined => {
    try {
      return programs.get(program);
    } catch (e) {
      // A stored version refused when compiled (the hard line, a check of this build) compiles no more: its ids stay unworded.
      if (isRefusedVersion(e)) return undefined;
      throw e;
    }
  };
  const find = (program: string | null, pick: (rb: CompiledRulebook) => string | undefined) => {
    for (const p of program !== null ? [program] : programs.ids) {
      const rb = rulebook(p);
      const words = rb ? pick(rb) : undefined;
      if (words !== undefined && words.trim() !== '') return words.trim().replace(/\.$/, '');
    }
    return undefined;
  };
  return {
    policy: (program, id) =>
      find(program, (rb) => [...rb.privileges, ...rb.restrictions].find((p) => p.id === id)?.description),
    flag: (program, id) => find(program, (rb) => rb.flags.find((f) => f.id === id)?.reason.text),
    // Not through `find`: a name's full stop, if it has one, is part of it.
    program: (id) => {
      const name = programs.ids.includes(id) ? rulebook(id)?.name.trim() : undefined;
      return name !== undefined && name !== '' ? name : undefined;
    },
  };
}
