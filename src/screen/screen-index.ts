import { type Alignment, alignNames } from './align.js';
import { nameTokens } from './name-tokens.js';
import {
  compareCountry,
  compareDob,
  compareId,
  compareSex,
  dobDigits,
  type QualifierNote,
} from './qualifiers.js';
import type { ListedPerson, ScreenCandidate, ScreenOptions, ScreenQuery, ScreenResult } from './types.js';

const DEFAULT_THRESHOLD = 0.8;

/** The consonant skeleton of a name part (first letter kept): `wang`/`wnag` → `wng`. */
export function skeleton(t: string): string {
  let out = t[0] ?? '';
  for (let i = 1; i < t.length; i++) {
    const ch = t[i] as string;
    if ('aeiouy'.includes(ch)) continue;
    if (out[out.length - 1] !== ch) out += ch;
  }
  return out;
}

/** Units blocked on: the parts and each two neighbours joined (`jian hua` → `jianhua`). */
function blockUnits(tokens: readonly string[]): string[] {
  const out = [...tokens];
  for (let i = 0; i + 1 < tokens.length; i++) out.push(`${tokens[i]}${tokens[i + 1]}`);
  return out;
}

function blockKeys(tokens: readonly string[], kind: 'e' | 's'): string[] {
  const us = blockUnits(tokens).map((u) => (kind === 'e' ? u : skeleton(u)));
  if (tokens.length === 1) return [`${kind}1:${us[0]}`];
  const keys = new Set<string>();
  for (let i = 0; i < us.length; i++) {
    for (let j = i + 1; j < us.length; j++) {
      const a = us[i] as string;
      const b = us[j] as string;
      keys.add(a < b ? `${kind}:${a}|${b}` : `${kind}:${b}|${a}`);
    }
  }
  return [...keys];
}

interface IndexedPerson {
  readonly person: ListedPerson;
  readonly dob: string | undefined;
}

/**
 * An in-memory screening index over flagged people. Names are blocked on pairs of their parts
 * (exact, then consonant skeletons for typos), so a query compares only people who share two
 * name parts with it; each candidate is aligned part by part and qualified by date of birth, ID,
 * sex and country. Pure: build it from a list, ask it questions.
 *
 * @example
 * const ix = new ScreenIndex([{ subjectId: 'P1', names: ['王伟'], dob: '1990-03-07', flags: ['dishonest-debtor'] }]);
 * ix.search({ name: 'Wei Wang', dob: '1990-03-07' }).candidates[0]?.subjectId // 'P1'
 */
export class ScreenIndex {
  readonly #people: IndexedPerson[] = [];
  /** Per indexed name: its person and its parts. */
  readonly #namePerson: number[] = [];
  readonly #nameTokens: (readonly string[])[] = [];
  readonly #nameText: string[] = [];
  readonly #postings = new Map<string, number[]>();
  #stamp = new Uint32Array(0);
  #query = 0;

  constructor(people: Iterable<ListedPerson>) {
    for (const p of people) this.add(p);
  }

  get size(): number {
    return this.#people.length;
  }

  /** Adds one flagged person (each distinct spelling of their name once). */
  add(p: ListedPerson): void {
    const pi = this.#people.length;
    const idDob = p.ids?.map(dobFromId).find((d) => d !== undefined);
    this.#people.push({ person: p, dob: dobDigits(p.dob) ?? idDob });
    const seen = new Set<string>();
    for (const name of p.names) {
      const t = nameTokens(name);
      if (t.tokens.length === 0) continue;
      const sig = t.tokens.join(' ');
      if (seen.has(sig)) continue;
      seen.add(sig);
      const ni = this.#nameTokens.length;
      this.#nameTokens.push(t.tokens);
      this.#namePerson.push(pi);
      this.#nameText.push(name);
      for (const kind of ['e', 's'] as const) {
        for (const k of blockKeys(t.tokens, kind)) {
          const list = this.#postings.get(k);
          if (list) {
            if (list[list.length - 1] !== ni) list.push(ni);
          } else this.#postings.set(k, [ni]);
        }
      }
    }
  }

  /** Candidates for a query, best first, each with its reasons. */
  search(q: ScreenQuery, opts: ScreenOptions = {}): ScreenResult {
    const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
    const limit = opts.limit ?? 10;
    const t = nameTokens(q.name);
    if (t.organisation) {
      return {
        tokens: t.tokens,
        organisation: true,
        refused: "the name carries a legal form (an organisation's name); only people are listed",
        candidates: [],
      };
    }
    if (t.tokens.length === 0) {
      return {
        tokens: [],
        organisation: false,
        refused: 'nothing is left of the name once legal-form words and titles are removed',
        candidates: [],
      };
    }
    const best = new Map<number, ScreenCandidate>();
    this.#collect(q, t.tokens, 'e', best);
    let top = 0;
    for (const c of best.values()) top = Math.max(top, c.score);
    if (top < threshold) this.#collect(q, t.tokens, 's', best);
    const candidates = [...best.values()]
      .filter((c) => c.score >= threshold)
      .sort((a, b) => b.score - a.score || (a.subjectId < b.subjectId ? -1 : 1))
      .slice(0, limit);
    return { tokens: t.tokens, organisation: false, candidates };
  }

  #collect(
    q: ScreenQuery,
    tokens: readonly string[],
    kind: 'e' | 's',
    best: Map<number, ScreenCandidate>,
  ): void {
    if (this.#stamp.length < this.#nameTokens.length)
      this.#stamp = new Uint32Array(this.#nameTokens.length * 2);
    const stamp = ++this.#query;
    for (const k of blockKeys(tokens, kind)) {
      const list = this.#postings.get(k);
      if (!list) continue;
      for (const ni of list) {
        if (this.#stamp[ni] === stamp) continue;
        this.#stamp[ni] = stamp;
        const a = alignNames(tokens, this.#nameTokens[ni] as readonly string[]);
        if (a.score < 0.5) continue;
        const pi = this.#namePerson[ni] as number;
        const prior = best.get(pi);
        if (prior && prior.name.score >= a.score) continue;
        best.set(pi, this.#candidate(q, pi, ni, a));
      }
    }
  }

  #candidate(q: ScreenQuery, pi: number, ni: number, a: Alignment): ScreenCandidate {
    const ip = this.#people[pi] as IndexedPerson;
    const p = ip.person;
    const notes: QualifierNote[] = [];
    const qd = dobDigits(q.dob);
    if (qd && ip.dob) notes.push(compareDob(qd, ip.dob));
    if (q.id && p.ids && p.ids.length > 0) {
      const all = p.ids.map((id) => compareId(q.id as string, id));
      notes.push(all.find((n) => n.outcome === 'match') ?? (all[0] as QualifierNote));
    }
    if (q.sex && p.sex) notes.push(compareSex(q.sex, p.sex));
    if (q.country && p.country) notes.push(compareCountry(q.country.toUpperCase(), p.country.toUpperCase()));
    let score = a.score;
    for (const n of notes) score += n.weight;
    score = Math.max(0, Math.min(1, score));
    const parts = a.parts
      .map((x) => (x.how === 'exact' ? x.query : `${x.query}~${x.candidate} (${x.how}, ${x.similarity})`))
      .join(', ');
    const explanation = [
      `name ${round(a.score)}: ${parts}${a.order === 'swapped' ? '; family name at the other end' : a.order === 'mixed' ? '; parts in another order' : ''}` +
        (a.unmatchedQuery.length > 0 ? `; not in the listed name: ${a.unmatchedQuery.join(' ')}` : '') +
        (a.unmatchedCandidate.length > 0 ? `; not in the query: ${a.unmatchedCandidate.join(' ')}` : ''),
      ...notes.map(
        (n) =>
          `${n.field.replaceAll('_', ' ')} ${n.outcome}: ${n.detail} (${n.weight >= 0 ? '+' : ''}${n.weight})`,
      ),
    ];
    return {
      subjectId: p.subjectId,
      score: round(score),
      listedName: this.#nameText[ni] as string,
      flags: p.flags,
      name: a,
      qualifiers: notes,
      explanation,
    };
  }
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** The birth date a full resident ID carries, or the birth year a masked one still shows. */
function dobFromId(id: string): string | undefined {
  const s = id.replace(/\s+/g, '');
  if (s.length !== 18) return undefined;
  const full = s.slice(6, 14);
  if (/^\d{8}$/.test(full)) return full;
  const year = s.slice(6, 10);
  return /^\d{4}$/.test(year) ? year : undefined;
}
