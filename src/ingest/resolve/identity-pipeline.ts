import type { CommitBatch, Store } from '../../store/store.js';
import type { SourceLine } from '../jsonl-reader.js';
import { type IngestListener, type IngestOptions, IngestPipeline } from '../pipeline.js';
import type { ProgramSet } from '../program-set.js';
import { settleIdentityMoves } from './identity-ops.js';
import { IdentityResolver } from './identity-resolver.js';

/**
 * The store as the pipeline sees it: each commit also carries the identity rows of the batch
 * (records, links, reviews, decisions), so they land in the batch's transaction.
 */
function withIdentityWrites(store: Store, resolver: IdentityResolver): Store {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'commit') {
        return (b: CommitBatch) => {
          const identity = resolver.takeIdentity();
          return target.commit(identity ? { ...b, identity } : b);
        };
      }
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

/**
 * Ingest with identity resolution. Batches run through an inner pipeline; when a batch's
 * records merged persons, the absorbed persons' facts are moved and everyone involved is
 * rescored right after it commits (`settleIdentityMoves`), and the inner pipeline starts again
 * with an empty person cache, so no stale scoring state survives a merge. A run killed between
 * the two finds the queued moves at its next batch and settles them first.
 *
 * @example
 * const p = new IdentityIngestPipeline(store, programs, { now: Date.now });
 * await p.ingest(openJsonLines('facts.jsonl'));
 */
export class IdentityIngestPipeline extends IngestPipeline {
  readonly #store: Store;
  readonly #programs: ProgramSet;
  readonly #opts: IngestOptions;
  readonly #resolver: IdentityResolver;
  #inner: IngestPipeline;

  constructor(store: Store, programs: ProgramSet, opts: IngestOptions) {
    const resolver = new IdentityResolver(store);
    super(store, programs, resolver, opts);
    this.#store = store;
    this.#programs = programs;
    this.#opts = opts;
    this.#resolver = resolver;
    this.#inner = this.#fresh();
  }

  /** The identity resolver behind this pipeline (its review queue, decisions). */
  get identity(): IdentityResolver {
    return this.#resolver;
  }

  #fresh(): IngestPipeline {
    return new IngestPipeline(
      withIdentityWrites(this.#store, this.#resolver),
      this.#programs,
      this.#resolver,
      this.#opts,
    );
  }

  override async ingestBatch(lines: readonly SourceLine[], listener: IngestListener = {}): Promise<void> {
    await this.#resolver.load();
    await this.#settle();
    Object.assign(this.#inner.counts, this.counts);
    try {
      await this.#inner.ingestBatch(lines, listener);
    } finally {
      Object.assign(this.counts, this.#inner.counts);
    }
    await this.#settle();
  }

  async #settle(): Promise<void> {
    if (this.#resolver.queuedMoves.length === 0) return;
    await settleIdentityMoves(this.#store, this.#programs, this.#resolver);
    this.#inner = this.#fresh();
  }
}
