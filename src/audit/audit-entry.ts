import { hash } from 'node:crypto';
import { canonicalJson } from '../ingest/canonical.js';

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a caller records: who did what, about whom, for which declared purpose. */
export interface AuditInput {
  /** Epoch ms, from the caller's clock (the edge reads the clock, never the log). */
  readonly at: number;
  /** `key:<keyId>` for an API key, `cli:<user>` for the command line, `system` for the server itself. */
  readonly actor: string;
  /** A dotted verb such as `score.query`, `facts.ingest`, `file.export`, `auth.refused`. */
  readonly action: string;
  /** The person the entry concerns, when it concerns one. */
  readonly subject?: string | undefined;
  /** The purpose a relying party declared. */
  readonly purpose?: string | undefined;
  /** Anything else worth keeping; stored as canonical JSON. */
  readonly detail?: Readonly<Record<string, unknown>> | undefined;
}

/** One stored entry: its place in the chain and the hash that seals it. */
export interface AuditEntry {
  readonly seq: number;
  readonly at: number;
  readonly actor: string;
  readonly action: string;
  readonly subject: string | null;
  readonly purpose: string | null;
  /** Canonical JSON text of the detail object. */
  readonly detail: string;
  readonly prevHash: string;
  readonly hash: string;
}

/**
 * The text an entry's hash covers: the canonical JSON (keys sorted) of every field with the
 * previous entry's hash, so changing, dropping or moving any entry breaks the chain. Built by
 * concatenation because `detail` is already canonical text (this runs 10M times in a verify).
 *
 * @example
 * sealedText({ seq: 1, at: 0, actor: 'system', action: 'x', subject: null, purpose: null, detail: '{}', prevHash: GENESIS_HASH })
 */
export function sealedText(e: Omit<AuditEntry, 'hash'>): string {
  return textOf(e.seq, e.at, e.actor, e.action, e.subject, e.purpose, e.detail, e.prevHash);
}

/** `sealedText` from the fields themselves: sealing builds no intermediate entry object. */
function textOf(
  seq: number,
  at: number,
  actor: string,
  action: string,
  subject: string | null,
  purpose: string | null,
  detail: string,
  prevHash: string,
): string {
  return (
    `{"action":${JSON.stringify(action)},"actor":${JSON.stringify(actor)},"at":${at}` +
    `,"detail":${detail},"prevHash":${JSON.stringify(prevHash)}` +
    `,"purpose":${purpose === null ? 'null' : JSON.stringify(purpose)},"seq":${seq}` +
    `,"subject":${subject === null ? 'null' : JSON.stringify(subject)}}`
  );
}

/** SHA-256 (hex) over `sealedText`. */
export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  return hash('sha256', sealedText(e), 'hex');
}

/**
 * Seals an input as the entry after `prev` (seq and hash of the last entry, or 0 and the genesis hash).
 *
 * @example
 * const e = sealEntry({ at: 1, actor: 'system', action: 'serve.start' }, 0, GENESIS_HASH); // e.seq === 1
 */
export function sealEntry(input: AuditInput, prevSeq: number, prevHash: string): AuditEntry {
  // Built field by field, not as an unsealed object spread into a sealed one: this runs once per
  // answered request, and the spread was a third of its cost.
  const seq = prevSeq + 1;
  const subject = input.subject ?? null;
  const purpose = input.purpose ?? null;
  const detail = input.detail == null ? '{}' : canonicalJson(input.detail);
  const text = textOf(seq, input.at, input.actor, input.action, subject, purpose, detail, prevHash);
  return {
    seq,
    at: input.at,
    actor: input.actor,
    action: input.action,
    subject,
    purpose,
    detail,
    prevHash,
    hash: hash('sha256', text, 'hex'),
  };
}
