import { parentPort } from 'node:worker_threads';
import { type ProfileOptions, toProfile } from './profile.js';
import { PERSON_FIELDS, type PersonRecord } from './types.js';

/** One chunk of records to normalise: their field values (PERSON_FIELDS order, no record_id) as JSON. */
export interface ProfileChunk {
  seq: number;
  rows: string;
  opts: ProfileOptions;
}

/** The chunk's profiles as JSON (parsed on the other side in one native call). */
export interface ProfileChunkDone {
  seq: number;
  profiles: string;
}

// Runs in a worker thread started by `toProfilesParallel`; each worker keeps its own memos
// (pinyin, phone numbers), warmed by the chunks it is given.
parentPort?.on('message', (msg: ProfileChunk) => {
  const rows = JSON.parse(msg.rows) as (string | null)[][];
  const profiles = rows.map((row) => toProfile(recordOf(row), msg.opts));
  parentPort?.postMessage({ seq: msg.seq, profiles: JSON.stringify(profiles) } satisfies ProfileChunkDone);
});

function recordOf(row: readonly (string | null)[]): PersonRecord {
  const r: Record<string, string> = { record_id: '' };
  for (let i = 1; i < PERSON_FIELDS.length; i++) {
    const v = row[i - 1];
    if (v !== null && v !== undefined) r[PERSON_FIELDS[i] as string] = v;
  }
  return r as unknown as PersonRecord;
}
