import { validateResidentId } from '../identity/validate/resident-id.js';
import { type Alignment, alignNames } from './align.js';
import { alignScore, NameUnits } from './align-score.js';
import { dropKeys, fullKey, typoKeys, yearKey } from './blocking-keys.js';
import { nameTokens } from './name-tokens.js';
import { keyHash, Postings } from './postings.js';
import {
  compareCountry,
  compareDob,
  compareId,
  compareSex,
  dobDigits,
  dobWeight,
  idText,
  type QualifierNote,
} from './qualifiers.js';
import { type QueryName, QueryNames } from './query-names.js';
import { LazyCandidate } from './screen-candidate.js';
import { hasOtherSpellings, latinSpellings } from './transliterate.js';
import type { ListedPerson, ScreenCandidate, ScreenOptions, ScreenQuery, ScreenResult } from './types.js';

const DEFAULT_THRESHOLD = 0.8;

/**
 * The longest name screened, in characters (as `POST /v1/screen` takes it) and in parts. A
 * person's name, however long (Picasso's baptismal name has 21 words), has far fewer parts; the
 * typo keys of a name grow with the cube of its parts, so a 500-character query of single
 * characters took tens of seconds. A listed name of more parts is filed under its exact keys only.
 */
export const MAX_NAME_LENGTH = 200;
export const MAX_NAME_PARTS = 24;

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

interface IndexedPerson {
  readonly person: ListedPerson;
  readonly dob: string | undefined;
}

/**
 * An in-memory screening index over flagged people. A name is filed under its parts in sorted
 * order (with and without the birth year) and under typo and missing-part keys; a query looks up
 * the same keys, so it compares only listed names that could align with it. Each candidate is
 * aligned part by part and qualified by date of birth, ID, sex and country. Pure: build it from a
 * list, ask it questions.
 *
 * The query path is built for throughput (issue #5: ≥ 10,000 queries per second on one core
 * against a million listed people): a query's folded name and hashed keys are cached; listed
 * names with the same parts (namesakes: hundreds share "Wang Wei") are one signature, aligned
 * once per query; alignment for ranking computes the score only, into reused buffers; hits live
 * in typed arrays indexed by person; and each reported candidate's alignment, notes and
 * explanation are built when first read.
 *
 * @example
 * const ix = new ScreenIndex([{ subjectId: 'P1', names: ['王伟'], dob: '1990-03-07', flags: ['dishonest-debtor'] }]);
 * ix.search({ name: 'Wei Wang', dob: '1990-03-07' }).candidates[0]?.subjectId // 'P1'
 */
export class ScreenIndex {
  readonly #people: IndexedPerson[] = [];
  /** Per indexed name: its person, its signature (distinct parts) and its text. */
  readonly #namePerson: number[] = [];
  readonly #nameSig: number[] = [];
  readonly #nameText: string[] = [];
  /** Per signature: its parts and their letters (to skip names too short or too long to match). */
  readonly #sigTokens: (readonly string[])[] = [];
  readonly #sigLetters: number[] = [];
  /** Per signature: its full key, to tell a namesake from a name whose key hash collides. */
  readonly #sigFull: string[] = [];
  readonly #sigIds = new Map<string, number>();
  /** Names added before the first search; those added after go to `#recent` (see `put`). */
  readonly #postings = new Postings();
  #recent: Postings | undefined;
  #tiers: readonly Postings[] = [this.#postings];
  #searched = false;
  #recentNames = 0;
  /** Per person: 1 once taken off the list (`put`); their names stay filed but never hit. */
  #removed = new Uint8Array(0);
  #removedCount = 0;
  /** Subject id → their live person, made on the first `put` (a million-entry map otherwise unused). */
  #bySubject: Map<string, number> | undefined;
  readonly #queryNames = new QueryNames();
  readonly #queryUnits = new NameUnits();
  readonly #listedUnits = new NameUnits();
  /** Per name: the look-up that last saw it (each name is scored once per look-up). */
  #nameStamp = new Uint32Array(0);
  /** Per signature: the look-up that last aligned it, and the score it got. */
  #sigStamp = new Uint32Array(0);
  #sigScore = new Float64Array(0);
  #lookup = 0;
  /** Per person: the search that last hit them, their best name score and that name. */
  #hitStamp = new Uint32Array(0);
  #hitScore = new Float64Array(0);
  #hitName = new Int32Array(0);
  #hitList = new Int32Array(0);
  #hitCount = 0;
  #search = 0;

  constructor(people: Iterable<ListedPerson>) {
    for (const p of people) this.add(p);
  }

  /** People listed now (those taken off by `put` not counted). */
  get size(): number {
    return this.#people.length - this.#removedCount;
  }

  /**
   * What `put` left behind since the index was built: people taken off (still filed) and names
   * filed in the secondary table. When it grows large against `size`, build afresh (`compacted`).
   */
  get churn(): number {
    return this.#removedCount + this.#recentNames;
  }

  /** Whether a subject is listed now. */
  has(subjectId: string): boolean {
    return this.#subjects().has(subjectId);
  }

  /**
   * Lists a subject as `p` now, or takes them off (`undefined`): their earlier entry stops hitting
   * and the new one is filed. After the first search new names go to a small secondary table,
   * sorted on its own, so a change costs about its own size, not the index's; a person taken off
   * stays filed until `compacted`.
   */
  put(subjectId: string, p: ListedPerson | undefined): void {
    const bySubject = this.#subjects();
    const was = bySubject.get(subjectId);
    if (was !== undefined) {
      if (this.#removed.length <= was) {
        const bigger = new Uint8Array(Math.max(this.#people.length * 2, 64));
        bigger.set(this.#removed);
        this.#removed = bigger;
      }
      this.#removed[was] = 1;
      this.#removedCount++;
      bySubject.delete(subjectId);
    }
    if (p) this.add(p);
  }

  /** The same people as a new index, in subject order (as the store pages them), nothing left behind. */
  compacted(): ScreenIndex {
    const live = this.#people.filter((_, pi) => this.#removed[pi] !== 1).map((ip) => ip.person);
    live.sort((a, b) => (a.subjectId < b.subjectId ? -1 : a.subjectId > b.subjectId ? 1 : 0));
    return new ScreenIndex(live);
  }

  #subjects(): Map<string, number> {
    if (!this.#bySubject) {
      const m = new Map<string, number>();
      this.#people.forEach((ip, pi) => {
        if (this.#removed[pi] !== 1) m.set(ip.person.subjectId, pi);
      });
      this.#bySubject = m;
    }
    return this.#bySubject;
  }

  /** Adds one flagged person (each distinct spelling of their name once). */
  add(p: ListedPerson): void {
    const pi = this.#people.length;
    this.#bySubject?.set(p.subjectId, pi);
    let postings = this.#postings;
    if (this.#searched) {
      if (!this.#recent) {
        this.#recent = new Postings();
        this.#tiers = [this.#postings, this.#recent];
      }
      postings = this.#recent;
    }
    const idDob = p.ids?.map(dobFromId).find((d) => d !== undefined);
    this.#people.push({ person: p, dob: dobDigits(p.dob) ?? idDob });
    const seen = new Set<string>();
    // A Cyrillic name, or one with an umlaut, is filed under each Latin spelling it may be asked for
    // by (`latinSpellings`).
    for (const [name, spelling] of p.names.flatMap((n) => latinSpellings(n).map((l) => [n, l] as const))) {
      const t = nameTokens(spelling);
      // A name with a legal form is an organisation's: only people are screened, so its other
      // words (`Emma LLC`, `建华有限公司`) must not make a person named Emma or Jianhua a hit.
      if (t.tokens.length === 0 || t.organisation) continue;
      const sig = t.tokens.join(' ');
      if (seen.has(sig)) continue;
      seen.add(sig);
      let si = this.#sigIds.get(sig);
      if (si === undefined) {
        si = this.#sigTokens.length;
        this.#sigIds.set(sig, si);
        this.#sigTokens.push(t.tokens);
        this.#sigLetters.push(t.tokens.reduce((n, x) => n + x.length, 0));
        this.#sigFull.push(fullKey(t.tokens));
      }
      const ni = this.#nameSig.length;
      this.#nameSig.push(si);
      this.#namePerson.push(pi);
      this.#nameText.push(name);
      if (postings !== this.#postings) this.#recentNames++;
      const full = this.#sigFull[si] as string;
      const year = this.#people[pi]?.dob?.slice(0, 4) ?? '?';
      const fuzzy =
        t.tokens.length > MAX_NAME_PARTS ? [] : [...typoKeys(t.tokens), ...dropKeys(t.tokens, t.chinese)];
      for (const k of [full, yearKey(full, year), ...fuzzy]) {
        postings.add(k, ni);
      }
    }
  }

  /** Candidates for a query, best first, each with its reasons. */
  search(given: ScreenQuery, opts: ScreenOptions = {}): ScreenResult {
    const q = withoutBlankId(given);
    // Spaces, emoji, punctuation or digits alone are no one's name.
    if (!/\p{L}/u.test(q.name)) return refusal('the name has no letters');
    const length = q.name.trim().length;
    if (length > MAX_NAME_LENGTH) return tooLong(`${length} characters`, MAX_NAME_LENGTH, 'characters');
    const spellings = hasOtherSpellings(q.name) ? latinSpellings(q.name) : undefined;
    if (!spellings || spellings.length === 1) return this.#searchOne(q, opts);
    // A Cyrillic name may be listed under either Latin spelling (`Юрий`: Yuriy, or Iurii as a
    // passport has it), a German one with its umlauts or without (`Müller`, Mueller): each is
    // asked, and a person is kept at their best score.
    const results = spellings.map((name) => this.#searchOne({ ...q, name }, opts));
    const first = results[0] as ScreenResult;
    if (first.refused) return first;
    const best = new Map<string, ScreenCandidate>();
    for (const r of results)
      for (const c of r.candidates) {
        const had = best.get(c.subjectId);
        if (!had || c.score > had.score) best.set(c.subjectId, c);
      }
    const candidates = [...best.values()].sort((a, b) => b.score - a.score).slice(0, opts.limit ?? 10);
    return { ...first, candidates };
  }

  #searchOne(q: ScreenQuery, opts: ScreenOptions): ScreenResult {
    const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
    const limit = opts.limit ?? 10;
    this.#searched = true;
    const name = this.#queryNames.get(q.name);
    if (name.organisation) {
      return {
        tokens: name.tokens,
        organisation: true,
        refused: "the name carries a legal form (an organisation's name); only people are listed",
        candidates: [],
      };
    }
    // One Latin letter (an initial) is no one's name; a listed name that short is a slip of the list.
    if (name.letters === 1 && !/\p{Script=Han}/u.test(q.name))
      return refusal('a name of one letter identifies no one');
    if (name.tokens.length > MAX_NAME_PARTS)
      return tooLong(`${name.tokens.length} parts`, MAX_NAME_PARTS, 'parts');
    if (name.tokens.length === 0) {
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
    this.#beginHits();
    const qd = dobDigits(q.dob) ?? birthFromId(q.id);
    if (this.#namesakeIn(name.fullHash, name.full)) {
      if (!qd && !q.id && !q.sex && !q.country) {
        // Name only: every namesake scores 1 and ranks by id; the first few are the answer.
        for (const postings of this.#tiers) {
          const exact = postings.row(name.fullHash);
          if (exact < 0) continue;
          const names = postings.names;
          for (let at = postings.start(exact), end = postings.start(exact + 1); at < end; at++) {
            if (this.#hitCount >= limit) break;
            const ni = names[at] as number;
            if (this.#sigFull[this.#nameSig[ni] as number] !== name.full) continue;
            this.#hit(this.#namePerson[ni] as number, ni, 1);
          }
        }
      } else if (qd && !q.id) {
        // A different birth year costs more than any other qualifier can give back, so only
        // namesakes born that year (or of unknown birth) can reach the threshold.
        const year = qd.slice(0, 4);
        this.#collectExact([keyHash(yearKey(name.full, year)), keyHash(yearKey(name.full, '?'))], name.full);
      } else {
        this.#collectExact([name.fullHash], name.full);
      }
    } else {
      // No listed name has exactly these parts: look for typos, joined or missing parts.
      // Qualifiers can add at most this much: a name further below cannot reach the threshold.
      const floor = threshold - (q.id ? 0.3 : 0.1);
      this.#collectFuzzy(name, floor);
    }
    // Rank on numbers, keeping only the best `limit` (score, then person order); notes and
    // explanations are built for the reported few only, and only when read.
    const topPerson: number[] = [];
    const topScore: number[] = [];
    for (let h = 0; h < this.#hitCount; h++) {
      const pi = this.#hitList[h] as number;
      const score = clamp((this.#hitScore[pi] as number) + this.#qualifyWeight(q, qd, pi));
      if (score < threshold) continue;
      let at = topPerson.length;
      while (
        at > 0 &&
        ((topScore[at - 1] as number) < score ||
          ((topScore[at - 1] as number) === score && (topPerson[at - 1] as number) > pi))
      )
        at--;
      if (at >= limit) continue;
      topPerson.splice(at, 0, pi);
      topScore.splice(at, 0, score);
      if (topPerson.length > limit) {
        topPerson.pop();
        topScore.pop();
      }
    }
    // Namesakes share a signature, so their alignment and its line of explanation are made once.
    const aligned = new Map<number, AlignedName>();
    const candidates = topPerson.map((pi, k) =>
      this.#candidate(q, qd, name.tokens, pi, this.#hitName[pi] as number, topScore[k] as number, aligned),
    );
    return { tokens: name.tokens, organisation: false, candidates };
  }

  /** Starts a search's hit list (sized to the people listed now). */
  #beginHits(): void {
    const n = this.#people.length;
    if (this.#hitStamp.length < n) {
      this.#hitStamp = new Uint32Array(n * 2);
      this.#hitScore = new Float64Array(n * 2);
      this.#hitName = new Int32Array(n * 2);
      this.#hitList = new Int32Array(n * 2);
    }
    if (++this.#search === 0xffffffff) {
      this.#hitStamp.fill(0);
      this.#search = 1;
    }
    this.#hitCount = 0;
  }

  /** A person's name scored: kept if it is their first or their best (the first of equals). */
  #hit(pi: number, ni: number, score: number): void {
    if (this.#removed[pi] === 1) return;
    if (this.#hitStamp[pi] !== this.#search) {
      this.#hitStamp[pi] = this.#search;
      this.#hitList[this.#hitCount++] = pi;
    } else if ((this.#hitScore[pi] as number) >= score) return;
    this.#hitScore[pi] = score;
    this.#hitName[pi] = ni;
  }

  /** Starts a look-up: names and signatures seen before this are seen afresh. */
  #beginLookup(): number {
    const names = this.#nameSig.length;
    const sigs = this.#sigTokens.length;
    if (this.#nameStamp.length < names) this.#nameStamp = new Uint32Array(names * 2);
    if (this.#sigStamp.length < sigs) {
      this.#sigStamp = new Uint32Array(sigs * 2);
      this.#sigScore = new Float64Array(sigs * 2);
    }
    if (++this.#lookup === 0xffffffff) {
      this.#nameStamp.fill(0);
      this.#sigStamp.fill(0);
      this.#lookup = 1;
    }
    return this.#lookup;
  }

  /**
   * Whether a row of the postings holds a name with exactly these parts. Keys are hashed to 32
   * bits and the index holds tens of millions of them, so about one query name in a few hundred
   * that nobody is listed under shares its hash with some other key; that must not pass for a
   * namesake (scored 1 unseen) nor stop the search for typos.
   */
  #namesakeIn(hash: number, full: string): boolean {
    for (const postings of this.#tiers) {
      const row = postings.row(hash);
      if (row < 0) continue;
      const names = postings.names;
      for (let at = postings.start(row), end = postings.start(row + 1); at < end; at++) {
        const ni = names[at] as number;
        if (
          this.#sigFull[this.#nameSig[ni] as number] === full &&
          this.#removed[this.#namePerson[ni] as number] !== 1
        )
          return true;
      }
    }
    return false;
  }

  /** Every name filed under these keys with exactly the query's parts (`full`) scores 1. */
  #collectExact(keys: readonly number[], full: string): void {
    const stamp = this.#beginLookup();
    for (const postings of this.#tiers) {
      for (const k of keys) {
        const row = postings.row(k);
        if (row < 0) continue;
        const names = postings.names;
        for (let at = postings.start(row), end = postings.start(row + 1); at < end; at++) {
          const ni = names[at] as number;
          if (this.#nameStamp[ni] === stamp) continue;
          this.#nameStamp[ni] = stamp;
          if (this.#sigFull[this.#nameSig[ni] as number] !== full) continue;
          this.#hit(this.#namePerson[ni] as number, ni, 1);
        }
      }
    }
  }

  /** Names the fuzzy keys bring up, aligned (once per signature) and kept from `floor` up. */
  #collectFuzzy(name: QueryName, floor: number): void {
    const stamp = this.#beginLookup();
    const letters = name.letters;
    const query = this.#queryUnits.fill(name.tokens);
    const keys = this.#queryNames.fuzzy(name);
    for (const postings of this.#tiers) this.#collectFuzzyIn(postings, keys, query, stamp, letters, floor);
  }

  #collectFuzzyIn(
    postings: Postings,
    keys: Uint32Array,
    query: NameUnits,
    stamp: number,
    letters: number,
    floor: number,
  ): void {
    for (const k of keys) {
      const row = postings.row(k);
      if (row < 0) continue;
      const names = postings.names;
      for (let at = postings.start(row), end = postings.start(row + 1); at < end; at++) {
        const ni = names[at] as number;
        if (this.#nameStamp[ni] === stamp) continue;
        this.#nameStamp[ni] = stamp;
        const si = this.#nameSig[ni] as number;
        let score: number;
        if (this.#sigStamp[si] === stamp) score = this.#sigScore[si] as number;
        else {
          const other = this.#sigLetters[si] as number;
          score =
            Math.min(other, letters) / Math.max(other, letters) < floor
              ? -1
              : alignScore(query, this.#listedUnits.fill(this.#sigTokens[si] as readonly string[]));
          this.#sigStamp[si] = stamp;
          this.#sigScore[si] = score;
        }
        if (score < floor) continue;
        this.#hit(this.#namePerson[ni] as number, ni, score);
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
    if (qd && ip.dob) {
      const note = compareDob(qd, ip.dob);
      // With no date of birth given, the one compared is the ID number's: say so.
      notes.push(dobDigits(q.dob) ? note : { ...note, detail: `${note.detail} (by the ID number given)` });
    } else if (qd) {
      // A name-only match stays a name-only match: the relying party sees its check was not made.
      notes.push(NOT_LISTED.date_of_birth);
    }
    if (q.id && p.ids && p.ids.length > 0) {
      const all = p.ids.map((id) => compareId(q.id as string, id));
      notes.push(all.find((n) => n.outcome === 'match') ?? (all[0] as QualifierNote));
    } else if (q.id) notes.push(NOT_LISTED.id);
    if (q.sex && p.sex) notes.push(compareSex(q.sex, p.sex));
    if (q.country && p.country) notes.push(compareCountry(q.country.toUpperCase(), p.country.toUpperCase()));
    return notes;
  }

  #candidate(
    q: ScreenQuery,
    qd: string | undefined,
    tokens: readonly string[],
    pi: number,
    ni: number,
    score: number,
    aligned: Map<number, AlignedName>,
  ): ScreenCandidate {
    const p = (this.#people[pi] as IndexedPerson).person;
    const si = this.#nameSig[ni] as number;
    return new LazyCandidate(p.subjectId, round(score), this.#nameText[ni] as string, p.flags, () => {
      let n = aligned.get(si);
      if (!n) {
        const a = alignNames(tokens, this.#sigTokens[si] as readonly string[]);
        n = { a, line: nameLine(a) };
        aligned.set(si, n);
      }
      const notes = this.#qualify(q, qd, pi);
      return { name: n.a, qualifiers: notes, explanation: [n.line, ...notes.map(noteLine)] };
    });
  }
}

interface AlignedName {
  readonly a: Alignment;
  readonly line: string;
}

/** The first line of an explanation: how the name aligned. */
function nameLine(a: Alignment): string {
  const parts = a.parts
    .map((x) => (x.how === 'exact' ? x.query : `${x.query}~${x.candidate} (${x.how}, ${x.similarity})`))
    .join(', ');
  return (
    `name ${round(a.score)}: ${parts}${a.order === 'swapped' ? '; family name at the other end' : a.order === 'mixed' ? '; parts in another order' : ''}` +
    (a.unmatchedQuery.length > 0 ? `; not in the listed name: ${a.unmatchedQuery.join(' ')}` : '') +
    (a.unmatchedCandidate.length > 0 ? `; not in the query: ${a.unmatchedCandidate.join(' ')}` : '')
  );
}

/** A line of explanation per qualifier. */
function noteLine(n: QualifierNote): string {
  return `${n.field.replaceAll('_', ' ')} ${n.outcome}: ${n.detail} (${n.weight >= 0 ? '+' : ''}${n.weight})`;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
const clamp = (x: number): number => Math.max(0, Math.min(1, x));

/** A qualifier given in the query that the listing holds nothing to compare with. */
const NOT_LISTED = {
  date_of_birth: {
    field: 'date_of_birth',
    outcome: 'unknown',
    detail: 'no date of birth listed, not compared',
    weight: 0,
  },
  id: { field: 'id', outcome: 'unknown', detail: 'no ID number listed, not compared', weight: 0 },
} as const satisfies Record<string, QualifierNote>;

/** The answer to a query whose name can be no one's. */
function refusal(why: string): ScreenResult {
  return { tokens: [], organisation: false, refused: why, candidates: [] };
}

/** The answer to a query whose name is longer than any person's. */
function tooLong(what: string, most: number, unit: string): ScreenResult {
  return refusal(`the name is too long to be a person's: ${what}, at most ${most} ${unit} are screened`);
}

/**
 * A query's ID number, unless it is blank: spaces are no ID number, and compared with a listed
 * one they "differ", which would rule out every listed person who has an ID on file.
 */
function withoutBlankId(q: ScreenQuery): ScreenQuery {
  if (q.id === undefined || q.id.normalize('NFKC').trim() !== '') return q;
  const { id: _blank, ...rest } = q;
  return rest;
}

/**
 * The birth date (digits) of a full resident ID given in a query, when it passes its own check:
 * without a date of birth, it is the one the ID holder was born on, so a namesake listed with
 * another is not them. An ID failing its check is a keying slip and is not trusted (DESIGN.md);
 * a masked one cannot be checked.
 */
function birthFromId(id: string | undefined): string | undefined {
  if (!id) return undefined;
  const check = validateResidentId(idText(id));
  return check.valid && check.birthDate ? dobDigits(check.birthDate) : undefined;
}

/** The birth date a full resident ID carries, or the birth year a masked one still shows. */
function dobFromId(id: string): string | undefined {
  const s = id.replace(/\s+/g, '');
  if (s.length !== 18) return undefined;
  const full = s.slice(6, 14);
  if (/^\d{8}$/.test(full)) return full;
  const year = s.slice(6, 10);
  return /^\d{4}$/.test(year) ? year : undefined;
}
