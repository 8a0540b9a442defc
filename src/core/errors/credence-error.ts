import { type ErrorCode, errorCatalogue } from './catalogue.js';

/** Where in the input an error points: a file, a line, a path such as `rules[3].points`. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  /** From 1, on `line`: where the key is written, so an editor can jump to it (`file:line:column`). */
  column?: number;
  path?: string;
  field?: string;
}

/** One problem among possibly many reported at once (e.g. every error of a rulebook). */
export interface ErrorDetail extends ErrorLocation {
  code: ErrorCode;
  reason: string;
}

/**
 * The only error type Credence throws on purpose. `code` is stable and documented;
 * `message` is for people; `details` lists every problem found, each with its place.
 *
 * @example
 * throw new CredenceError('CREDENCE_E_FACT_INVALID', 'amount must be a number', { field: 'data.amount' });
 */
// A registered symbol, not the class, marks Credence's errors: a bundled command carries its own
// copy of this class (scripts/bundle-commands.mjs), and `instanceof` fails across copies.
const BRAND = Symbol.for('credence.error');

export class CredenceError extends Error {
  readonly [BRAND] = true;
  readonly code: ErrorCode;
  readonly details: readonly ErrorDetail[];
  readonly status: number;
  readonly exitCode: number;

  constructor(code: ErrorCode, message?: string, location: ErrorLocation = {}, details?: ErrorDetail[]) {
    super(message ?? errorCatalogue[code].message);
    this.name = 'CredenceError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.exitCode = errorCatalogue[code].exit;
    this.details = details ?? [{ code, reason: this.message, ...location }];
  }
}

export function isCredenceError(e: unknown): e is CredenceError {
  return e instanceof CredenceError || (typeof e === 'object' && e !== null && BRAND in e);
}

/** Human form of a detail: `file:line path: reason`. */
export function formatDetail(d: ErrorDetail): string {
  const at =
    d.line === undefined ? undefined : d.column === undefined ? `${d.line}` : `${d.line}:${d.column}`;
  const where = [d.file, at].filter(Boolean).join(':');
  const path = d.path ?? d.field;
  return `${where ? `${where} ` : ''}${path ? `${path}: ` : ''}${d.reason} [${d.code}]`;
}
