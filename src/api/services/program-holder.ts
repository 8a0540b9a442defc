import type Database from 'better-sqlite3';
import type { App } from '../../app.js';
import { CredenceError } from '../../core/errors/index.js';
import type { CompiledRulebook } from '../../core/rulebook/index.js';
import { ProgramSet } from '../../ingest/program-set.js';
import { type RulebookDbRow, toRulebook } from '../../store/sqlite/sqlite-store.js';
import type { DataWatch } from './data-watch.js';

/** The stored programs' versions, on the API's connection: `credence program load` adds rows. */
interface Followed {
  readonly watch: DataWatch;
  readonly db: Database.Database;
}

/**
 * The programs the server runs with. Activating a rulebook version swaps the whole set, so a
 * request sees either the old programs or the new ones, never a mix.
 *
 * Given a `DataWatch`, the set follows versions other processes add (`credence program load`):
 * once the database moved, the first request to ask for a program compares the stored versions
 * with the ones held (a count and the latest load time of a small table) and, when they differ,
 * reads them again before it answers.
 */
export class ProgramHolder {
  #set: ProgramSet;
  readonly #listeners: ((s: ProgramSet) => void)[] = [];
  readonly #followed: Followed | undefined;
  readonly #stamp: Database.Statement | undefined;
  readonly #rows: Database.Statement | undefined;
  /** The data version last compared, and what the programs table held then. */
  #seen = -1;
  #held = '';

  constructor(initial: ProgramSet, followed?: Followed) {
    this.#set = initial;
    this.#followed = followed;
    if (followed) {
      this.#stamp = followed.db.prepare(
        "SELECT count(*) || ':' || coalesce(max(loaded_at), '') || ':' || coalesce(sum(version), '') FROM programs",
      );
      this.#stamp.pluck();
      this.#rows = followed.db.prepare('SELECT * FROM programs ORDER BY program, version');
      this.#seen = followed.watch.read();
      this.#held = this.#stamp.get() as string;
    }
  }

  get current(): ProgramSet {
    this.#follow();
    return this.#set;
  }

  onChange(fn: (s: ProgramSet) => void): void {
    this.#listeners.push(fn);
  }

  async reload(app: App): Promise<void> {
    this.#swap(ProgramSet.fromStored(await app.store.allRulebooks()));
    if (this.#stamp) this.#held = this.#stamp.get() as string;
  }

  /** The version of `program` in force at `asOf`, or CREDENCE_E_PROGRAM_NOT_FOUND. */
  at(program: string, asOf: number): CompiledRulebook {
    this.#follow();
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

  /** Reads the stored versions again when the database moved and they are not the ones held. */
  #follow(): void {
    const f = this.#followed;
    if (!f) return;
    const v = f.watch.turn();
    if (v === this.#seen) return;
    this.#seen = v;
    const held = (this.#stamp as Database.Statement).get() as string;
    if (held === this.#held) return;
    this.#held = held;
    const rows = (this.#rows as Database.Statement).all() as RulebookDbRow[];
    this.#swap(ProgramSet.fromStored(rows.map(toRulebook)));
  }

  #swap(set: ProgramSet): void {
    this.#set = set;
    for (const fn of this.#listeners) fn(set);
  }
}
