import { Compile } from 'typebox/compile';
import { Settings } from 'typebox/system';
import type { ErrorDetail } from '../errors/index.js';
import { RulebookSchema } from './schema.js';

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
 * Alternatives (`anyOf`) are folded into one message instead of one per branch.
 */
export function schemaProblems(value: unknown): ErrorDetail[] {
  if (validator.Check(value)) return [];
  const byPath = new Map<string, { reasons: Set<string>; anyOf: Set<string> }>();
  for (const e of validator.Errors(value) as unknown as TbError[]) {
    if (e.keyword === 'boolean' && e.message === 'schema is false') continue; // reported as additionalProperties
    let path = toPath(e.instancePath);
    let reason = e.message;
    if (e.keyword === 'required') {
      const missing = (e.params.requiredProperties as string[] | undefined) ?? [];
      for (const m of missing) {
        const p = join(path, m);
        byPath.set(p, { reasons: new Set(['is required']), anyOf: new Set() });
      }
      continue;
    }
    if (e.keyword === 'additionalProperties') {
      for (const k of (e.params.additionalProperties as string[] | undefined) ?? []) {
        const p = join(path, k);
        byPath.set(p, { reasons: new Set(['is not a known key here']), anyOf: new Set() });
      }
      continue;
    }
    if (e.keyword === 'propertyNames' || e.keyword === 'pattern') {
      if (e.keyword === 'propertyNames') reason = 'has a key that is not a valid name';
      else reason = `"${String(getAt(value, e.instancePath))}" has the wrong form (${e.message})`;
    }
    const inAnyOf = e.schemaPath.includes('/anyOf/');
    const entry = byPath.get(path) ?? { reasons: new Set<string>(), anyOf: new Set<string>() };
    if (inAnyOf && (e.keyword === 'type' || e.keyword === 'const')) {
      entry.anyOf.add(e.keyword === 'const' ? JSON.stringify(e.params.allowedValue) : String(e.params.type));
    } else if (e.keyword === 'enum') {
      const allowed = (e.params.allowedValues as unknown[] | undefined) ?? [];
      entry.reasons.add(`"${String(getAt(value, e.instancePath))}" is not one of: ${allowed.join(', ')}`);
    } else entry.reasons.add(reason);
    byPath.set(path, entry);
    path = '';
  }
  const out: ErrorDetail[] = [];
  for (const [path, { reasons, anyOf }] of byPath) {
    const parts = [...reasons];
    if (anyOf.size > 0 && parts.length === 0) parts.push(`must be one of: ${[...anyOf].join(', ')}`);
    out.push({ code: 'CREDENCE_E_RULEBOOK_INVALID', path: path || '(top level)', reason: parts.join('; ') });
  }
  return out;
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
