import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { CredenceError } from '../../core/errors/index.js';
import type { MatchModel } from '../match/model.js';
import type { Profile, ProfileOptions } from '../profile.js';
import type { PersonRecord } from '../types.js';
import type { CandidateIndex, RecordOrder, ScoredRun } from './candidate-index.js';
import { encodeProfiles, encodeRecords } from './profile-wire.js';
// Type-only, so it never runs here, but any build that reaches this file compiles the worker.
import type {} from './score-worker.js';

/** Slots of the shared control array. */
export const CTL = {
  /** The next chunk of records nobody has claimed. */
  next: 0,
  /** Bumped (and notified) after every message the worker posts. */
  signal: 1,
} as const;

export type ToWorker =
  | {
      kind: 'records';
      /** Records `from..n` (encoded), of which the worker normalises chunks from the last down to `first`. */
      text: string;
      from: number;
      n: number;
      size: number;
      first: number;
      claims: Int32Array;
      profile: ProfileOptions;
    }
  | { kind: 'profiles'; text: string }
  | { kind: 'index'; order: RecordOrder; sent: number }
  | {
      kind: 'run';
      model: MatchModel;
      order: RecordOrder;
      blockLimit: number;
      chunk: number;
      chunks: number;
    };

type FromWorker =
  | { kind: 'normalised'; chunk: number; text: string }
  | { kind: 'index'; index: CandidateIndex }
  | { kind: 'scores'; chunk: number; run: ScoredRun }
  | { kind: 'error'; message: string };

const WORKER_FILE = new URL('./score-worker.js', import.meta.url);
// A worker that posts nothing for this long is taken for dead (the main thread waits
// synchronously, so it cannot hear the worker's exit event). Generous: indexing ten million
// profiles on a loaded machine may take minutes.
const STALL_MS = 600_000;

/**
 * A worker thread that scores a batch's candidate pairs while this thread links records in
 * order. Chunks of records are claimed from a shared counter: the worker takes the next free
 * one; this thread, on reaching a chunk nobody has claimed, scores it itself. So neither
 * waits long for the other, and the split follows whichever thread is faster on the day.
 * All waiting is synchronous (`Atomics.wait`, `receiveMessageOnPort`): the batch API stays
 * synchronous.
 */
export class ParallelScores {
  readonly #worker: Worker;
  readonly #port: MessagePort;
  readonly #ctl: Int32Array;
  readonly #scores = new Map<number, ScoredRun>();
  readonly #normalised = new Map<number, string>();
  #claims: Int32Array = new Int32Array(new SharedArrayBuffer(0));
  #index: CandidateIndex | undefined;
  #sent = 0;
  #chunks = 0;

  private constructor() {
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    this.#ctl = new Int32Array(new SharedArrayBuffer(8));
    this.#worker = new Worker(WORKER_FILE, {
      workerData: { port: port2, ctl: this.#ctl },
      transferList: [port2],
    });
    this.#worker.unref();
  }

  /** A worker, or undefined when the compiled worker is not beside this file (run from TypeScript). */
  static start(): ParallelScores | undefined {
    return existsSync(fileURLToPath(WORKER_FILE)) ? new ParallelScores() : undefined;
  }

  /**
   * Hands the worker the records of chunks `first..` (of `size` records) to normalise from the
   * last down, while this thread normalises from the first up (`claimNormalise`); they meet
   * wherever their speeds take them.
   */
  normaliseFrom(
    records: readonly PersonRecord[],
    size: number,
    first: number,
    profile: ProfileOptions,
  ): void {
    const n = records.length;
    this.#claims = new Int32Array(new SharedArrayBuffer(Math.ceil(n / size) * 4));
    const from = Math.min(n, first * size);
    const text = encodeRecords(records, from, n);
    this.#post({ kind: 'records', text, from, n, size, first, claims: this.#claims, profile });
  }

  /** Claims normalising chunk `c` for this thread; false when the worker has it (and all after it). */
  claimNormalise(c: number): boolean {
    return Atomics.compareExchange(this.#claims, c, 0, 2) === 0;
  }

  /** The worker's profiles of chunk `c` (encoded in full), waiting for them if need be. */
  takeNormalised(c: number): string {
    for (;;) {
      const s = this.#normalised.get(c);
      if (s !== undefined) {
        this.#normalised.delete(c);
        return s;
      }
      this.#await();
    }
  }

  /** Sends the distinct profiles not sent yet (`profiles` grows in order of first arrival). */
  sendProfiles(profiles: readonly Profile[]): void {
    if (this.#sent === profiles.length) return;
    this.#post({ kind: 'profiles', text: encodeProfiles(profiles, this.#sent, profiles.length) });
    this.#sent = profiles.length;
  }

  /**
   * This thread's distinct profiles are sent: the worker adds its own new ones (told by the
   * order) and builds the candidate index.
   */
  buildIndex(order: RecordOrder): void {
    this.#post({ kind: 'index', order, sent: this.#sent });
  }

  /** The worker's candidate index (in shared memory), waiting for it if need be. */
  index(): CandidateIndex {
    while (!this.#index) this.#await();
    return this.#index;
  }

  /** Starts scoring: the worker claims chunks of `chunk` records from the first. */
  run(model: MatchModel, order: RecordOrder, blockLimit: number, chunk: number): void {
    this.#chunks = Math.ceil(order.pid.length / chunk);
    this.#post({ kind: 'run', model, order, blockLimit, chunk, chunks: this.#chunks });
  }

  /** Claims chunk `c` for this thread; false when the worker has it already. */
  claim(c: number): boolean {
    return Atomics.compareExchange(this.#ctl, CTL.next, c, c + 1) === c;
  }

  /** Claims the first chunk nobody has claimed, if any is left (-1: none). */
  claimNext(): number {
    const c = Atomics.add(this.#ctl, CTL.next, 1);
    return c < this.#chunks ? c : -1;
  }

  /** True when the worker's scores of chunk `c` have arrived (does not wait). */
  ready(c: number): boolean {
    this.#drain();
    return this.#scores.has(c);
  }

  /** The worker's scores of chunk `c` (claimed by it), waiting for them if need be. */
  take(c: number): ScoredRun {
    for (;;) {
      const s = this.#scores.get(c);
      if (s) {
        this.#scores.delete(c);
        return s;
      }
      this.#await();
    }
  }

  close(): void {
    void this.#worker.terminate();
    this.#port.close();
  }

  #post(m: ToWorker): void {
    this.#worker.postMessage(m);
  }

  /** Waits for the worker's next message and files it. */
  #await(): void {
    const seen = Atomics.load(this.#ctl, CTL.signal);
    if (this.#drain()) return;
    if (Atomics.wait(this.#ctl, CTL.signal, seen, STALL_MS) === 'timed-out' && !this.#drain()) {
      this.close();
      throw new CredenceError('CREDENCE_E_INTERNAL', 'the scoring worker thread stopped answering');
    }
  }

  #drain(): boolean {
    let got = false;
    for (let m = receiveMessageOnPort(this.#port); m; m = receiveMessageOnPort(this.#port)) {
      const msg = m.message as FromWorker;
      got = true;
      if (msg.kind === 'normalised') this.#normalised.set(msg.chunk, msg.text);
      else if (msg.kind === 'index') this.#index = msg.index;
      else if (msg.kind === 'scores') this.#scores.set(msg.chunk, msg.run);
      else {
        this.close();
        throw new CredenceError('CREDENCE_E_INTERNAL', `the scoring worker thread failed: ${msg.message}`);
      }
    }
    return got;
  }
}
