/**
 * What identity resolution and operators decided about a person, as the person reads it in their
 * file: merges, splits, review verdicts and refused merges that name one of their ids or records.
 * Another person is never named: an id that is not the person's own (the person a record was split
 * off to, the file a record was compared with) is said as "another file".
 */
export interface IdentityDecisionView {
  /** Order in the identity history (decisions carry no clock). */
  readonly seq: number;
  readonly kind: 'merge' | 'split' | 'review' | 'refused-merge';
  readonly by: 'operator' | 'identity resolution';
  /** The decision in one plain sentence. */
  readonly what: string;
  /** The person records it was about. */
  readonly records: readonly string[];
  /** The operator's reason, when one was given. */
  readonly note: string | null;
}

type Decision =
  | {
      seq: number;
      kind: 'merge';
      survivor: string;
      absorbed: string;
      by: string;
      recordId?: string;
      note?: string;
    }
  | { seq: number; kind: 'split'; from: string; to: string; records: string[]; note?: string }
  | { seq: number; kind: 'review'; recordId: string; verdict: string; subjectId: string; note?: string }
  | { seq: number; kind: 'refused-merge'; subjects: string[]; recordId?: string; reason?: string };

/**
 * The decisions of the identity history (`Store.identityDecisions`, JSON texts in order, or
 * those texts parsed) about the person whose ids (their own and those merged into them) and current
 * records are given. `origins`: per current record, the id it was first linked to; with it, a
 * decision is theirs when it names an id that held one of their records at that step (their
 * records followed from those ids through the merges and splits), not an id theirs now: a merge
 * that kept an id naming someone else since a split took their record off it joined their record
 * with another file, and what that id went through after their record left it is not theirs.
 *
 * @example
 * identityHistoryOf(await store.identityDecisions(), ['P0000001', 'P0000003'], ['R71b…'])
 */
export function identityHistoryOf(
  log: readonly (string | object)[],
  ids: readonly string[],
  records: readonly string[],
  origins: ReadonlyMap<string, string> = new Map(),
): IdentityDecisionView[] {
  const own = new Set(records);
  // Where each of their records is at this step of the history, from the id it was first linked to.
  const at = new Map(
    records.flatMap((r) => (origins.has(r) ? [[r, origins.get(r) as string] as const] : [])),
  );
  const out: IdentityDecisionView[] = [];
  for (const text of log) {
    // Parsed already where the caller read the log for other parts of the file too.
    const d = (typeof text === 'string' ? JSON.parse(text) : text) as Decision;
    // Their ids at this step: where their records were, or, for a record whose first id is not
    // known (no origins given), the ids that are theirs now.
    const mine = new Set(at.size === records.length && at.size > 0 ? at.values() : [...ids, ...at.values()]);
    const before = new Map(at);
    if (d.kind === 'merge') {
      for (const [r, id] of at) if (id === d.absorbed) at.set(r, d.survivor);
    } else if (d.kind === 'split') {
      for (const r of d.records) if (at.get(r) === d.from) at.set(r, d.to);
    }
    const note = 'note' in d && typeof d.note === 'string' ? d.note : null;
    switch (d.kind) {
      case 'merge': {
        const byRecord = d.recordId !== undefined && own.has(d.recordId);
        if (!mine.has(d.survivor) && !mine.has(d.absorbed) && !byRecord) break;
        const by = d.by === 'operator' ? 'operator' : 'identity resolution';
        const who = by === 'operator' ? 'An operator' : 'Identity resolution';
        const what =
          mine.has(d.survivor) && mine.has(d.absorbed)
            ? `${who} found the records held under ${d.absorbed} to be the same person as yours under ${d.survivor} and joined them.`
            : mine.has(d.survivor) || mine.has(d.absorbed)
              ? `${who} joined the records of another file to yours.`
              : `${who} joined your record ${d.recordId} with another file.`;
        // The record it was decided on, else theirs it joined (where their records were followed).
        const joined = [...before].flatMap(([r, id]) => (id === d.survivor || id === d.absorbed ? [r] : []));
        out.push({ seq: d.seq, kind: 'merge', by, what, records: d.recordId ? [d.recordId] : joined, note });
        break;
      }
      case 'split': {
        const about = d.records.filter((r) => own.has(r));
        if (!mine.has(d.from) && !mine.has(d.to) && about.length === 0) break;
        // Records of theirs moved: they went with the person (a record split off them is no
        // longer among their records).
        const what =
          mine.has(d.from) && about.length === 0
            ? `An operator split ${d.records.join(', ')} off your file: they are no longer counted as yours.`
            : `An operator split ${d.records.join(', ')} off another file: they are yours alone and kept apart from it.`;
        out.push({ seq: d.seq, kind: 'split', by: 'operator', what, records: d.records, note });
        break;
      }
      case 'review': {
        const you = mine.has(d.subjectId);
        if (!you && !own.has(d.recordId)) break;
        const what =
          d.verdict === 'same'
            ? you
              ? `An operator decided that record ${d.recordId} is you.`
              : `An operator decided that your record ${d.recordId} is the same person as another file.`
            : you
              ? `An operator decided that record ${d.recordId} is not you: it is kept apart from you.`
              : `An operator decided that your record ${d.recordId} is not the person of another file it resembled: it is kept apart from it.`;
        out.push({ seq: d.seq, kind: 'review', by: 'operator', what, records: [d.recordId], note });
        break;
      }
      case 'refused-merge': {
        const byRecord = d.recordId !== undefined && own.has(d.recordId);
        if (!d.subjects.some((s) => mine.has(s)) && !byRecord) break;
        out.push({
          seq: d.seq,
          kind: 'refused-merge',
          by: 'identity resolution',
          what: 'Identity resolution found your file resembling another one but did not join them: they are kept apart.',
          records: d.recordId ? [d.recordId] : [],
          note: null,
        });
        break;
      }
    }
  }
  return out;
}

/** Per record, the id it was first linked to (its link's `subjectId`), for `identityHistoryOf`. */
export function linkOrigins(links: readonly { recordId: string; link: string }[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of links) {
    const first = (JSON.parse(l.link) as { subjectId?: unknown }).subjectId;
    if (typeof first === 'string') out.set(l.recordId, first);
  }
  return out;
}
