import type { App } from '../../app.js';
import { CredenceError } from '../../core/errors/index.js';
import type { CompiledRulebook } from '../../core/rulebook/index.js';
import { ProgramSet } from '../../ingest/program-set.js';

/**
 * The programs the server runs with. Activating a rulebook version swaps the whole set, so a
 * request sees either the old programs or the new ones, never a mix.
 */
export class ProgramHolder {
  #set: ProgramSet;
  readonly #listeners: ((s: ProgramSet) => void)[] = [];

  constructor(initial: ProgramSet) {
    this.#set = initial;
  }

  get current(): ProgramSet {
    return this.#set;
  }

  onChange(fn: (s: ProgramSet) => void): void {
    this.#listeners.push(fn);
  }

  async reload(app: App): Promise<void> {
    this.#set = ProgramSet.fromStored(await app.store.allRulebooks());
    for (const fn of this.#listeners) fn(this.#set);
  }

  /** The version of `program` in force at `asOf`, or CREDENCE_E_PROGRAM_NOT_FOUND. */
  at(program: string, asOf: number): CompiledRulebook {
    const rb = this.#set.at(program, asOf);
    if (!rb) {
      throw new CredenceError(
        'CREDENCE_E_PROGRAM_NOT_FOUND',
        `no program "${program}" (loaded: ${this.#set.ids.join(', ') || 'none'})`,
        { field: 'program' },
      );
    }
    return rb;
  }
}
