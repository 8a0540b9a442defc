import { CredenceError, type ErrorCode, type ErrorDetail } from '../errors/index.js';
import { parseDuration, tryParseInstant } from '../time/index.js';
import { type Category, isAllowedCategory } from './categories.js';
import {
  type CelResult,
  compileFactPoints,
  compileFactPredicate,
  compilePolicy,
  policyReads,
  tierComparisons,
} from './cel.js';
import { inFileOrder, type LoadedYaml } from './load.js';
import { contextProblems } from './policy.js';
import type { RulebookSource } from './schema.js';
import type {
  CompiledFlag,
  CompiledInactivity,
  CompiledPolicy,
  CompiledRule,
  CompiledRulebook,
  Decay,
  EventTypeDef,
  FactExpr,
  FieldType,
} from './types.js';

// The second half of compiling a rulebook, once its shape is known to be right: references,
// CEL, the context rule. It imports no schema validator, so scoring a stored rulebook (validated
// when it was loaded) does not pay for loading one.

export interface CompileOptions {
  /** Shown in every error, e.g. `examples/programs/marketplace.yaml`. */
  readonly file?: string;
  /** The version number the store assigned; 1 by default. */
  readonly version?: number;
  /** Overrides the source's `effectiveFrom` (epoch ms); else the source's, else 0 (always). */
  readonly effectiveFrom?: number;
  /**
   * Compile each rule's CEL (`when`, `points`) when the rule first meets a fact, not now; once,
   * then kept. Only for a version validated when it was loaded (a stored spec,
   * `compileRulebookSpec`): a problem in such an expression, which only a stricter compiler
   * than the one that accepted it could find, is thrown (CREDENCE_E_CEL, naming the rule) by
   * the first evaluation instead of here. Privileges and restrictions compile at once all the
   * same: the context rule reads them. Why: a score touches the rules of a person's few event
   * types, and compiling every rule was a tenth of `credence score`.
   */
  readonly lazyRules?: boolean;
  /**
   * With `lazyRules`: the rules' CEL compiled now all the same, each problem collected (thrown as
   * CREDENCE_E_CEL with the rest), while the other checks stay those of a stored version. For a
   * stored version this build is about to score with: one whose expression no longer compiles is
   * refused as a whole, so it withholds its program (`ProgramSet.withheld`) rather than stop
   * whichever ingest first meets the rule, or score someone whose facts never reach it.
   */
  readonly eagerCel?: boolean;
}

/** Event types Credence reserves for itself (consent records); a rulebook may not declare them. */
export const RESERVED_TYPE_PREFIX = 'credence.';

/** Throws every problem at once, each placed at its line, in file order; the error's code is the gravest of theirs. */
export function failWith(file: string, loaded: LoadedYaml, problems: ErrorDetail[]): never {
  // One problem found by two checks (a flag whose clear type is its set type misses a key field
  // in "both") is told once.
  const seen = new Set<string>();
  const distinct = problems.filter((p) => {
    const k = `${p.code}\u0000${p.path ?? ''}\u0000${p.reason}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const located = inFileOrder(
    distinct.map((p) => {
      const at = p.path ? loaded.positionOf(p.path) : undefined;
      return at ? { ...p, file, line: at.line, column: at.column } : { ...p, file, line: p.line };
    }),
  );
  const order: ErrorCode[] = [
    'CREDENCE_E_RULEBOOK_PROHIBITED',
    'CREDENCE_E_RULEBOOK_CONTEXT',
    'CREDENCE_E_RULEBOOK_INVALID',
    'CREDENCE_E_CEL',
  ];
  const code = order.find((c) => located.some((p) => p.code === c)) ?? 'CREDENCE_E_RULEBOOK_INVALID';
  const n = located.length;
  const headline =
    code === 'CREDENCE_E_RULEBOOK_PROHIBITED'
      ? `${file} is refused: it would score special-category data (${n} problem${n === 1 ? '' : 's'})`
      : `${file} is not a valid rulebook (${n} problem${n === 1 ? '' : 's'})`;
  throw new CredenceError(code, headline, { file }, located);
}

export function compileValid(
  src: RulebookSource,
  text: string,
  opts: CompileOptions,
  fail: (p: ErrorDetail[]) => never,
): CompiledRulebook {
  const problems: ErrorDetail[] = [];
  const bad = (path: string, reason: string, code: ErrorCode = 'CREDENCE_E_RULEBOOK_INVALID') =>
    problems.push({ code, path, reason });
  const duration = (path: string, text: string): number => {
    try {
      return parseDuration(text);
    } catch (e) {
      bad(path, (e as Error).message);
      return 1;
    }
  };

  // Scale and tiers: every score must land in exactly one tier.
  const { min, max, base } = src.scale;
  if (!(min <= base && base <= max)) bad('scale', `needs min <= base <= max, has ${min}, ${base}, ${max}`);
  // A score is a whole number (rounded, then held within the scale): a bound of 100.5 would be a
  // score of 100.5 (what privileges read as an int), and a base of 50.25 a score no one starts at.
  // Checked at load only (`lazyRules`): a version stored before keeps scoring as it did.
  if (!opts.lazyRules) {
    for (const [k, v] of [
      ['min', min],
      ['max', max],
      ['base', base],
    ] as const) {
      if (!Number.isInteger(v))
        bad(`scale.${k}`, `${v} is not a whole number: scores are rounded to whole numbers within the scale`);
    }
  }
  // Each tier against the lowest before it, not only its neighbour: in A 500, B 700, C 500 the
  // tier A shadows C as surely as B, and both are told in one run.
  let lowestBefore: { id: string; min: number } | undefined;
  src.tiers.forEach((t, i) => {
    if (lowestBefore && t.min >= lowestBefore.min)
      bad(
        `tiers[${i}].min`,
        `tiers go highest first; ${t.min} is not below ${lowestBefore.min} (from ${lowestBefore.min} up every score has a tier before it, "${lowestBefore.id}" or higher)`,
      );
    else lowestBefore = t;
  });
  // A tier no score can reach: above the scale's max, or below a tier that already starts at or
  // below the scale's min. A privilege or restriction reading it would never hold. Checked at load
  // only (`lazyRules`): a version stored before keeps scoring as it did.
  if (!opts.lazyRules) {
    src.tiers.forEach((t, i) => {
      const prev = src.tiers[i - 1];
      if (t.min > max)
        bad(
          `tiers[${i}].min`,
          `tier "${t.id}" starts at ${t.min}, above the scale's max ${max}: no score reaches it`,
        );
      else if (prev && prev.min <= min)
        bad(
          `tiers[${i}].min`,
          `tier "${t.id}" is never reached: "${prev.id}" starts at ${prev.min}, at or below the scale's min ${min}, and takes every score`,
        );
    });
  }
  const lowest = src.tiers.at(-1);
  if (lowest && lowest.min > min) {
    bad(
      `tiers[${src.tiers.length - 1}].min`,
      `the lowest tier starts at ${lowest.min}, so a score of ${min} would have no tier`,
    );
  }
  unique(
    src.tiers.map((t, i) => ({ id: t.id, path: `tiers[${i}].id` })),
    'tiers',
    bad,
  );

  const dimensions = src.dimensions ?? [];
  unique(
    dimensions.map((d, i) => ({ id: d, path: `dimensions[${i}]` })),
    'dimensions',
    bad,
  );
  const checkDimension = (path: string, d: string | undefined) => {
    if (d !== undefined && !dimensions.includes(d)) {
      bad(path, `dimension "${d}" is not declared in dimensions (${dimensions.join(', ') || 'none'})`);
    }
  };

  const events: Record<string, EventTypeDef> = {};
  for (const [name, def] of Object.entries(src.events)) {
    if (name.startsWith(RESERVED_TYPE_PREFIX)) {
      bad(
        `events['${name}']`,
        `event types starting with "${RESERVED_TYPE_PREFIX}" are reserved for consent records`,
      );
    }
    events[name] = {
      name,
      category: def.category as Category,
      fields: (def.fields ?? {}) as Record<string, FieldType>,
      ...(def.retain
        ? { retain: def.retain, retainMs: duration(`events['${name}'].retain`, def.retain) }
        : {}),
    };
  }
  // A rule's CEL expression over one fact: compiled now, its problem collected; or, with
  // `lazyRules`, compiled by its first call and its problem thrown then.
  const factExpr = <T>(
    path: string,
    text: string,
    compile: () => CelResult<(data: object) => T>,
  ): FactExpr<T> | undefined => {
    if (!opts.lazyRules || opts.eagerCel) {
      const c = compile();
      if (c.ok) return c.fn;
      bad(path, `"${text}" ${c.reason}`, 'CREDENCE_E_CEL');
      return undefined;
    }
    let fn: FactExpr<T> | undefined;
    return (data) => {
      if (!fn) {
        const c = compile();
        if (!c.ok) return fail([{ code: 'CREDENCE_E_CEL', path, reason: `"${text}" ${c.reason}` }]);
        fn = c.fn;
      }
      return fn(data);
    };
  };

  const eventRef = (path: string, type: string): EventTypeDef | undefined => {
    const def = events[type];
    if (!def) bad(path, `event type "${type}" is not declared in events`);
    return def;
  };

  const rules: CompiledRule[] = [];
  (src.rules ?? []).forEach((r, i) => {
    const p = `rules[${i}]`;
    const def = eventRef(`${p}.on`, r.on);
    checkDimension(`${p}.dimension`, r.dimension);
    const fields = def?.fields ?? {};
    const whenText = r.when;
    const when =
      whenText !== undefined && def
        ? factExpr(`${p}.when`, whenText, () => compileFactPredicate(fields, whenText, r.on))
        : undefined;
    let points: CompiledRule['points'] = () => 0;
    if (typeof r.points === 'number') {
      const n = r.points;
      points = () => n;
    } else if (def) {
      const pointsText = r.points;
      points =
        factExpr(`${p}.points`, pointsText, () => compileFactPoints(fields, pointsText, r.on)) ?? points;
    }
    let decay: Decay = { kind: 'none' };
    if (r.decay && 'expires' in r.decay) {
      decay = { kind: 'expires', ms: duration(`${p}.decay.expires`, r.decay.expires), text: r.decay.expires };
    } else if (r.decay && 'halfLife' in r.decay) {
      decay = {
        kind: 'halfLife',
        ms: duration(`${p}.decay.halfLife`, r.decay.halfLife),
        text: r.decay.halfLife,
      };
    }
    rules.push({
      id: r.id,
      on: r.on,
      ...(when ? { when, whenText: r.when } : {}),
      points,
      pointsText: String(r.points),
      ...(r.dimension !== undefined ? { dimension: r.dimension } : {}),
      reason: r.reason,
      decay,
      ...(r.cap
        ? { cap: { max: r.cap.max, perMs: duration(`${p}.cap.per`, r.cap.per), per: r.cap.per } }
        : {}),
    });
  });

  const inactivity: CompiledInactivity[] = [];
  (src.inactivity ?? []).forEach((r, i) => {
    const p = `inactivity[${i}]`;
    r.of.forEach((t, j) => {
      eventRef(`${p}.of[${j}]`, t);
    });
    checkDimension(`${p}.dimension`, r.dimension);
    if (r.limit !== undefined && r.limit !== 0 && Math.sign(r.limit) !== Math.sign(r.points)) {
      bad(`${p}.limit`, `limit ${r.limit} must have the same sign as points ${r.points}`);
    }
    inactivity.push({
      id: r.id,
      of: r.of,
      afterMs: duration(`${p}.after`, r.after),
      points: r.points,
      ...(r.every ? { everyMs: duration(`${p}.every`, r.every) } : {}),
      ...(r.limit !== undefined ? { limit: r.limit } : {}),
      ...(r.dimension !== undefined ? { dimension: r.dimension } : {}),
      reason: r.reason,
    });
  });

  const flags: CompiledFlag[] = [];
  (src.flags ?? []).forEach((f, i) => {
    const p = `flags[${i}]`;
    const set = eventRef(`${p}.set`, f.set);
    const clear = f.clear !== undefined ? eventRef(`${p}.clear`, f.clear) : undefined;
    if (!opts.lazyRules && f.clear !== undefined && f.clear === f.set)
      bad(
        `${p}.clear`,
        `"${f.clear}" is the listing type too: each such fact would list and lift the flag at once (it was read as a listing, never a removal)`,
      );
    // A removal deleted before the listing it lifted would list the person again: scores go as if
    // purge had run (docs/rulebook.md, "Which facts count"), so once the removal is past its
    // retention the listing holds the flag, and its restrictions, from data that was deleted.
    // Checked for a stored version too (`lazyRules`), unlike the checks that only tidy a rulebook:
    // one stored before this check would flag people from deleted data, so it is refused, naming
    // the version (`file`) and the flag, rather than scored.
    if (set && clear && set !== clear && clear.retainMs !== undefined) {
      if (set.retainMs === undefined || clear.retainMs < set.retainMs)
        bad(
          `${p}.clear`,
          `${opts.lazyRules ? `flag "${f.id}" of this stored version: ` : ''}"${clear.name}" is kept ${clear.retain}, ${set.retainMs === undefined ? `but "${set.name}" is kept for good` : `less than "${set.name}" (${set.retain})`}: once a removal is deleted, the listing it lifted would flag the person again; keep removals at least as long as listings${opts.lazyRules ? ' (stored before Credence checked this, it scores no as-of: load a corrected version effective no later than this one, which takes its place for every as-of)' : ''}`,
        );
    }
    (f.key ?? []).forEach((k, j) => {
      for (const def of [set, clear]) {
        if (def && !(k in def.fields))
          bad(`${p}.key[${j}]`, `key field "${k}" is not a field of ${def.name}`);
      }
    });
    flags.push({
      id: f.id,
      set: f.set,
      ...(f.clear !== undefined ? { clear: f.clear } : {}),
      ...(f.key ? { key: f.key } : {}),
      reason: f.reason,
    });
  });

  const policies = (
    kind: 'privilege' | 'restriction',
    list: RulebookSource['privileges'],
  ): CompiledPolicy[] => {
    const section = kind === 'privilege' ? 'privileges' : 'restrictions';
    const out: CompiledPolicy[] = [];
    (list ?? []).forEach((x, i) => {
      const p = `${section}[${i}]`;
      if (!(Object.values(events).some((e) => e.category === x.context) || isAllowedCategory(x.context))) {
        bad(`${p}.context`, `context "${x.context}" is not an event category`);
      }
      const c = compilePolicy(x.when);
      if (!c.ok) {
        bad(`${p}.when`, `"${x.when}" ${c.reason}`, 'CREDENCE_E_CEL');
        return;
      }
      const reads = policyReads(c.ast);
      for (const f of reads.flags) {
        if (!(src.flags ?? []).some((d) => d.id === f))
          bad(`${p}.when`, `flag "${f}" is not declared in flags`);
      }
      for (const d of reads.dimensions) checkDimension(`${p}.when`, d);
      // Checked when a rulebook is loaded, not when a stored version is compiled again
      // (`lazyRules`), as the flag cleared by its own listing type above: a version stored before
      // these checks keeps scoring as it did.
      // A tier named wrong never holds (or always does, with !=): `tier == 'AAA'` in a rulebook
      // whose tiers are A to D, or 'aa' for 'AA'. And tiers are ranked by their place, not by
      // their names: `tier >= 'A'` holds for B, C and D ('B' > 'A' letter by letter).
      const tierIds = src.tiers.map((t) => t.id);
      const byTier = opts.lazyRules ? { literals: [], ordered: false } : tierComparisons(c.ast);
      for (const t of new Set(byTier.literals)) {
        if (!tierIds.includes(t))
          bad(`${p}.when`, `tier "${t}" is not declared in tiers (${tierIds.join(', ')})`);
      }
      if (byTier.ordered)
        bad(
          `${p}.when`,
          `"${x.when}" orders tier names letter by letter, not by rank ('B' > 'A'); name the tiers (tier in ['${tierIds.slice(0, 2).join("', '")}']) or compare the score`,
        );
      out.push({
        id: x.id,
        kind,
        context: x.context,
        whenText: x.when,
        when: c.fn,
        reads,
        ast: c.ast,
        ...(x.legalBasis ? { legalBasis: x.legalBasis } : {}),
        ...(x.purposes ? { purposes: [...new Set(x.purposes.map((p) => p.trim()))] } : {}),
        ...(x.description ? { description: x.description } : {}),
      });
    });
    return out;
  };
  const privileges = policies('privilege', src.privileges);
  const restrictions = policies('restriction', src.restrictions);

  const ids = (section: string, list: readonly { readonly id: string }[] | undefined) =>
    (list ?? []).map((r, i) => ({ id: r.id, path: `${section}[${i}].id` }));
  unique(ids('rules', src.rules), 'rules', bad);
  unique(ids('inactivity', src.inactivity), 'inactivity', bad);
  unique(ids('flags', src.flags), 'flags', bad);
  unique(
    [...ids('privileges', src.privileges), ...ids('restrictions', src.restrictions)],
    'privileges and restrictions',
    bad,
  );

  // A reason code is shown with one text (reasons and key factors group contributions by code):
  // a second text would never reach anyone. Checked when a rulebook is loaded, not when a stored
  // version is compiled again (`lazyRules`): a version stored before this check keeps scoring.
  const texts = new Map<string, { text: string; path: string }>();
  for (const [section, list] of opts.lazyRules
    ? []
    : ([
        ['rules', src.rules ?? []],
        ['inactivity', src.inactivity ?? []],
      ] as const)) {
    list.forEach((r, i) => {
      const path = `${section}[${i}].reason.text`;
      const seen = texts.get(r.reason.code);
      if (!seen) texts.set(r.reason.code, { text: r.reason.text, path });
      else if (seen.text !== r.reason.text)
        bad(
          path,
          `reason code "${r.reason.code}" is shown with one text, and ${seen.path} gives it "${seen.text}", not "${r.reason.text}": use the same text or another code`,
        );
    });
  }

  problems.push(...contextProblems({ events, rules, inactivity, flags }, restrictions));

  let effectiveFrom = opts.effectiveFrom ?? 0;
  if (opts.effectiveFrom === undefined && src.effectiveFrom !== undefined) {
    const t = tryParseInstant(src.effectiveFrom);
    if (t === undefined)
      bad('effectiveFrom', `"${src.effectiveFrom}" is not an ISO date or date-time with zone`);
    else effectiveFrom = t;
  }
  if (problems.length > 0) fail(problems);

  const rulesByType = new Map<string, CompiledRule[]>();
  for (const r of rules) {
    const list = rulesByType.get(r.on) ?? [];
    list.push(r);
    rulesByType.set(r.on, list);
  }
  return Object.freeze({
    program: src.program,
    name: src.name,
    version: opts.version ?? 1,
    effectiveFrom,
    enrollment: src.enrollment,
    scale: { min, max, base },
    tiers: src.tiers,
    dimensions,
    minFacts: src.minFacts ?? 1,
    disputes: { suspend: src.disputes?.suspend ?? true },
    ...(src.inquiries ? { inquiries: { authorisation: src.inquiries.authorisation } } : {}),
    events,
    rules,
    rulesByType,
    inactivity,
    flags,
    privileges,
    restrictions,
    source: text,
  });
}

/**
 * Each id once per section: a repeat is reported at its own place (`rules[3].id`), naming where
 * the id was first used, so the author is sent to the line to change.
 */
function unique(
  items: readonly { readonly id: string; readonly path: string }[],
  section: string,
  bad: (path: string, reason: string) => void,
): void {
  const seen = new Map<string, string>();
  for (const { id, path } of items) {
    const first = seen.get(id);
    if (first !== undefined) bad(path, `id "${id}" is used twice in ${section} (first at ${first})`);
    else seen.set(id, path);
  }
}
