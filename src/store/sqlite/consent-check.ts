import type Database from 'better-sqlite3';
import { CONSENT_TYPES } from '../../ingest/event-catalog.js';
import { consentTakesEffect } from '../../ingest/validate.js';

/** What `checkConsents` found: every consent row stands on its fact, or the first that does not. */
export type ConsentCheck =
  | { readonly ok: true; readonly consents: number }
  | { readonly ok: false; readonly path: string; readonly reason: string };

interface Row {
  readonly subject: string;
  readonly program: string;
  readonly action: string;
  readonly at: number;
  readonly factKey: string;
}

/**
 * Holds the consent rows to the consent facts they are derived from (as `credence rebuild`
 * derives them): one row per opt-in or opt-out fact not retracted, under the fact's person, with
 * its program, action and effective time. The facts are sealed (`fact-seal.ts`); the rows are
 * what scoring reads, so an opt-out row deleted from the file would have the person scored again
 * against their word, and one forged would silence someone's score. Run inside the caller's read
 * transaction, after the facts are found intact.
 */
export function checkConsents(db: Database.Database): ConsentCheck {
  const types = Object.keys(CONSENT_TYPES);
  const facts = db
    .prepare(
      `SELECT f.source, f.id, f.subject, f.type, f.at, f.received_at AS receivedAt, f.body FROM facts f
       WHERE f.type IN (${types.map(() => '?').join(', ')}) AND f.retracts IS NULL
         AND NOT EXISTS (SELECT 1 FROM facts r WHERE r.source = f.source AND r.retracts = f.id)`,
    )
    .all(...types) as {
    source: string;
    id: string;
    subject: string;
    type: string;
    at: number;
    receivedAt: number;
    body: string;
  }[];
  const want = new Map<string, Row>();
  for (const f of facts) {
    const program = (JSON.parse(f.body) as { data?: { program?: unknown } }).data?.program;
    if (typeof program !== 'string') continue;
    const factKey = `${f.source}/${f.id}`;
    want.set(`${f.subject}\u0000${program}\u0000${factKey}`, {
      subject: f.subject,
      program,
      action: CONSENT_TYPES[f.type] as string,
      at: consentTakesEffect(f.at, f.receivedAt),
      factKey,
    });
  }
  const rows = db
    .prepare(
      'SELECT subject, program, action, at, fact_key AS factKey FROM consents ORDER BY subject, program, fact_key',
    )
    .all() as Row[];
  const place = (r: Row): string => `consents[subject=${r.subject}, program=${r.program}, fact=${r.factKey}]`;
  for (const r of rows) {
    const key = `${r.subject}\u0000${r.program}\u0000${r.factKey}`;
    const w = want.get(key);
    if (!w) {
      return {
        ok: false,
        path: place(r),
        reason: `an ${r.action} of ${r.subject} in ${r.program} that no consent fact of theirs records (${r.factKey}): written outside Credence`,
      };
    }
    if (w.action !== r.action || w.at !== r.at) {
      return {
        ok: false,
        path: place(r),
        reason: `stored as an ${r.action} at ${new Date(r.at).toISOString()}, but its fact ${r.factKey} records an ${w.action} at ${new Date(w.at).toISOString()}: changed outside Credence`,
      };
    }
    want.delete(key);
  }
  for (const w of want.values()) {
    return {
      ok: false,
      path: place(w),
      reason: `the ${w.action} fact ${w.factKey} of ${w.subject} in ${w.program} has no consent row: deleted outside Credence${
        w.action === 'opt-out' ? ' (the person would be scored again, against their word)' : ''
      }`,
    };
  }
  return { ok: true, consents: rows.length };
}
