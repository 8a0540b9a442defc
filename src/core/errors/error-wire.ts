import type { ErrorCode } from './catalogue.js';
import { CredenceError, type ErrorDetail } from './credence-error.js';

/** An error as it crosses a thread boundary: a `CredenceError` keeps its code and details. */
export interface WireError {
  readonly code?: ErrorCode;
  readonly message: string;
  readonly details?: readonly ErrorDetail[];
  readonly stack?: string;
}

/** What a worker posts for an error it caught. */
export function errorToWire(e: unknown): WireError {
  if (e instanceof CredenceError) return { code: e.code, message: e.message, details: e.details };
  if (e instanceof Error) return { message: e.message, ...(e.stack !== undefined ? { stack: e.stack } : {}) };
  return { message: String(e) };
}

/** The `CredenceError` a worker reported, or undefined when it reported some other error. */
export function credenceErrorFromWire(w: WireError): CredenceError | undefined {
  return w.code
    ? new CredenceError(w.code, w.message, {}, w.details ? [...w.details] : undefined)
    : undefined;
}
