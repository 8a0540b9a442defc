/**
 * Opening the embedded deployment: the SQLite store and its programs, and the look-ups every
 * command shares. Part of the composition root (`app.ts` re-exports all of it); kept apart so a
 * command that only reads — `credence score` — does not load the ingest pipeline and the
 * identity engine behind it (libphonenumber, pinyin, MRZ) at start-up.
 */
import type { ConsentEvent } from './core/consent/index.js';
import { CredenceError } from './core/errors/index.js';
import type { ScoringFact } from './core/facts/fact.js';
import { GENERATED_ID } from './core/facts/subject-id.js';
import type { CompiledRulebook } from './core/rulebook/index.js';
import { followMerges, MergeChains, type MergeStep } from './identity/merge-chain.js';
import { residentIdCheckChar, residentIdKey } from './identity/validate/resident-id.js';
import { CONSENT_TYPES } from './ingest/event-catalog.js';
import { toScoringFact } from './ingest/person-cache.js';
import { ProgramSet } from './ingest/program-set.js';
import { openSqliteStore, type SqliteStore } from './store/sqlite/index.js';
import type { Store } from './store/store.js';

export interface App {
  readonly store: Store;
  readonly dbPath: string;
  readonly programs: ProgramSet;
  close(): Promise<void>;
}

/** The `--db` default: `$CREDENCE_DB`, else `./credence.db`. */
export function defaultDbPath(): string {
  return process.env.CREDENCE_DB || './credence.db';
}

/**
 * Opens an initialised database and compiles its programs.
 *
 * @example
 * const app = await openApp('./credence.db');
 */
export async function openApp(dbPath: string): Promise<App> {
  const store: SqliteStore = await openSqliteStore(dbPath);
  try {
    if (!(await store.isInitialised())) {
      throw new CredenceError(
        'CREDENCE_E_DB',
        // An older schema lands here too: `init` upgrades in place and keeps every row.
        `database ${dbPath} is not initialised or was made by an older Credence (run \`credence init --db ${dbPath}\` to create or upgrade it; upgrading keeps all data)`,
        { file: dbPath },
      );
    }
    const programs = ProgramSet.fromStored(await store.allRulebooks());
    return { store, dbPath, programs, close: () => store.close() };
  } catch (e) {
    await store.close();
    throw e;
  }
}

/** Creates (or upgrades) a database file and applies migrations. */
export async function initDatabase(dbPath: string): Promise<void> {
  const store = await openSqliteStore(dbPath, { create: true });
  try {
    await store.migrate();
  } finally {
    await store.close();
  }
}

/** A program's active rulebook, or CREDENCE_E_PROGRAM_NOT_FOUND naming the loaded ones. */
export function requireProgram(app: App, program: string): CompiledRulebook {
  const rb = app.programs.get(program);
  if (!rb) {
    const known = app.programs.ids;
    throw new CredenceError(
      'CREDENCE_E_PROGRAM_NOT_FOUND',
      `no program "${program}" is loaded${known.length > 0 ? ` (loaded: ${known.join(', ')})` : ' (run `credence program load FILE.yaml`)'}`,
      { field: '--program' },
    );
  }
  return rb;
}

/**
 * Finds the one person a subject id or a strong identifier (national id, passport, phone,
 * account, e-mail) names; an unknown or ambiguous one is an error naming `field` (the CLI's
 * argument by default; the API names its own parameter).
 */
export async function findSubject(app: App, text: string, field = 'SUBJECT'): Promise<string> {
  // A subject pasted with the spaces around it (" P0000001 ") is that subject: ids hold none.
  const id = text.trim();
  if ((await app.store.existingSubjects([id])).has(id)) return currentPerson(app, id, field);
  // A resident ID whose check character is wrong was mistyped, here or by a furnisher: looked up,
  // it named whoever sent that spelling first (two people sent 110105194912310021), and a relying
  // party got a stranger's score.
  const nid = residentIdKey(id);
  if (/^\d{17}[\dX]$/.test(nid) && residentIdCheckChar(nid.slice(0, 17)) !== nid[17]) {
    throw new CredenceError(
      'CREDENCE_E_USAGE',
      `"${text}" is not a valid resident ID (its check character would be ${residentIdCheckChar(nid.slice(0, 17))}, not ${nid[17]}), so no person is looked up by it: check the number, or use the person's subject id`,
      { field },
    );
  }
  const hits = new Set<string>();
  // Loaded here only (a file of its own beside a bundled command): its phone normaliser brings
  // libphonenumber-js, found from its module, and most look-ups are by subject id.
  const { lookupIdentifiers } = await import('./ingest/resolve/identifiers.js');
  for (const { kind, value } of lookupIdentifiers(text))
    for (const s of await app.store.subjectsByIdentifierValue(value, [kind])) hits.add(s);
  if (hits.size === 1) return [...hits][0] as string;
  if (hits.size > 1) {
    throw Object.assign(
      new CredenceError(
        'CREDENCE_E_SUBJECT_AMBIGUOUS',
        // Without their ids: the answer goes to whoever asked. The ids ride on the error, never in
        // its text or details, for the API to log the refusal under each holder (`subjects`).
        `"${text}" names ${hits.size} people; use the subject id of the one meant`,
        { field },
      ),
      { subjects: [...hits].sort() },
    );
  }
  // A passport sent with its country is keyed by it (two countries may issue one number).
  const passport =
    /^[A-Z0-9]{5,9}$/i.test(id) && !GENERATED_ID.test(id)
      ? `; a passport sent with its issuing country is looked up as COUNTRY:NUMBER, e.g. CHN:${id.toUpperCase()}`
      : '';
  throw new CredenceError(
    'CREDENCE_E_SUBJECT_NOT_FOUND',
    `no person "${text}" (neither a subject id nor a known identifier${passport})`,
    { field },
  );
}

/**
 * The person a subject id names now. A merge leaves the absorbed id holding nothing (its facts,
 * records, identifiers and consents go to the survivor), but the id is still what the person's
 * token, a relying party's files and the person themselves know: it names the survivor, so an
 * opt-out under it keeps the merged person out and a query answers for the person, not for an
 * empty id. A survivor split since may hold the records elsewhere: the id names no one person.
 * A person with identity records of their own was not merged away (one indexed look-up).
 */
export async function currentPerson(app: App, subject: string, field = 'SUBJECT'): Promise<string> {
  if ((await app.store.identityRecordsOf(subject)).length > 0) return subject;
  const { current, splitSince } = followMerges(subject, parseDecisions(await app.store.identityDecisions()));
  if (splitSince.length > 0) {
    throw Object.assign(
      new CredenceError(
        'CREDENCE_E_SUBJECT_AMBIGUOUS',
        `"${subject}" was merged into ${current}, which was split since (${splitSince.join(', ')}); use a current subject id`,
        { field },
      ),
      // The people it may name now, for the API to log the refusal under and keep out of its answer.
      { subjects: [current, ...splitSince].sort() },
    );
  }
  return current;
}

/**
 * The ids merged into a person (directly or through another merge) that still name them: what
 * was asked or recorded under those ids is about this person (inquiries made before the merge).
 * An id whose survivor was split since names no one person and is left out.
 */
export async function mergedIds(app: App, subject: string, read?: readonly MergeStep[]): Promise<string[]> {
  // `read`: the decision log, when the caller has it (a person's file reads it once).
  const decisions = read ?? parseDecisions(await app.store.identityDecisions());
  // One index over the log, not a pass over it per merge: a person's file is read often, and a
  // long-running program records many merges.
  const chains = new MergeChains(decisions);
  const out = new Set<string>();
  for (const d of decisions) {
    if (d.kind !== 'merge' || typeof d.absorbed !== 'string' || out.has(d.absorbed)) continue;
    const f = chains.follow(d.absorbed);
    if (f.current === subject && f.splitSince.length === 0) out.add(d.absorbed);
  }
  return [...out];
}

const parseDecisions = (texts: readonly string[]): MergeStep[] =>
  texts.map((t) => JSON.parse(t) as MergeStep);

/** A person's facts (for scoring) and consent history per program, from the store. */
export async function loadPerson(
  app: App,
  subject: string,
): Promise<{ facts: ScoringFact[]; consents: Map<string, ConsentEvent[]> }> {
  const stored = (await app.store.personFacts([subject])).get(subject) ?? [];
  const rows = (await app.store.personConsents([subject])).get(subject) ?? [];
  const consents = new Map<string, ConsentEvent[]>();
  for (const r of rows) {
    const list = consents.get(r.program) ?? [];
    list.push({ action: r.action, at: r.at });
    consents.set(r.program, list);
  }
  return { facts: stored.filter((f) => CONSENT_TYPES[f.type] === undefined).map(toScoringFact), consents };
}
