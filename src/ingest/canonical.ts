import { hash } from 'node:crypto';
import { tryParseInstant } from '../core/time/index.js';
import { bodyDigest } from '../store/fact-digest.js';

/**
 * JSON with object keys sorted at every level, so two bodies that differ only in key order or
 * spacing have the same text. Tells a re-sent fact (a duplicate) from a changed one (a conflict).
 *
 * @example
 * canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }) // '{"a":[2,{"c":4,"d":3}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  // It runs for every audit entry and every conflicting fact: keys already in order (most
  // details, built that way) are not sorted again, and scalars are written without a call.
  const keys = Object.keys(obj);
  for (let i = 1; i < keys.length; i++) {
    if ((keys[i - 1] as string) > (keys[i] as string)) {
      keys.sort();
      break;
    }
  }
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const v = obj[k];
    if (v === undefined) continue;
    if (out.length > 1) out += ',';
    const t = typeof v;
    out += `${quoted(k)}:${t === 'string' || t === 'number' || t === 'boolean' ? JSON.stringify(v) : canonicalJson(v)}`;
  }
  return `${out}}`;
}

/** Keys as JSON text, remembered for the few hundred key names facts and details use. */
const quotedKeys = new Map<string, string>();

function quoted(key: string): string {
  let q = quotedKeys.get(key);
  if (q === undefined) {
    q = JSON.stringify(key);
    if (quotedKeys.size < 256) quotedKeys.set(key, q);
  }
  return q;
}

/** A short, stable digest of a fact's canonical body. */
export function factHash(value: unknown): string {
  return hash('sha1', canonicalJson(value), 'base64');
}

/**
 * A digest of a line as sent. Re-sent files are byte-identical in practice, so equal digests
 * settle most duplicates without re-serialising; different digests fall back to comparing
 * canonical JSON (a re-formatted but equal fact is still a duplicate).
 */
export function lineHash(text: string): string {
  return bodyDigest(text);
}

/**
 * Whether two fact bodies are the same fact: the same canonical JSON, or the same but for
 * `occurredAt` written in another offset (`2026-03-01T18:00:00+08:00` is `2026-03-01T10:00:00Z`):
 * a furnisher that changed how it writes time re-sends the same facts, not new ones.
 */
export function sameFact(a: unknown, b: unknown): boolean {
  if (canonicalJson(a) === canonicalJson(b)) return true;
  const x = withInstant(a);
  const y = withInstant(b);
  return x !== undefined && y !== undefined && canonicalJson(x) === canonicalJson(y);
}

/** The body with `occurredAt` as epoch milliseconds; undefined when it has none that parses. */
function withInstant(body: unknown): Record<string, unknown> | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const o = body as Record<string, unknown>;
  const at = tryParseInstant(o.occurredAt);
  return at === undefined ? undefined : { ...o, occurredAt: at };
}
