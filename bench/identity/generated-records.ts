import { generateFacts } from '../../src/generate/index.js';
import { type PersonRecord, subjectToRecord } from '../../src/identity/index.js';
import { recordIdOf } from '../../src/ingest/resolve/identity-resolver.js';

/**
 * Every distinct subject representation of `credence generate --people N` (seed 1), in arrival
 * order, as the person records ingest's engine resolves: each once, its id derived from its
 * content as ingest derives it.
 */
export function generatedRecords(people: number): PersonRecord[] {
  const records: PersonRecord[] = [];
  const seen = new Set<string>();
  for (const f of generateFacts({ people, seed: 1 })) {
    const subject = (f as { subject?: Record<string, string> }).subject;
    if (!subject || subject.subjectId !== undefined) continue;
    const rid = recordIdOf(subject);
    if (seen.has(rid)) continue;
    seen.add(rid);
    records.push(subjectToRecord(subject, rid));
  }
  return records;
}
