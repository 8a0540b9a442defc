import type { ErrorDetail } from '../errors/index.js';
import { ALLOWED_CATEGORIES, isAllowedCategory, SPECIAL_CATEGORIES } from './categories.js';
import {
  SPECIAL_CATEGORY_WORDS,
  type SpecialHit,
  specialCategoryOf,
  specialEndingOf,
  specialFragmentOf,
  specialPatternHit,
  specialPieceOf,
  specialSpelledOf,
} from './names.js';
import { type ValueFinding, valueFindings } from './policy-values.js';
import type {
  CompiledFlag,
  CompiledInactivity,
  CompiledPolicy,
  CompiledRule,
  EventTypeDef,
  FieldType,
} from './types.js';

// The hard line, in code: a rulebook never scores special-category data. This module looks at
// what a rulebook declares and what it names, before anything else is checked, so a refusal
// always says which name and why.

type Raw = Record<string, unknown>;
const isObj = (x: unknown): x is Raw => typeof x === 'object' && x !== null && !Array.isArray(x);
const arr = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);

function prohibited(path: string, reason: string): ErrorDetail {
  return { code: 'CREDENCE_E_RULEBOOK_PROHIBITED', path, reason };
}

function nameCheck(out: ErrorDetail[], path: string, kind: string, name: unknown): void {
  if (typeof name !== 'string') return;
  const hit = specialCategoryOf(name);
  if (hit) {
    out.push(
      prohibited(
        path,
        `${kind} "${name}" is named for ${hit.what} ("${hit.word}"), special-category data (${hit.category}) that Credence never scores`,
      ),
    );
  }
}

/** A category (of an event, or a privilege's or restriction's context) naming a special category. */
function categoryCheck(out: ErrorDetail[], path: string, kind: string, cat: unknown): void {
  if (typeof cat !== 'string' || isAllowedCategory(cat)) return;
  const special =
    SPECIAL_CATEGORY_WORDS.get(cat.toLowerCase()) ??
    (SPECIAL_CATEGORIES as readonly string[]).find((c) => c === cat.toLowerCase()) ??
    specialCategoryOf(cat)?.category;
  if (special) {
    out.push(
      prohibited(
        path,
        `${kind} "${cat}" is special-category data (${special}), which Credence never scores; allowed categories: ${ALLOWED_CATEGORIES.join(', ')}`,
      ),
    );
  }
}

// A CEL string literal: an optional raw or bytes prefix, then triple or single quotes of either kind.
const CEL_STRING =
  /(?<![A-Za-z0-9_])([rRbB]{0,2})('''[\s\S]*?'''|"""[\s\S]*?"""|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")/g;
const CEL_SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};
const CEL_ESCAPE = /\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-3][0-7]{2})|([\s\S]))/g;

/** The strings an expression's literals stand for, as CEL reads them (escapes decoded). */
function celStrings(expr: string): string[] {
  const out: string[] = [];
  for (const m of expr.matchAll(CEL_STRING)) {
    const prefix = (m[1] ?? '').toLowerCase();
    const quoted = m[2] ?? '';
    const q = quoted.startsWith("'''") || quoted.startsWith('"""') ? 3 : 1;
    const body = quoted.slice(q, quoted.length - q);
    out.push(
      prefix.includes('r')
        ? body
        : body.replace(CEL_ESCAPE, (_all, x, u, U, oct, c: string | undefined) => {
            const hex = x ?? u ?? U;
            if (hex !== undefined) {
              const cp = Number.parseInt(hex, 16);
              return cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
            }
            if (oct !== undefined) return String.fromCharCode(Number.parseInt(oct, 8));
            return CEL_SIMPLE_ESCAPES[c ?? ''] ?? c ?? '';
          }),
    );
  }
  return out;
}

// A literal split in pieces is still the word it spells: 'Chur' + 'ch', or a prefix and a suffix
// test (startsWith('Mos') && endsWith('que')). Runs of up to this many literals are read joined.
const JOINED_PIECES = 4;

/**
 * The letters a regular expression asks for, its syntax dropped: a one-letter class is its letter,
 * groups, optional marks, repeats and wildcards go, and what cannot be read as a letter (a wider
 * class, an escape such as \d, an alternative) parts words.
 */
function patternSpelling(pattern: string): string {
  return pattern
    .replace(/\\[pP]\{[^}]*\}|\\[A-Za-z]|\\./g, (e) => (/^\\[^A-Za-z]$/.test(e) ? e.slice(1) : ' '))
    .replace(/\[([^\]\\^])\]/g, '$1')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\(\?[A-Za-z]*[:)]?/g, '')
    .replace(/\{\d*,?\d*\}/g, '')
    .replace(/\|/g, ' ')
    .replace(/[()^$.*+?]/g, '');
}

function literalHit(path: string, rule: unknown, what: string, hit: SpecialHit): ErrorDetail {
  return prohibited(
    path,
    `rule "${String(rule)}" ${what}, named for ${hit.what} ("${hit.word}"), special-category data (${hit.category}) that Credence never scores`,
  );
}

const VALUE_DRIVEN: Record<Exclude<ValueFinding['kind'], 'built'>, (by: string) => string> = {
  search: (by) => `searches text for ${by}, a value, not for a quoted string the policy can read`,
  lookup: (by) => `looks a value up in ${by}, which the rule does not write out`,
  compare: (by) => `compares text with ${by}, a value, not with a quoted string the policy can read`,
  select: (by) => `selects by ${by}, a value, not by a name the policy can read`,
};

/** Why a rule whose matching a value drives is refused: the furnisher, not the rulebook, says what it picks out. */
function valueDriven(rule: unknown, expr: string, f: Exclude<ValueFinding, { kind: 'built' }>): string {
  const at = f.text === expr ? '' : ` at ${f.text}`;
  return `rule "${String(rule)}" ${VALUE_DRIVEN[f.kind](f.by)} ("${expr}"${at}): the furnisher would say what it picks facts out by, a special-category word as readily as any, where no check can read it; write it in the rule (a quoted string, or a list of them)`;
}

/**
 * A rule's expression names what it scores through its string literals too: a neutral field
 * (`recipient`, `merchant`) compared with "Tianjin Church" picks out religious facts. Literals are
 * read as CEL reads them (`'Ch\x75rch'` is "Church") and joined when split in pieces; the fact
 * fields it reads are names too (`has(fact.religion)`). What it searches for, looks up or selects
 * by must be written in it, where these checks read it (`policy-values.ts`).
 */
function literalCheck(
  out: ErrorDetail[],
  path: string,
  rule: unknown,
  expr: unknown,
  fields?: Readonly<Record<string, FieldType>>,
): void {
  if (typeof expr !== 'string') return;
  const texts = celStrings(expr);
  let named = false;
  for (const text of texts) {
    // A literal is the text a fact is compared with however it is cut: 'pro_test' is "protest".
    const hit = specialCategoryOf(text) ?? specialSpelledOf(text);
    if (!hit) continue;
    named = true;
    out.push(literalHit(path, rule, `picks out facts by "${text}"`, hit));
  }
  for (let i = 0; i < texts.length && !named; i++) {
    for (let j = i + 2; j <= Math.min(texts.length, i + JOINED_PIECES) && !named; j++) {
      const pieces = texts.slice(i, j);
      const hit = specialCategoryOf(pieces.join('')) ?? specialSpelledOf(pieces.join(''));
      if (!hit) continue;
      named = true;
      const written = pieces.map((t) => `"${t}"`).join(', ');
      out.push(
        literalHit(
          path,
          rule,
          `picks out facts by "${pieces.join('')}" (written in pieces: ${written})`,
          hit,
        ),
      );
    }
  }
  // A piece of a word that a string function or a pattern matches a value with: contains('hurch'),
  // matches('[Mm]osque'). Letter runs of five or more, outside a pattern's character classes.
  if (!named) {
    for (const m of expr.matchAll(CEL_STRING)) {
      const before = expr.slice(0, m.index);
      const fn = /(contains|startsWith|endsWith|matches)\s*\([^'"()]*$/.exec(before)?.[1];
      if (!fn) continue;
      const text = celStrings(m[0])[0] ?? '';
      // A pattern read past its syntax: 'pr[o]test', 'chur?ch' and 'p.r.o.t.e.s.t' spell their word.
      const read = fn === 'matches' ? patternSpelling(text) : undefined;
      const whole = read ? specialCategoryOf(read) : undefined;
      if (whole) {
        named = true;
        out.push(
          literalHit(
            path,
            rule,
            `picks out facts by "${read}" (the pattern "${text}" read past its syntax)`,
            whole,
          ),
        );
        break;
      }
      const runs = [
        ...(text.replace(/\[[^\]]*\]/g, ' ').match(/[A-Za-z]{5,}/g) ?? []),
        ...(read?.match(/[A-Za-z]{5,}/g) ?? []),
      ];
      // Four letters alone, no more: startsWith('mosq'), contains('reli') (names.ts, SPECIAL_FRAGMENTS).
      const fours = [
        ...(text.replace(/\[[^\]]*\]/g, ' ').match(/(?<![A-Za-z])[A-Za-z]{4}(?![A-Za-z])/g) ?? []),
        ...(read?.match(/(?<![A-Za-z])[A-Za-z]{4}(?![A-Za-z])/g) ?? []),
      ];
      // And the last four letters of one, as what a text ends with: endsWith('sque') (not
      // contains('sque'), which squeeze holds too).
      const hit =
        runs.map((r) => specialPieceOf(r)).find((h) => h !== undefined) ??
        fours.map((r) => specialFragmentOf(r)).find((h) => h !== undefined) ??
        (fn === 'endsWith' ? fours.map((r) => specialEndingOf(r)).find((h) => h !== undefined) : undefined);
      // What the pattern matches, however it is spelled: 'mos\x71ue', 'm[o0]sque', 'pr.test'.
      const matched = hit || fn !== 'matches' ? undefined : specialPatternHit(text);
      if (matched) {
        named = true;
        out.push(
          literalHit(
            path,
            rule,
            matched.word.toLowerCase() === matched.whole
              ? `picks out facts by the pattern "${text}", which matches "${matched.word}"`
              : `picks out facts by the pattern "${text}", which matches "${matched.word}", part of "${matched.whole}"`,
            matched,
          ),
        );
        break;
      }
      if (!hit) continue;
      named = true;
      out.push(literalHit(path, rule, `picks out facts by "${hit.word}", part of "${hit.whole}"`, hit));
      break;
    }
  }
  for (const f of valueFindings(expr, fields)) {
    if (f.kind !== 'built') {
      out.push(prohibited(path, valueDriven(rule, expr, f)));
      continue;
    }
    // Pieces the literal reading above already joined are not reported twice. A word's last four
    // letters built as what a text ends with: endsWith('s' + 'que').
    const endsWithIt = /endsWith\s*\(\s*$/.test(expr.slice(0, Math.max(0, expr.indexOf(f.text))));
    const hit = named
      ? undefined
      : (specialCategoryOf(f.value) ??
        specialSpelledOf(f.value) ??
        specialFragmentOf(f.value) ??
        (endsWithIt ? specialEndingOf(f.value) : undefined));
    if (!hit) continue;
    named = true;
    const part = 'whole' in hit && hit.whole !== f.value.toLowerCase() ? `, part of "${hit.whole}"` : '';
    out.push(
      literalHit(path, rule, `picks out facts by "${f.value}" (built from pieces: ${f.text})${part}`, hit),
    );
  }
  const code = expr.replace(CEL_STRING, "''");
  for (const m of code.matchAll(/(?<![A-Za-z0-9_.])fact\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const field = m[1] ?? '';
    const hit = specialCategoryOf(field);
    if (hit) out.push(literalHit(path, rule, `reads fact.${field}`, hit));
  }
}

const FIELD_TYPES: readonly unknown[] = ['number', 'string', 'boolean'];

/** The fields a rule's event type declares, when they are well formed (the schema says why otherwise). */
function declaredFields(events: unknown, on: unknown): Readonly<Record<string, FieldType>> | undefined {
  if (!isObj(events) || typeof on !== 'string' || !Object.hasOwn(events, on)) return undefined;
  const def = events[on];
  if (!isObj(def) || !isObj(def.fields)) return undefined;
  const fields = def.fields;
  return Object.values(fields).every((t) => FIELD_TYPES.includes(t))
    ? (fields as Record<string, FieldType>)
    : undefined;
}

/**
 * Finds every special-category declaration or name in a rulebook source, whatever its shape.
 *
 * @example
 * specialCategoryProblems({ events: { 'protest.attended': { category: 'legal' } } })
 * // [{ code: 'CREDENCE_E_RULEBOOK_PROHIBITED', path: "events['protest.attended']", reason: '…' }]
 */
export function specialCategoryProblems(raw: unknown): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  if (!isObj(raw)) return out;
  // The program's own id, name and description are shown to everyone it scores: a "protest-watch"
  // program says what it is for, whatever its event types are called.
  nameCheck(out, 'program', 'program', raw.program);
  nameCheck(out, 'name', 'program name', raw.name);
  nameCheck(out, 'description', 'program description', raw.description);
  if (isObj(raw.events)) {
    for (const [type, def] of Object.entries(raw.events)) {
      const p = `events['${type}']`;
      nameCheck(out, p, 'event type', type);
      if (!isObj(def)) continue;
      categoryCheck(out, `${p}.category`, 'category', def.category);
      // Fields are flat (the schema says so), but a nested one's names are names all the same:
      // `meta: { religion: string }` is refused by the hard line, not only as a wrong type.
      const fieldNames = (at: string, v: unknown): void => {
        if (Array.isArray(v)) for (const [j, x] of v.entries()) fieldNames(`${at}[${j}]`, x);
        else if (isObj(v))
          for (const [field, inner] of Object.entries(v)) {
            nameCheck(out, `${at}.${field}`, 'field', field);
            fieldNames(`${at}.${field}`, inner);
          }
      };
      fieldNames(`${p}.fields`, def.fields);
      // The description says what the event is; "donations at the mosque" under commerce is
      // religion whatever the type is called.
      nameCheck(out, `${p}.description`, 'event description', def.description);
    }
  }
  // A tier is what a relying party is told the person is; a "union-member" tier says what put
  // them there.
  arr(raw.tiers).forEach((t, i) => {
    if (isObj(t)) nameCheck(out, `tiers[${i}].id`, 'tier', t.id);
  });
  arr(raw.dimensions).forEach((d, i) => {
    nameCheck(out, `dimensions[${i}]`, 'dimension', d);
  });
  // Privileges and restrictions are asked for by id (`POST /v1/decisions`) and shown to the person
  // with their description: a "churchgoer-discount" rewards religion whatever its `when` reads.
  for (const section of ['privileges', 'restrictions'] as const) {
    arr(raw[section]).forEach((item, i) => {
      if (!isObj(item)) return;
      const kind = section === 'privileges' ? 'privilege' : 'restriction';
      nameCheck(out, `${section}[${i}].id`, kind, item.id);
      nameCheck(out, `${section}[${i}].description`, `${kind} description`, item.description);
      // The context of life it belongs to: "health" or "religion" says what it is about.
      categoryCheck(out, `${section}[${i}].context`, `${kind} context`, item.context);
      // The law a restriction cites is shown with it: a restriction under "religious affairs
      // regulations" or an "assembly and demonstration law" punishes what that law is about.
      nameCheck(out, `${section}[${i}].legalBasis`, `${kind} legal basis`, item.legalBasis);
      // The purposes it may be asked under say what a decision is for: a privilege asked "for
      // religion" or a "trade-union-check" decides about what the purpose names.
      arr(item.purposes).forEach((p, j) => {
        nameCheck(out, `${section}[${i}].purposes[${j}]`, `${kind} purpose`, p);
      });
    });
  }
  for (const section of ['rules', 'inactivity', 'flags'] as const) {
    arr(raw[section]).forEach((item, i) => {
      if (!isObj(item)) return;
      const kind = section === 'flags' ? 'flag' : section === 'rules' ? 'rule' : 'inactivity rule';
      nameCheck(out, `${section}[${i}].id`, kind, item.id);
      if (isObj(item.reason)) {
        nameCheck(out, `${section}[${i}].reason.text`, `${kind} reason`, item.reason.text);
        // The code goes to relying parties with every key factor and adverse-action notice.
        nameCheck(out, `${section}[${i}].reason.code`, `${kind} reason code`, item.reason.code);
      }
      nameCheck(out, `${section}[${i}].dimension`, 'dimension', item.dimension);
      nameCheck(out, `${section}[${i}].description`, `${kind} description`, item.description);
      if (section === 'rules') {
        const fields = declaredFields(raw.events, item.on);
        for (const key of ['when', 'points'] as const)
          literalCheck(out, `rules[${i}].${key}`, item.id, item[key], fields);
      }
    });
  }
  return out;
}

export interface ContextModel {
  readonly events: Readonly<Record<string, EventTypeDef>>;
  readonly rules: readonly CompiledRule[];
  readonly inactivity: readonly CompiledInactivity[];
  readonly flags: readonly CompiledFlag[];
}

function categoriesOf(model: ContextModel, types: Iterable<string>): Set<string> {
  const cats = new Set<string>();
  for (const t of types) {
    const def = model.events[t];
    if (def) cats.add(def.category);
  }
  return cats;
}

function dimensionTypes(model: ContextModel, dim: string): string[] {
  return [
    ...model.rules.filter((r) => r.dimension === dim).map((r) => r.on),
    ...model.inactivity.filter((r) => r.dimension === dim).flatMap((r) => r.of),
  ];
}

function flagTypes(model: ContextModel, id: string): string[] {
  const f = model.flags.find((x) => x.id === id);
  return f ? [f.set, ...(f.clear ? [f.clear] : [])] : [];
}

/**
 * The context rule (DESIGN.md; EU AI Act Art. 5(1)(c)): a restriction may only read data fed solely
 * by event types of its own context, unless it cites a legal basis.
 */
export function contextProblems(model: ContextModel, restrictions: readonly CompiledPolicy[]): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  restrictions.forEach((r, i) => {
    // A basis of blanks cites nothing: `legalBasis: "   "` is no legal basis.
    if (r.legalBasis?.trim()) return;
    const path = `restrictions[${i}].when`;
    const foreign = (what: string, types: Iterable<string>): void => {
      const cats = [...categoriesOf(model, types)].filter((c) => c !== r.context);
      if (cats.length > 0) {
        out.push({
          code: 'CREDENCE_E_RULEBOOK_CONTEXT',
          path,
          reason: `restriction "${r.id}" (context ${r.context}) reads ${what}, which is fed by ${cats.join(', ')} data; a detrimental effect may only follow from data of its own context, or cite a legalBasis`,
        });
      }
    };
    const scored = [...model.rules.map((x) => x.on), ...model.inactivity.flatMap((x) => x.of)];
    if (r.reads.score) foreign('the score', scored);
    if (r.reads.tier) foreign('the tier', scored);
    const flagIds = r.reads.allFlags ? model.flags.map((f) => f.id) : r.reads.flags;
    for (const id of flagIds) foreign(`flag "${id}"`, flagTypes(model, id));
    const dims = r.reads.allDimensions
      ? [
          ...new Set(
            [...model.rules, ...model.inactivity].map((x) => x.dimension).filter((d) => d !== undefined),
          ),
        ]
      : r.reads.dimensions;
    for (const d of dims) foreign(`dimension "${d}"`, dimensionTypes(model, d));
  });
  return out;
}
