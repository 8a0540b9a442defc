import type { Subject } from '../../core/facts/fact.js';
import { GENERATED_ID, generatedSubjectId } from '../../core/facts/subject-id.js';
import type { Identifier, NewIdentifier, Store } from '../../store/store.js';
import { subjectIdentifiers } from './identifiers.js';
import type { Resolution, ResolverWrites, SubjectResolver } from './subject-resolver.js';

export { GENERATED_ID, generatedSubjectId } from '../../core/facts/subject-id.js';

// Bounds the identifier cache across batches; it is only a shortcut in front of the store.
const CACHE_LIMIT = 300_000;

/**
 * Whether an identifier names its holder by itself. A passport number sent without its issuing
 * country does not (two countries may issue the same number; the identity engine keys a passport
 * by country and number, `subjectIdentifiers` writes it `CHN:E12345678`): it is stored, but joins
 * nobody to the person who sent it first.
 */
function binds(id: Identifier): boolean {
  return id.kind !== 'passport_number' || id.value.includes(':');
}

/**
 * The stand-in resolver until the identity module is wired in: a given `subjectId` as is; else
 * the first exact match of a strong identifier (national_id, passport_number with its country,
 * phone, account, email, other_id, in that order); else a new person. Identifiers a record adds
 * to a known person are linked to them (the first claim of an identifier wins). Ids are assigned in input order,
 * so re-running the same input gives the same ids.
 *
 * @example
 * const r = new ExactResolver(store);
 * await r.prepare([{ phone: '+8613800138000' }]);
 * r.resolve({ phone: '+8613800138000' }) // { ok: true, subject: 'P0000001', created: true }
 */
export class ExactResolver implements SubjectResolver {
  readonly #store: Store;
  /** `kind:value` → subject, or null when the store is known not to have it. */
  readonly #ids = new Map<string, string | null>();
  readonly #subjects = new Set<string>();
  #nextSeq: number | undefined;
  #pendingSubjects: string[] = [];
  #pendingIds: NewIdentifier[] = [];

  constructor(store: Store) {
    this.#store = store;
  }

  async prepare(subjects: readonly Subject[]): Promise<void> {
    if (this.#nextSeq === undefined) this.#nextSeq = (await this.#store.subjectCount()) + 1;
    if (this.#ids.size > CACHE_LIMIT) this.#ids.clear();
    const want: Identifier[] = [];
    const given: string[] = [];
    for (const s of subjects) {
      if (s.subjectId !== undefined && !this.#subjects.has(s.subjectId)) given.push(s.subjectId);
      for (const id of subjectIdentifiers(s)) {
        const k = `${id.kind}:${id.value}`;
        if (this.#ids.has(k)) continue;
        // Placeholder until the store answers, so a batch asks for each identifier once.
        this.#ids.set(k, null);
        want.push(id);
      }
    }
    if (want.length > 0) {
      const found = await this.#store.findIdentifiers(want);
      for (const id of want) {
        const k = `${id.kind}:${id.value}`;
        this.#ids.set(k, found.get(k) ?? null);
      }
    }
    if (given.length > 0) for (const s of await this.#store.existingSubjects(given)) this.#subjects.add(s);
  }

  resolve(subject: Subject): Resolution {
    const ids = subjectIdentifiers(subject);
    let found: string | undefined;
    let created = false;
    if (subject.subjectId !== undefined) {
      found = subject.subjectId;
      if (!this.#subjects.has(found)) {
        if (GENERATED_ID.test(found)) {
          return {
            ok: false,
            code: 'CREDENCE_E_SUBJECT_NOT_FOUND',
            field: 'subject.subjectId',
            reason: `no person ${found}: ids of this form are assigned by Credence`,
          };
        }
        this.#addSubject(found);
        created = true;
      }
    } else {
      for (const id of ids) {
        if (!binds(id)) continue;
        const s = this.#ids.get(`${id.kind}:${id.value}`);
        if (s) {
          found = s;
          break;
        }
      }
      if (found === undefined) {
        this.#nextSeq ??= 1;
        found = generatedSubjectId(this.#nextSeq++);
        this.#addSubject(found);
        created = true;
      }
    }
    for (const id of ids) {
      const k = `${id.kind}:${id.value}`;
      if (!this.#ids.get(k)) {
        this.#ids.set(k, found);
        this.#pendingIds.push({ ...id, subject: found });
      }
    }
    return { ok: true, subject: found, created };
  }

  #addSubject(id: string): void {
    this.#subjects.add(id);
    this.#pendingSubjects.push(id);
  }

  take(): ResolverWrites {
    const out = { subjects: this.#pendingSubjects, identifiers: this.#pendingIds };
    this.#pendingSubjects = [];
    this.#pendingIds = [];
    return out;
  }

  reset(): void {
    this.#ids.clear();
    this.#subjects.clear();
    this.#nextSeq = undefined;
    this.#pendingSubjects = [];
    this.#pendingIds = [];
  }
}
