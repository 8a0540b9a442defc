import { Compile } from 'typebox/compile';
import { Settings } from 'typebox/system';
import type { ErrorDetail } from '../errors/index.js';
import { DURATION_PATTERN, RulebookSchema } from './schema.js';

// TypeBox stops at 8 errors by default; a rulebook author wants to see every problem at once.
Settings.Set({ maxErrors: 500 });
const validator = Compile(RulebookSchema);

interface TbError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  message: string;
}

/** `/rules/3/points` → `rules[3].points`; event-type keys with dots are quoted. */
export function toPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `['${seg}']`;
  }
  return out;
}

function join(path: string, key: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}['${key}']`;
}

/**
 * Every place where a rulebook source breaks the schema, one detail per path, in words.
 * Where the format has alternatives (`anyOf`: points a number or a string, decay `{ expires }` or
 * `{ halfLife }`), the problems are those of the alternative the author was writing, not of all of
 * them at once nor the validator's own "must match a schema in anyOf".
 */
export function schemaProblems(value: unknown): ErrorDetail[] {
  if (validator.Check(value)) return [];
  // The validator would say "must be object" of an empty file or a list: say what a rulebook is.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got =
      value === null || value === undefined
        ? 'the file is empty'
        : Array.isArray(value)
          ? 'the file is a list'
          : `the file is the single value ${JSON.stringify(value)}`;
    return [
      {
        code: 'CREDENCE_E_RULEBOOK_INVALID',
        path: '(top level)',
        reason: `${got}; a rulebook is a YAML mapping of keys (program:, name:, enrollment:, scale:, tiers:, events:, …)`,
      },
    ];
  }
  const all = (validator.Errors(value) as unknown as TbError[]).filter(
    // reported as additionalProperties
    (e) => !(e.keyword === 'boolean' && e.message === 'schema is false'),
  );
  const byPath = new Map<string, Set<string>>();
  const add = (path: string, reason: string, only = false) => {
    const set = only ? new Set<string>() : (byPath.get(path) ?? new Set<string>());
    set.add(reason);
    byPath.set(path, set);
  };
  const errors = resolveAlternatives(value, all, add);
  for (const e of errors) {
    const path = toPath(e.instancePath);
    if (e.keyword === 'required') {
      for (const m of (e.params.requiredProperties as string[] | undefined) ?? [])
        add(join(path, m), 'is required', true);
      continue;
    }
    if (e.keyword === 'additionalProperties') {
      for (const k of (e.params.additionalProperties as string[] | undefined) ?? [])
        add(join(path, k), 'is not a known key here', true);
      continue;
    }
    const at = getAt(value, e.instancePath);
    if (e.keyword === 'propertyNames') add(path, 'has a key that is not a valid name');
    else if (e.keyword === 'pattern' && e.params.pattern === DURATION_PATTERN)
      add(path, `"${String(at)}" is not an ISO 8601 duration such as P30D, P3Y or PT12H`);
    else if (e.keyword === 'pattern') add(path, `"${String(at)}" has the wrong form (${e.message})`);
    else if (e.keyword === 'enum') {
      const allowed = (e.params.allowedValues as unknown[] | undefined) ?? [];
      // A mapping or a list where a word belongs (a nested field) is shown as written, not as
      // "[object Object]".
      const shown =
        at !== null && typeof at === 'object'
          ? `${Array.isArray(at) ? 'a list' : 'a mapping'} ${JSON.stringify(at)}`
          : `"${String(at)}"`;
      add(path, `${shown} is not one of: ${allowed.join(', ')}`);
    } else if (e.keyword === 'type' && typeof at === 'number' && !Number.isFinite(at))
      add(path, 'must be a finite number');
    else add(path, e.message);
  }
  const out: ErrorDetail[] = [];
  for (const [path, reasons] of byPath) {
    out.push({
      code: 'CREDENCE_E_RULEBOOK_INVALID',
      path: path || '(top level)',
      reason: [...reasons].join('; '),
    });
  }
  return out;
}

/**
 * Replaces each `anyOf` failure and its branches' errors by the errors of the branch the value
 * was meant for: branches the value is not even the type of are left out; of the rest, the one
 * with the fewest errors. When none is left, the value is of none of the alternatives' types;
 * when object alternatives tie, the value has keys of several (or none) of them, said as such.
 */
function resolveAlternatives(
  value: unknown,
  errors: readonly TbError[],
  add: (path: string, reason: string, only?: boolean) => void,
): TbError[] {
  const dropped = new Set<TbError>();
  const kept = new Set<TbError>();
  for (const a of errors) {
    if (a.keyword !== 'anyOf') continue;
    dropped.add(a);
    const prefix = `${a.schemaPath}/anyOf/`;
    const branches = new Map<string, TbError[]>();
    // The schema path names no array index: the same alternatives of another rule share it.
    const inside = (e: TbError) =>
      e.instancePath === a.instancePath || e.instancePath.startsWith(`${a.instancePath}/`);
    for (const e of errors) {
      if (!e.schemaPath.startsWith(prefix) || !inside(e)) continue;
      dropped.add(e);
      const k = e.schemaPath.slice(prefix.length).split('/')[0] as string;
      branches.set(k, [...(branches.get(k) ?? []), e]);
    }
    const path = toPath(a.instancePath);
    const wrongType = (es: readonly TbError[]) =>
      es.some((e) => e.keyword === 'type' && e.instancePath === a.instancePath);
    const candidates = [...branches.values()].filter((es) => !wrongType(es));
    if (candidates.length === 0) {
      const at = getAt(value, a.instancePath);
      if (typeof at === 'number' && !Number.isFinite(at)) add(path, 'must be a finite number');
      else {
        const types = [...branches.values()]
          .flat()
          .filter((e) => e.keyword === 'type')
          .map((e) => String(e.params.type));
        add(path, `must be one of: ${[...new Set(types)].join(', ')}`);
      }
      continue;
    }
    const fewest = Math.min(...candidates.map((es) => es.length));
    const best = candidates.filter((es) => es.length === fewest);
    if (best.length === 1) {
      for (const e of best[0] as TbError[]) kept.add(e);
      continue;
    }
    // Object alternatives that explain the value equally badly: say which keys it may have.
    const own = (es: readonly TbError[], keyword: string, param: string) =>
      es
        .filter((e) => e.keyword === keyword && e.instancePath === a.instancePath)
        .flatMap((e) => (e.params[param] as string[] | undefined) ?? []);
    const extras = best.map((es) => new Set(own(es, 'additionalProperties', 'additionalProperties')));
    const everywhere = [...(extras[0] ?? [])].filter((k) => extras.every((x) => x.has(k)));
    const somewhere = [...new Set(extras.flatMap((x) => [...x]))].filter((k) => !everywhere.includes(k));
    const required = best.every((es) => own(es, 'required', 'requiredProperties').length > 0)
      ? [...new Set(best.flatMap((es) => own(es, 'required', 'requiredProperties')))]
      : [];
    if (somewhere.length > 0) add(path, `must have only one of: ${somewhere.sort().join(', ')}`);
    if (required.length > 0) add(path, `must have one of: ${required.sort().join(', ')}`);
    for (const k of everywhere) add(join(path, k), 'is not a known key here', true);
    if (somewhere.length === 0 && required.length === 0) for (const e of best[0] as TbError[]) kept.add(e);
  }
  return errors.filter((e) => !dropped.has(e) || kept.has(e));
}

function getAt(value: unknown, pointer: string): unknown {
  let v: unknown = value;
  for (const raw of pointer.split('/').slice(1)) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}

export { validator as rulebookValidator };
