import { CredenceError, type ErrorDetail } from '../../core/errors/index.js';
import { loadYaml } from '../../core/rulebook/load.js';
import { specialCategoryOf } from '../../core/rulebook/names.js';
import { PERSON_FIELDS } from '../../identity/types.js';
import { specialField, specialSource } from '../special-fields.js';
import { isMappingSource } from './mapping-check.js';
import type { ColumnSpec, MappingSource, SourceKind } from './mapping-schema.js';

/** The canonical person-record fields a mapping may fill (DESIGN.md), plus `subjectId`. */
export const SUBJECT_FIELDS: readonly string[] = [
  'subjectId',
  ...PERSON_FIELDS.filter((f) => f !== 'record_id'),
];

/**
 * The share of a register's listed entries a snapshot may remove unless its mapping says otherwise
 * (`register.maxRemovalShare`): a month's removals from a court list are a few percent of it; a
 * snapshot that removes more than a quarter is far more often a file cut short than a list cleared.
 */
export const DEFAULT_MAX_REMOVAL_SHARE = 0.25;

/** A column spec with its shorthand expanded. */
export interface Column {
  /** Columns tried in order; the first non-empty one is used. Empty for a constant. */
  readonly columns: readonly string[];
  readonly const?: string | number | boolean;
  readonly type: 'string' | 'number' | 'boolean';
  readonly values?: Readonly<Record<string, string | number | boolean>>;
  readonly optional: boolean;
}

export type Fields = Readonly<Record<string, Column>>;

interface Common {
  readonly file: string;
  readonly source: string;
  readonly kind: SourceKind;
  readonly description?: string;
  readonly delimiter: string;
  /** `Z` or `±hh:mm`: the offset of dates without a time. */
  readonly timeZone: string;
  /**
   * Whether the mapping declares its time zone (`format: { timeZone }`): then a time written
   * without an offset (`2026-06-01 10:00:00`, as most exports write them) is read there too.
   */
  readonly localTimes: boolean;
  /** Columns of a fixed width (`format: { widths }`), each value checked on every row read. */
  readonly widths: readonly { readonly column: string; readonly width: number }[];
  readonly types: readonly string[];
  readonly skip?: { readonly column: string; readonly values: ReadonlySet<string> };
  readonly subject: Fields;
  readonly data: Fields;
}

export interface EventsMapping extends Common {
  readonly shape: 'events';
  readonly id: Column;
  readonly type: Column;
  readonly at: Column;
  readonly dataByType: Readonly<Record<string, Fields>>;
}

export interface RegisterMapping extends Common {
  readonly shape: 'register';
  readonly key: readonly string[];
  readonly mode: 'snapshot' | 'delta';
  readonly listed: { readonly type: string; readonly at: Column };
  readonly updated?: { readonly type: string; readonly at?: Column };
  readonly removed: { readonly type: string; readonly at?: Column };
  readonly deletion?: Column;
  readonly asOf?: Column;
  readonly action?: {
    readonly column: string;
    readonly listing: ReadonlySet<string>;
    readonly update: ReadonlySet<string>;
    readonly removal: ReadonlySet<string>;
  };
  /** Data fields sent with a removal (default: every data field read from a key column). */
  readonly removalData: readonly string[];
  /**
   * For each removal field, the position of its column in `key` (-1 for a const): a removal is
   * built from the key alone.
   */
  readonly removalKey: readonly number[];
  /** Snapshots: the largest share of the listed entries one may remove (see `SnapshotDiff`). */
  readonly maxRemovalShare: number;
}

export interface GridMapping extends Common {
  readonly shape: 'grid';
  readonly key: readonly string[];
  readonly column: string;
  readonly lastMonth: Column;
  readonly amount: Column;
  readonly day: number;
  readonly gridTypes: {
    readonly normal: string;
    readonly overdue: string;
    readonly settled: string;
    readonly defaulted: string;
  };
}

/** A validated source mapping. */
export type Mapping = EventsMapping | RegisterMapping | GridMapping;

function column(spec: ColumnSpec, defaultOptional: boolean): Column {
  if (typeof spec === 'string') return { columns: [spec], type: 'string', optional: defaultOptional };
  const columns =
    spec.column === undefined ? [] : typeof spec.column === 'string' ? [spec.column] : spec.column;
  const type = spec.type ?? (spec.const !== undefined ? (typeof spec.const as Column['type']) : 'string');
  return {
    columns,
    type,
    optional: spec.optional ?? defaultOptional,
    ...(spec.const !== undefined ? { const: spec.const } : {}),
    ...(spec.values ? { values: spec.values } : {}),
  };
}

function fields(
  specs: Record<string, ColumnSpec> | undefined,
  defaultOptional: boolean,
): Record<string, Column> {
  const out: Record<string, Column> = {};
  for (const [k, v] of Object.entries(specs ?? {})) out[k] = column(v, defaultOptional);
  return out;
}

/**
 * The schema's problems with a mapping, in words: TypeBox and the schema are loaded only here, for
 * a mapping the quick check did not pass (none when TypeBox finds it valid after all).
 */
async function schemaDetails(
  value: unknown,
  file: string,
  lineOf: (p: string) => number | undefined,
): Promise<ErrorDetail[]> {
  const [{ Compile }, { MappingSchema }] = await Promise.all([
    import('typebox/compile'),
    import('./mapping-schema.js'),
  ]);
  const validator = Compile(MappingSchema);
  if (validator.Check(value)) return [];
  const out: ErrorDetail[] = [];
  const seen = new Set<string>();
  for (const e of validator.Errors(value) as unknown as {
    instancePath: string;
    message: string;
    keyword: string;
    params: Record<string, unknown>;
  }[]) {
    const path = e.instancePath.split('/').slice(1).join('.') || '(top level)';
    let reason = e.message;
    if (e.keyword === 'additionalProperties') {
      reason = `unknown key(s): ${((e.params.additionalProperties as string[]) ?? []).join(', ')}`;
    } else if (e.keyword === 'required') {
      reason = `missing ${((e.params.requiredProperties as string[]) ?? []).join(', ')}`;
    }
    const k = `${path}\u0000${reason}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const line = lineOf(path);
    out.push({
      code: 'CREDENCE_E_MAPPING_INVALID',
      file,
      path,
      reason,
      ...(line !== undefined ? { line } : {}),
    });
  }
  return out;
}

/**
 * Parses and validates a source mapping (YAML). Every problem is reported at once, each with its
 * line and path; nothing half-valid is returned.
 *
 * @example
 * const m = await loadMapping(readFileSync('examples/sources/court.yaml', 'utf8'), 'court.yaml');
 * m.shape // 'register'
 */
export async function loadMapping(text: string, file = '<mapping>'): Promise<Mapping> {
  let loaded: ReturnType<typeof loadYaml>;
  try {
    loaded = loadYaml(text, file);
  } catch (e) {
    if (e instanceof CredenceError) {
      throw new CredenceError(
        'CREDENCE_E_MAPPING_INVALID',
        `${file} is not valid YAML`,
        { file },
        e.details.map((d) => ({ ...d, code: 'CREDENCE_E_MAPPING_INVALID' })),
      );
    }
    throw e;
  }
  const v = loaded.value;
  const fail = (details: ErrorDetail[]): never => {
    throw new CredenceError(
      'CREDENCE_E_MAPPING_INVALID',
      `${file}: the source mapping is invalid (${details.length} problem${details.length === 1 ? '' : 's'})`,
      { file },
      details,
    );
  };
  if (!isMappingSource(v)) {
    const details = await schemaDetails(v, file, (p) => loaded.lineOf(p));
    if (details.length > 0) fail(details);
  }
  const m = v as MappingSource;
  const problems: ErrorDetail[] = [];
  const problem = (path: string, reason: string): void => {
    const line = loaded.lineOf(path);
    problems.push({
      code: 'CREDENCE_E_MAPPING_INVALID',
      file,
      path,
      reason,
      ...(line !== undefined ? { line } : {}),
    });
  };
  const shapes = (['events', 'register', 'grid'] as const).filter((s) => m[s] !== undefined);
  if (shapes.length !== 1) {
    problem(
      '(top level)',
      `exactly one of events, register or grid is needed, got ${shapes.length === 0 ? 'none' : shapes.join(' and ')}`,
    );
  }
  if (m.source.includes('/')) problem('source', 'must not contain "/"');
  for (const k of Object.keys(m.subject)) {
    if (!SUBJECT_FIELDS.includes(k)) {
      problem(`subject.${k}`, `"${k}" is not a person-record field (one of: ${SUBJECT_FIELDS.join(', ')})`);
    }
  }
  const permitted = new Set(m.types);
  const needType = (path: string, t: string): void => {
    if (!permitted.has(t))
      problem(path, `event type "${t}" is not among the source's types (${m.types.join(', ')})`);
  };
  const checkSpec = (path: string, spec: ColumnSpec): void => {
    if (typeof spec === 'string') return;
    if (spec.column === undefined && spec.const === undefined) problem(path, 'needs a column or a const');
    if (spec.column !== undefined && spec.const !== undefined) problem(path, 'has both a column and a const');
  };
  for (const [k, s] of Object.entries(m.subject)) checkSpec(`subject.${k}`, s);
  for (const [k, s] of Object.entries(m.data ?? {})) checkSpec(`data.${k}`, s);
  // The hard line, at the mapping: a data field named for special-category data would have every
  // row's fact refused at the door (CREDENCE_E_FACT_PROHIBITED), one line per fact. The mapping is
  // what says it, so it is refused when loaded, with its line, before any row is read.
  const special = (path: string, fields: Readonly<Record<string, unknown>> | undefined): void => {
    for (const k of Object.keys(fields ?? {})) {
      const hit = specialField({ [k]: true }, 'data');
      if (hit)
        problem(`${path}.${k}`, hit.reason.replace(/; send the fact without it$/, '; map no column to it'));
    }
  };
  special('data', m.data);
  const specialName = specialSource(m.source);
  if (specialName) problem('source', specialName);
  // What a mapping reads and says is named too, as a rulebook's names are (docs/policy.md): a
  // neutral field fed from a `religion` column, a value table turning `church_donation` rows into
  // payments, a constant "union dues", a description of the facts as mosque donations.
  const named = (path: string, what: string, text: unknown): void => {
    if (typeof text !== 'string') return;
    const hit = specialCategoryOf(text);
    if (hit)
      problem(
        path,
        `${what} "${text}" names ${hit.what} ("${hit.word}"), special-category data (${hit.category}) that Credence never stores or scores`,
      );
  };
  const namedSpec = (path: string, spec: ColumnSpec | undefined): void => {
    if (spec === undefined) return;
    if (typeof spec === 'string') {
      named(path, 'column', spec);
      return;
    }
    for (const c of [spec.column ?? []].flat()) named(`${path}.column`, 'column', c);
    named(`${path}.const`, 'value', spec.const);
    for (const [k, v] of Object.entries(spec.values ?? {})) {
      named(`${path}.values`, 'value', k);
      named(`${path}.values`, 'value', v);
    }
  };
  named('description', 'the description', m.description);
  // A person-record field fed from an `ethnic_group` column stores that column in the subject.
  for (const [k, s] of Object.entries(m.subject)) namedSpec(`subject.${k}`, s);
  if (m.events) namedSpec('events.type', m.events.type);
  for (const [k, s] of Object.entries(m.data ?? {})) namedSpec(`data.${k}`, s);
  for (const [t, f] of Object.entries(m.events?.dataByType ?? {}))
    for (const [k, s] of Object.entries(f)) namedSpec(`events.dataByType.${t}.${k}`, s);
  if (m.register?.action) {
    const a = m.register.action;
    for (const v of [...a.listing, ...a.update, ...a.removal]) named('register.action', 'value', v);
  }
  // And every other column a mapping reads, and the rows it leaves out: a `skip` of one faith's
  // rows chooses who is scored by religion; a fact's id or a register's key read from a `religion`
  // column stores it in every fact id; a fact dated by a hospital admission says when one was.
  if (m.skip) {
    named('skip.column', 'column', m.skip.column);
    for (const v of m.skip.values) named('skip.values', 'value', v);
  }
  if (m.events) {
    namedSpec('events.id', m.events.id);
    namedSpec('events.at', m.events.at);
  }
  for (const c of Object.keys(m.format?.widths ?? {})) named('format.widths', 'column', c);
  if (m.register) {
    const r = m.register;
    for (const k of r.key) named('register.key', 'column', k);
    namedSpec('register.listed.at', r.listed.at);
    namedSpec('register.updated.at', r.updated?.at);
    namedSpec('register.removed.at', r.removed.at);
    namedSpec('register.deletion', r.deletion);
    namedSpec('register.asOf', r.asOf);
    if (r.action) named('register.action.column', 'column', r.action.column);
  }
  if (m.grid) {
    const g = m.grid;
    for (const k of g.key) named('grid.key', 'column', k);
    named('grid.column', 'column', g.column);
    namedSpec('grid.lastMonth', g.lastMonth);
    namedSpec('grid.amount', g.amount);
  }
  for (const [t, f] of Object.entries(m.events?.dataByType ?? {})) special(`events.dataByType.${t}`, f);

  const common = {
    file,
    source: m.source,
    kind: m.kind,
    ...(m.description !== undefined ? { description: m.description } : {}),
    delimiter: m.format?.delimiter ?? ',',
    timeZone: m.format?.timeZone ?? 'Z',
    localTimes: m.format?.timeZone !== undefined,
    widths: Object.entries(m.format?.widths ?? {}).map(([column, width]) => ({ column, width })),
    types: m.types,
    ...(m.skip ? { skip: { column: m.skip.column, values: new Set(m.skip.values) } } : {}),
    subject: fields(m.subject, true),
    data: fields(m.data, false),
  };
  let out: Mapping | undefined;
  if (m.events) {
    const e = m.events;
    checkSpec('events.id', e.id);
    checkSpec('events.type', e.type);
    checkSpec('events.at', e.at);
    const type = column(e.type, false);
    if (type.const !== undefined) needType('events.type', String(type.const));
    for (const t of Object.values(type.values ?? {})) needType('events.type.values', String(t));
    const dataByType: Record<string, Fields> = {};
    for (const [t, f] of Object.entries(e.dataByType ?? {})) {
      needType(`events.dataByType.${t}`, t);
      dataByType[t] = fields(f, false);
    }
    out = { ...common, shape: 'events', id: column(e.id, false), type, at: column(e.at, false), dataByType };
  } else if (m.register) {
    const r = m.register;
    const mode = r.mode ?? 'snapshot';
    needType('register.listed.type', r.listed.type);
    needType('register.removed.type', r.removed.type);
    if (r.updated) needType('register.updated.type', r.updated.type);
    if (mode === 'delta' && !r.action) problem('register.action', 'delta mode needs the action column');
    const keyFields = Object.entries(m.data ?? {})
      .filter(([, s]) =>
        r.key.includes(typeof s === 'string' ? s : typeof s.column === 'string' ? s.column : ''),
      )
      .map(([k]) => k);
    out = {
      ...common,
      shape: 'register',
      key: r.key,
      mode,
      listed: { type: r.listed.type, at: column(r.listed.at, false) },
      ...(r.updated
        ? { updated: { type: r.updated.type, ...(r.updated.at ? { at: column(r.updated.at, false) } : {}) } }
        : {}),
      removed: { type: r.removed.type, ...(r.removed.at ? { at: column(r.removed.at, true) } : {}) },
      ...(r.deletion ? { deletion: column(r.deletion, true) } : {}),
      ...(r.asOf ? { asOf: column(r.asOf, false) } : {}),
      ...(r.action
        ? {
            action: {
              column: r.action.column,
              listing: new Set(r.action.listing),
              update: new Set(r.action.update),
              removal: new Set(r.action.removal),
            },
          }
        : {}),
      removalData: r.removalData ?? keyFields,
      removalKey: [],
      maxRemovalShare: r.maxRemovalShare ?? DEFAULT_MAX_REMOVAL_SHARE,
    };
    const removalKey: number[] = [];
    for (const f of out.removalData) {
      const spec = m.data?.[f];
      if (!spec) {
        problem('register.removalData', `"${f}" is not a data field of this mapping`);
        continue;
      }
      const col = typeof spec === 'string' ? spec : typeof spec.column === 'string' ? spec.column : undefined;
      const at = col === undefined ? -1 : r.key.indexOf(col);
      // Snapshots remove entries that are gone from the file: only the key is left to describe them,
      // and a constant (the court of a list of one court), which is the same for every entry.
      const constant = typeof spec !== 'string' && spec.const !== undefined && spec.column === undefined;
      if (at === -1 && !constant)
        problem(
          'register.removalData',
          `"${f}" must be read from one of the key columns (${r.key.join(', ')}) or be a const`,
        );
      removalKey.push(at);
    }
    out = { ...out, removalKey };
  } else if (m.grid) {
    const g = m.grid;
    for (const [k, t] of Object.entries(g.types)) needType(`grid.types.${k}`, t);
    out = {
      ...common,
      shape: 'grid',
      key: g.key,
      column: g.column,
      lastMonth: column(g.lastMonth, false),
      amount: { ...column(g.amount, false), type: 'number' },
      day: g.day ?? 28,
      gridTypes: g.types,
    };
  }
  if (problems.length > 0 || !out) fail(problems);
  return out as Mapping;
}

export { mappingColumns } from './mapping-columns.js';
