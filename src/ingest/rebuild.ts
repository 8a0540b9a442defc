import { CredenceError } from '../core/errors/index.js';
import type { ConsentRow, LedgerRow, ScoreRow, Store, StoredRulebook } from '../store/store.js';
import { CONSENT_TYPES } from './event-catalog.js';
import { loadEntry } from './person-cache.js';
import { scoreRow, toLedgerRow } from './pipeline.js';
import { ProgramSet } from './program-set.js';
import { settleIdentityMoves } from './resolve/identity-ops.js';
import { IdentityResolver } from './resolve/identity-resolver.js';
import { consentTakesEffect } from './validate.js';

export interface RebuildResult {
  readonly people: number;
  readonly ledgerRows: number;
  readonly scores: number;
  readonly consents: number;
}

export interface RebuildOptions {
  /** Only this program's consents, ledgers and cached scores. */
  readonly program?: string;
  readonly pageSize?: number;
  readonly onPage?: (people: number) => void;
}

/** How often `rebuildCurrent` starts again when rulebook versions keep being loaded beside it. */
const REBUILD_ATTEMPTS = 3;

/** Which version of each program is in the file: what a rebuild derives under. */
const versionsOf = (latest: readonly StoredRulebook[]): string =>
  latest.map((r) => `${r.program}\u0000${r.version}`).join('\u0001');

/**
 * `credence rebuild`: everyone's consents, ledgers and cached scores re-derived under the rulebook
 * versions the file holds when it ends. A version loaded by another process meanwhile (`credence
 * program load` does not wait for the writer lock a rebuild holds, as an ingest beside it must not)
 * re-derives its program's ledgers itself, but a rebuild that read the programs before it would
 * write its later pages under the old version over them. So the versions are read again after each
 * page is stored, and a rebuild that saw them move starts again under the new ones.
 */
export async function rebuildCurrent(
  store: Store,
  opts: Omit<RebuildOptions, 'program'> = {},
): Promise<RebuildResult> {
  for (let attempt = 1; ; attempt++) {
    const versions = versionsOf(await store.latestRulebooks());
    const programs = ProgramSet.fromStored(await store.allRulebooks());
    const moved = async (): Promise<boolean> => versionsOf(await store.latestRulebooks()) !== versions;
    const r = await rebuildDerived(store, programs, { ...opts, moved });
    if (r !== MOVED) return r;
    if (attempt >= REBUILD_ATTEMPTS)
      throw new CredenceError(
        'CREDENCE_E_STATE',
        `rulebook versions were loaded ${REBUILD_ATTEMPTS} times while the rebuild ran, so ledgers and cached scores may be derived under an older version: run credence rebuild again once no program load is running`,
        { field: 'programs' },
      );
  }
}

/** `rebuildDerived`'s answer when its `moved` check saw the rulebook versions change. */
const MOVED = Symbol('rulebook versions moved');

/**
 * Re-derives consents, ledgers and cached scores from the stored facts alone, person by
 * person, one transaction per page of people. With `program`, only that program's.
 *
 * @example
 * await rebuildDerived(store, programs) // { people: 10000, ledgerRows: ..., ... }
 */
export async function rebuildDerived(
  store: Store,
  programs: ProgramSet,
  opts?: RebuildOptions,
): Promise<RebuildResult>;
export async function rebuildDerived(
  store: Store,
  programs: ProgramSet,
  opts: RebuildOptions & {
    /** Checked after each page is stored: true ends the rebuild with `MOVED`. */
    moved: () => Promise<boolean>;
  },
): Promise<RebuildResult | typeof MOVED>;
export async function rebuildDerived(
  store: Store,
  programs: ProgramSet,
  opts: RebuildOptions & { moved?: () => Promise<boolean> } = {},
): Promise<RebuildResult | typeof MOVED> {
  // Identity links are kept (operator decisions among them); merges a killed ingest left
  // unsettled are settled first, so every person is rebuilt from all of their facts.
  const identity = new IdentityResolver(store);
  await identity.load();
  await settleIdentityMoves(store, programs, identity);
  const only = opts.program;
  const rulebooks = programs.active.filter((rb) => only === undefined || rb.program === only);
  // Consent rows are not cleared here but replaced with each page's people, in the transaction
  // that writes their ledgers: a rebuild killed part way left the people not yet rebuilt with no
  // opt-out on file, and they were scored. Ledgers and cached scores may go first: a score is
  // computed from the facts and the consent rows, never from what is cached.
  await store.clearDerived(only, { keepConsents: true });
  const pageSize = opts.pageSize ?? 1000;
  let after = '';
  const total = { people: 0, ledgerRows: 0, scores: 0, consents: 0 };
  for (;;) {
    const page = await store.subjectsPage(after, pageSize);
    if (page.length === 0) break;
    const facts = await store.personFacts(page);
    const upserts: LedgerRow[] = [];
    const scores: ScoreRow[] = [];
    const consents: ConsentRow[] = [];
    for (const subject of page) {
      const stored = facts.get(subject) ?? [];
      for (const f of stored) {
        const action = CONSENT_TYPES[f.type];
        if (!action) continue;
        const program = (JSON.parse(f.body) as { data?: { program?: string } }).data?.program;
        if (program === undefined || (only !== undefined && program !== only)) continue;
        consents.push({
          subject,
          program,
          action,
          at: consentTakesEffect(f.at, f.receivedAt),
          factKey: `${f.source}/${f.id}`,
        });
      }
      const entry = loadEntry(
        subject,
        stored,
        consents.filter((c) => c.subject === subject),
        rulebooks,
      );
      for (const [program, state] of entry.states) {
        if (!state) continue;
        for (const e of state.ledger) upserts.push(toLedgerRow(subject, program, e));
        const row = scoreRow(subject, state, entry);
        if (row) scores.push(row);
      }
    }
    const consentDeletes = await staleConsents(store, page, consents, only);
    await store.commit({ consents, consentDeletes, ledgerUpserts: upserts, scores });
    total.people += page.length;
    total.ledgerRows += upserts.length;
    total.scores += scores.length;
    total.consents += consents.length;
    opts.onPage?.(total.people);
    after = page.at(-1) as string;
    // After the page is stored, the last one included: a version loaded before then may have been
    // re-derived by its loader before this page overwrote it.
    if (await opts.moved?.()) return MOVED;
  }
  return total;
}

/**
 * The consent rows of `page` the facts no longer give (`consents` are those they give), as the
 * fact keys to delete. A row is deleted by its fact key, whoever it is filed under, so a key whose
 * fact now stands under another person is left: deleting it would take that person's row too.
 */
async function staleConsents(
  store: Store,
  page: readonly string[],
  consents: readonly ConsentRow[],
  only: string | undefined,
): Promise<string[]> {
  const given = new Set(consents.map((c) => `${c.subject}\u0000${c.program}\u0000${c.factKey}`));
  const stale: string[] = [];
  for (const [subject, rows] of await store.personConsents(page)) {
    for (const r of rows) {
      if (only !== undefined && r.program !== only) continue;
      if (!given.has(`${subject}\u0000${r.program}\u0000${r.factKey}`)) stale.push(r.factKey);
    }
  }
  if (stale.length === 0) return stale;
  const refs = stale.map((k) => {
    const slash = k.indexOf('/');
    return { source: k.slice(0, slash), id: k.slice(slash + 1) };
  });
  const known = [...(await store.findFacts(refs)).values()];
  const elsewhere = new Set(
    known.filter((f) => !f.retracted && !page.includes(f.subject)).map((f) => `${f.source}/${f.id}`),
  );
  // A fact of a person of this page (moved to them, or theirs all along) gives its row through
  // `consents`, inserted before the deletes run: such a key is not deleted either.
  const givenKeys = new Set(consents.map((c) => c.factKey));
  return [...new Set(stale)].filter((k) => !elsewhere.has(k) && !givenKeys.has(k));
}
