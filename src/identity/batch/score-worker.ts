import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import type { MatchModel } from '../match/model.js';
import type { Profile } from '../profile.js';
import { buildCandidateIndex, CandidateScorer, type RecordOrder } from './candidate-index.js';
import { CTL, type ToWorker } from './parallel-scores.js';
import { decodeProfiles } from './profile-wire.js';

// The other half of ParallelScores: receives the batch's distinct profiles while the main
// thread normalises, builds the candidate index while it trains, then scores chunks of
// records it claims from a shared counter until none are left.
const { port, ctl } = workerData as { port: MessagePort; ctl: Int32Array };
const profiles: Profile[] = [];
let index: ReturnType<typeof buildCandidateIndex> | undefined;

function signal(): void {
  Atomics.add(ctl, CTL.signal, 1);
  Atomics.notify(ctl, CTL.signal);
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
      s.ids.buffer as ArrayBuffer,
      s.weights.buffer as ArrayBuffer,
    ]);
    signal();
  }
}

parentPort?.on('message', (m: ToWorker) => {
  try {
    if (m.kind === 'profiles') decodeProfiles(m.text, profiles);
    else if (m.kind === 'index') {
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
