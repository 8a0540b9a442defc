import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CredenceError } from '../core/errors/index.js';
import { type Profile, type ProfileOptions, toProfile } from './profile.js';
import type { ProfileChunk, ProfileChunkDone } from './profile-worker.js';
import { PERSON_FIELDS, type PersonRecord } from './types.js';

export interface ParallelProfileOptions {
  profile?: ProfileOptions;
  /**
   * Worker threads besides this one (default: the cores available, less one for this thread,
   * which normalises too). 0 normalises in this thread only.
   */
  workers?: number;
  /** Below this many records the threads cost more than they save (default 50,000). */
  minRecords?: number;
  /** Records per message (default 10,000): small enough that a busy core does not hold the rest back. */
  chunk?: number;
}

const WORKER_FILE = new URL('./profile-worker.js', import.meta.url);

/**
 * `records.map((r) => toProfile(r))` on this thread and worker threads together. Normalising
 * (pinyin, phone numbers, Unicode folding) needs no shared state, so it can use every core
 * while the matching that follows stays in order on one. This thread takes chunks from the
 * end and the workers from the start, so neither waits on the other; this thread's memos are
 * warm and its share costs no copying, while a worker's share crosses as JSON both ways.
 * Same profiles as `toProfile`, in input order. Falls back to this thread alone for small
 * inputs, or when the compiled worker is not beside this file (running from TypeScript).
 *
 * @example
 * const profiles = await toProfilesParallel(records, { workers: 1 });
 */
export async function toProfilesParallel(
  records: readonly PersonRecord[],
  opts: ParallelProfileOptions = {},
): Promise<Profile[]> {
  const profileOpts = opts.profile ?? {};
  const workers = Math.min(opts.workers ?? availableParallelism() - 1, 15);
  if (workers < 1 || records.length < (opts.minRecords ?? 50_000) || !existsSync(fileURLToPath(WORKER_FILE)))
    return records.map((r) => toProfile(r, profileOpts));

  const size = Math.max(1, opts.chunk ?? 10_000);
  const chunks = Math.ceil(records.length / size);
  const out = new Array<Profile>(records.length);
  const pool: Worker[] = [];
  // Chunks [front, back) are not taken yet: workers take from the front, this thread from the back.
  let front = 0;
  let back = chunks;
  let done = 0;
  let failed: Error | undefined;
  let finished: (() => void) | undefined;
  const allDone = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const complete = (): void => {
    if (++done === chunks) finished?.();
  };
  const send = (w: Worker): void => {
    if (front >= back) return;
    const seq = front++;
    const rows = records.slice(seq * size, (seq + 1) * size).map(fieldsOf);
    w.postMessage({ seq, rows: JSON.stringify(rows), opts: profileOpts } satisfies ProfileChunk);
  };
  const fail = (e: Error): void => {
    failed ??= e;
    finished?.();
  };
  try {
    for (let i = 0; i < workers; i++) {
      const w = new Worker(WORKER_FILE);
      pool.push(w);
      w.on('message', (msg: ProfileChunkDone) => {
        const profiles = JSON.parse(msg.profiles) as Profile[];
        const base = msg.seq * size;
        for (let k = 0; k < profiles.length; k++) out[base + k] = profiles[k] as Profile;
        complete();
        send(w);
      });
      w.on('error', (e) =>
        fail(new CredenceError('CREDENCE_E_INTERNAL', `normalising worker failed: ${e.message}`)),
      );
      w.on('exit', (code) => {
        if (done < chunks)
          fail(new CredenceError('CREDENCE_E_INTERNAL', `normalising worker exited early (${code})`));
      });
      // Two chunks in flight per worker: it starts the next while this thread reads the last.
      send(w);
      send(w);
    }
    while (front < back && !failed) {
      const seq = --back;
      const end = Math.min(records.length, (seq + 1) * size);
      for (let k = seq * size; k < end; k++) out[k] = toProfile(records[k] as PersonRecord, profileOpts);
      complete();
      // Lets the workers' answers in (each asks for the next chunk) between two of ours.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await allDone;
    if (failed) throw failed;
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return out;
}

function fieldsOf(r: PersonRecord): (string | null)[] {
  const row = new Array<string | null>(PERSON_FIELDS.length - 1);
  for (let i = 1; i < PERSON_FIELDS.length; i++)
    row[i - 1] = (r[PERSON_FIELDS[i] as keyof PersonRecord] as string | undefined) ?? null;
  return row;
}
