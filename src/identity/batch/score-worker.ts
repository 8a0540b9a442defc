import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import type { MatchModel } from '../match/model.js';
import { type Profile, type ProfileOptions, toProfile } from '../profile.js';
import type { PersonRecord } from '../types.js';
import { buildCandidateIndex, CandidateScorer, type RecordOrder } from './candidate-index.js';
import { CTL, type ToWorker } from './parallel-scores.js';
import { decodeProfiles, decodeRecords, encodeProfiles } from './profile-wire.js';

// The other half of ParallelScores: normalises chunks of records from the end while the main
// thread normalises from the start, receives the distinct profiles the main thread made,
// builds the candidate index while the main thread trains, then scores chunks of records it
// claims from a shared counter until none are left.
const { port, ctl } = workerData as { port: MessagePort; ctl: Int32Array };
const profiles: Profile[] = [];
// Profiles this thread normalised, by record index, and the chunks they came from.
const own = new Map<number, Profile>();
const ownChunks: [number, number][] = [];
let index: ReturnType<typeof buildCandidateIndex> | undefined;

function signal(): void {
  Atomics.add(ctl, CTL.signal, 1);
  Atomics.notify(ctl, CTL.signal);
}

function normalise(
  text: string,
  from: number,
  n: number,
  size: number,
  first: number,
  claims: Int32Array,
  popts: ProfileOptions,
): void {
  const records = decodeRecords(text);
  for (let c = Math.ceil(n / size) - 1; c >= first; c--) {
    if (Atomics.compareExchange(claims, c, 0, 1) !== 0) break;
    const lo = c * size;
    const hi = Math.min(n, lo + size);
    const made: Profile[] = [];
    for (let i = lo; i < hi; i++) {
      const p = toProfile(records[i - from] as PersonRecord, popts);
      own.set(i, p);
      made.push(p);
    }
    ownChunks.unshift([lo, hi]);
    port.postMessage({ kind: 'normalised', chunk: c, text: encodeProfiles(made, 0, made.length, true) });
    signal();
  }
}

/** The distinct profiles in order of first arrival: the main thread's, then this thread's new ones. */
function complete(order: RecordOrder, sent: number): void {
  if (profiles.length !== sent) throw new Error(`received ${profiles.length} profiles of ${sent}`);
  for (const [lo, hi] of ownChunks) {
    for (let i = lo; i < hi; i++) {
      const pid = order.pid[i] as number;
      if (pid === profiles.length) profiles.push(own.get(i) as Profile);
      else if (pid > profiles.length) throw new Error(`record ${i}: profile ${pid} out of order`);
    }
  }
  own.clear();
}

function run(model: MatchModel, order: RecordOrder, blockLimit: number, chunk: number, chunks: number): void {
  const scorer = new CandidateScorer(profiles, index as NonNullable<typeof index>, order, model, blockLimit);
  const n = order.pid.length;
  for (;;) {
    const c = Atomics.add(ctl, CTL.next, 1);
    if (c >= chunks) break;
    const s = scorer.score(c * chunk, Math.min(n, (c + 1) * chunk));
    port.postMessage({ kind: 'scores', chunk: c, run: s }, [
      s.counts.buffer as ArrayBuffer,
      s.self.buffer as ArrayBuffer,
      s.ids.buffer as ArrayBuffer,
      s.weights.buffer as ArrayBuffer,
    ]);
    signal();
  }
}

parentPort?.on('message', (m: ToWorker) => {
  try {
    if (m.kind === 'records') normalise(m.text, m.from, m.n, m.size, m.first, m.claims, m.profile);
    else if (m.kind === 'profiles') decodeProfiles(m.text, profiles);
    else if (m.kind === 'index') {
      complete(m.order, m.sent);
      index = buildCandidateIndex(profiles, true);
      port.postMessage({ kind: 'index', index });
      signal();
    } else {
      run(m.model, m.order, m.blockLimit, m.chunk, m.chunks);
      parentPort?.close();
    }
  } catch (e) {
    port.postMessage({ kind: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    signal();
    parentPort?.close();
  }
});
