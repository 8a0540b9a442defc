import { type Alignment, alignNames } from './align.js';
import { nameTokens } from './name-tokens.js';
import { Postings } from './postings.js';
import {
  compareCountry,
  compareDob,
  compareId,
  compareSex,
  dobDigits,
  dobWeight,
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

/** The name's parts in sorted order: the same key whatever order they were written in. */
function fullKey(tokens: readonly string[]): string {
  return `f:${[...tokens].sort().join(' ')}`;
}

/** The full key narrowed to one birth year (`?` for people whose date of birth is unknown). */
function yearKey(full: string, year: string): string {
  return `y${full.slice(1)}|${year}`;
}

/** The parts as written, and with each two neighbours joined (`jian hua` → `jianhua`). */
function variants(tokens: readonly string[]): (readonly string[])[] {
  const out: (readonly string[])[] = [tokens];
  for (let i = 0; i + 1 < tokens.length; i++) {
    out.push([...tokens.slice(0, i), `${tokens[i]}${tokens[i + 1]}`, ...tokens.slice(i + 2)]);
  }
  return out;
}

/** A part and every spelling of it with one letter deleted (parts of three letters or more). */
function deletions(t: string): string[] {
  const out = [t];
  if (t.length < 3) return out;
  for (let i = 0; i < t.length; i++) out.push(t.slice(0, i) + t.slice(i + 1));
  return out;
}

/**
 * Typo keys: every part exact but one, which may be one slip away (a letter added, dropped,
 * changed or two swapped: such spellings share a one-letter deletion); for each way of writing
 * the name (parts joined or not). Two names one slip apart always share a key.
 */
function typoKeys(tokens: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const v of variants(tokens)) {
    for (let i = 0; i < v.length; i++) {
      const rest = [...v.slice(0, i), ...v.slice(i + 1)].sort().join(' ');
      for (const d of deletions(v[i] as string)) keys.add(`t:${rest}~${d}`);
    }
  }
  return [...keys];
}

/**
 * Keys of the name with one part left out (names of three parts or more: a middle name). Not for
 * Chinese names: their parts are the syllables of one family and one given name, none optional.
 */
function dropKeys(tokens: readonly string[], chinese: boolean): string[] {
  if (tokens.length < 3 || chinese) return [];
  const keys = new Set<string>();
  for (let i = 0; i < tokens.length; i++)
    keys.add(`d:${[...tokens.slice(0, i), ...tokens.slice(i + 1)].sort().join(' ')}`);
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
  /** Letters per indexed name, to skip names too short or too long to reach the threshold. */
  readonly #letters: number[] = [];
  readonly #postings = new Postings();
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
      this.#letters.push(t.tokens.reduce((n, x) => n + x.length, 0));
      const full = fullKey(t.tokens);
      const year = this.#people[pi]?.dob?.slice(0, 4) ?? '?';
      for (const k of [full, yearKey(full, year), ...typoKeys(t.tokens), ...dropKeys(t.tokens, t.chinese)]) {
        this.#postings.add(k, ni);
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
    // Stage 1: the same name parts in any order. Only when no listed name has them all does
    // stage 2 look for typos, joined or missing parts: a query whose exact name is listed is
    // about one of those namesakes (or about nobody), not about a misspelt stranger.
    const hits = new Map<number, Hit>();
    const qd = dobDigits(q.dob);
    const full = fullKey(t.tokens);
    const exact = this.#postings.get(full);
    if (exact.length > 0) {
      if (!qd && !q.id && !q.sex && !q.country) {
        // Name only: every namesake scores 1 and ranks by id; the first few are the answer.
        for (const ni of exact) {
          if (hits.size >= limit) break;
          const pi = this.#namePerson[ni] as number;
          if (!hits.has(pi)) hits.set(pi, { ni, score: 1 });
        }
      } else if (qd && !q.id) {
        // A different birth year costs more than any other qualifier can give back, so only
        // namesakes born that year (or of unknown birth) can reach the threshold.
        this.#collect(t.tokens, 'f', hits, 0, 0, [yearKey(full, qd.slice(0, 4)), yearKey(full, '?')]);
      } else {
        this.#collect(t.tokens, 'f', hits, 0);
      }
    } else {
      // No listed name has exactly these parts: look for typos, joined or missing parts.
      const letters = t.tokens.reduce((n, x) => n + x.length, 0);
      // Qualifiers can add at most this much: a name further below cannot reach the threshold.
      const floor = threshold - (q.id ? 0.3 : 0.1);
      this.#collect(t.tokens, 't', hits, floor, letters, undefined, t.chinese);
    }
    // Rank on numbers first; notes and explanations are built for the reported few only.
    const ranked: { pi: number; hit: Hit; score: number }[] = [];
    for (const [pi, hit] of hits) {
      const score = clamp(hit.score + this.#qualifyWeight(q, qd, pi));
      if (score >= threshold) ranked.push({ pi, hit, score });
    }
    ranked.sort((a, b) => b.score - a.score || a.pi - b.pi);
    const candidates = ranked.slice(0, limit).map((x) => {
      const notes = this.#qualify(q, qd, x.pi);
      const a = alignNames(t.tokens, this.#nameTokens[x.hit.ni] as readonly string[]);
      return this.#candidate(x.pi, x.hit.ni, a, x.score, notes);
    });
    return { tokens: t.tokens, organisation: false, candidates };
  }

  /** Name scores of the people the blocking keys of one kind bring up (best name per person). */
  #collect(
    tokens: readonly string[],
    kind: 'f' | 't',
    hits: Map<number, Hit>,
    floor: number,
    letters = 0,
    only?: readonly string[],
    chinese = false,
  ): void {
    if (this.#stamp.length < this.#nameTokens.length)
      this.#stamp = new Uint32Array(this.#nameTokens.length * 2);
    const stamp = ++this.#query;
    const keys = only
      ? only
      : kind === 'f'
        ? [fullKey(tokens)]
        : [
            ...typoKeys(tokens),
            // A middle name on one side only: the query without one part, or the listed name without one.
            ...dropKeys(tokens, chinese).map((k) => `f:${k.slice(2)}`),
            ...(chinese ? [] : [`d:${fullKey(tokens).slice(2)}`]),
          ];
    for (const k of keys) {
      const list = this.#postings.get(k);
      for (const ni of list) {
        if (this.#stamp[ni] === stamp) continue;
        this.#stamp[ni] = stamp;
        let score = 1;
        if (kind !== 'f') {
          const other = this.#letters[ni] as number;
          if (Math.min(other, letters) / Math.max(other, letters) < floor) continue;
          score = alignNames(tokens, this.#nameTokens[ni] as readonly string[]).score;
          if (score < floor) continue;
        }
        const pi = this.#namePerson[ni] as number;
        const prior = hits.get(pi);
        if (!prior || prior.score < score) hits.set(pi, { ni, score });
      }
    }
  }

  /** The sum of the qualifiers' weights, as `#qualify` would give it, without building notes. */
  #qualifyWeight(q: ScreenQuery, qd: string | undefined, pi: number): number {
    const ip = this.#people[pi] as IndexedPerson;
    let w = 0;
    if (qd && ip.dob) w += dobWeight(qd, ip.dob);
    const p = ip.person;
    if (q.id || (q.sex && p.sex) || (q.country && p.country)) {
      for (const n of this.#qualify(q, undefined, pi)) w += n.weight;
    }
    return w;
  }

  #qualify(q: ScreenQuery, qd: string | undefined, pi: number): QualifierNote[] {
    const ip = this.#people[pi] as IndexedPerson;
    const p = ip.person;
    const notes: QualifierNote[] = [];
    if (qd && ip.dob) notes.push(compareDob(qd, ip.dob));
    if (q.id && p.ids && p.ids.length > 0) {
      const all = p.ids.map((id) => compareId(q.id as string, id));
      notes.push(all.find((n) => n.outcome === 'match') ?? (all[0] as QualifierNote));
    }
    if (q.sex && p.sex) notes.push(compareSex(q.sex, p.sex));
    if (q.country && p.country) notes.push(compareCountry(q.country.toUpperCase(), p.country.toUpperCase()));
    return notes;
  }

  #candidate(pi: number, ni: number, a: Alignment, score: number, notes: QualifierNote[]): ScreenCandidate {
    const p = (this.#people[pi] as IndexedPerson).person;
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

interface Hit {
  readonly ni: number;
  readonly score: number;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
const clamp = (x: number): number => Math.max(0, Math.min(1, x));

/** The birth date a full resident ID carries, or the birth year a masked one still shows. */
function dobFromId(id: string): string | undefined {
  const s = id.replace(/\s+/g, '');
  if (s.length !== 18) return undefined;
  const full = s.slice(6, 14);
  if (/^\d{8}$/.test(full)) return full;
  const year = s.slice(6, 10);
  return /^\d{4}$/.test(year) ? year : undefined;
}
