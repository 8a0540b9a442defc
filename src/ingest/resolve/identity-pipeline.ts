import type { CommitBatch, Store } from '../../store/store.js';
import type { LineChunk, SourceLine } from '../jsonl-reader.js';
import { type IngestListener, type IngestOptions, IngestPipeline } from '../pipeline.js';
import type { ProgramSet } from '../program-set.js';
import { settleIdentityMoves } from './identity-ops.js';
import { IdentityResolver, type IdentityResolverOptions } from './identity-resolver.js';

/**
 * The store as the pipeline sees it: each commit also carries the identity rows of the batch
 * (records, links, reviews, decisions), so they land in the batch's transaction.
 */
export function withIdentityWrites(store: Store, resolver: IdentityResolver): Store {
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
 * Ingest with identity resolution. Batches run through an inner pipeline; when records merged
 * persons, the absorbed persons' facts are moved and everyone involved is rescored
 * (`settleIdentityMoves`): after the batch for a lone `ingestBatch`, at the end for a whole
 * `ingest` run; the inner pipeline then starts again with an empty person cache, so no stale
 * scoring state outlives a settle. The merges are queued in the batch's transaction, so a run
 * killed before settling finds them at its first batch and settles them first.
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
  #started = false;
  #defer = false;

  constructor(
    store: Store,
    programs: ProgramSet,
    opts: IngestOptions,
    identity: IdentityResolverOptions = {},
  ) {
    const resolver = new IdentityResolver(store, identity);
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

  /**
   * A whole run settles its merges once, at the end (and any a killed run left, at the start):
   * until then a survivor's cached score may miss the absorbed person's facts; the settle
   * re-derives it from all of them.
   */
  override async ingest(chunks: AsyncIterable<LineChunk>, listener: IngestListener = {}): Promise<void> {
    this.#defer = true;
    try {
      await super.ingest(chunks, listener);
    } catch (e) {
      // A batch failed (with a write-behind store, perhaps one judged earlier): the inner
      // pipeline's people may hold changes that were never stored.
      this.#resolver.reset();
      this.#inner = this.#fresh();
      throw e;
    } finally {
      this.#defer = false;
    }
    await this.#settle();
    await this.flush();
  }

  override async ingestBatch(lines: readonly SourceLine[], listener: IngestListener = {}): Promise<void> {
    if (!this.#started) {
      await this.#resolver.start();
      await this.#settle();
      this.#started = true;
    }
    Object.assign(this.#inner.counts, this.counts);
    try {
      await this.#inner.ingestBatch(lines, listener);
    } finally {
      Object.assign(this.counts, this.#inner.counts);
    }
    if (!this.#defer) await this.#settle();
  }

  async #settle(): Promise<void> {
    if (this.#resolver.queuedMoves.length === 0) return;
    await settleIdentityMoves(this.#store, this.#programs, this.#resolver);
    this.#inner = this.#fresh();
  }
}
