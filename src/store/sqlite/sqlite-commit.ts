import { CredenceError } from '../../core/errors/index.js';
import { bodyDigest } from '../fact-digest.js';
import type { CommitBatch, CommitReceipt, IdentityWrites } from '../store.js';
import { applyIdentityWrites, type IdentityStatements } from './sqlite-identity.js';
import type { Statements } from './sqlite-statements.js';

/** The form of the person ids Credence hands out (`generatedSubjectId`). */
const GENERATED_SUBJECT_ID = /^P\d{7,}$/;

/**
 * Applies one commit batch inside the caller's transaction. Shared by the store's own
 * connection and the write-behind worker's (`sqlite-writer-worker.ts`), so both write the same
 * rows in the same order.
 */
export function applyCommitBatch(s: Statements, is: () => IdentityStatements, b: CommitBatch): CommitReceipt {
  for (const id of b.subjects ?? []) {
    // A generated id (`P0000123`, as exact-resolver.ts writes them) is the next number by the
    // writing process's count of persons. Another process writing to the file since it counted
    // (a server beside a CLI ingest) may have given it to someone else: taken as the same person,
    // two people's facts went under one id. The batch is refused whole instead; a run again
    // counts afresh, and skips what is stored. A source's own id (`subjectId`) is one person by
    // definition, whoever stores it first.
    if (s.insertSubject.run(id).changes === 0 && GENERATED_SUBJECT_ID.test(id)) {
      throw new CredenceError(
        'CREDENCE_E_STATE',
        `person ${id} was created meanwhile by another process writing to this database, so nothing of this batch was stored: run the same command (or send the same request) again; what is stored is skipped`,
        { field: 'subject' },
      );
    }
  }
  for (const i of b.identifiers ?? []) s.insertIdentifier.run(i.kind, i.value, i.subject);
  let facts = 0;
  for (const f of b.facts ?? []) {
    s.insertFact.run(
      f.source,
      f.id,
      f.subject,
      f.type,
      f.at,
      f.body,
      f.hash ?? bodyDigest(f.body),
      f.retracts,
      f.receivedAt,
    );
    facts++;
  }
  if (b.identity) applyIdentityWrites(is(), b.identity as IdentityWrites);
  for (const c of b.consents ?? []) s.insertConsent.run(c.subject, c.program, c.action, c.at, c.factKey);
  for (const k of b.consentDeletes ?? []) s.deleteConsent.run(k);
  for (const p of b.clearLedgers ?? []) {
    s.clearLedger.run(p.subject, p.program);
    s.deleteScore.run(p.subject, p.program);
  }
  for (const k of b.ledgerDeletes ?? []) s.deleteLedger.run(k.subject, k.program, k.factKey, k.ruleId);
  let ledgerRows = 0;
  for (const l of b.ledgerUpserts ?? []) {
    s.upsertLedger.run(
      l.subject,
      l.program,
      l.factKey,
      l.ruleId,
      l.at,
      l.points,
      l.raw,
      l.dimension,
      l.reasonCode,
    );
    ledgerRows++;
  }
  for (const r of b.scores ?? []) {
    s.upsertScore.run(r.subject, r.program, r.version, r.asOf, r.status, r.score, r.tier, r.reason);
  }
  return { facts, ledgerRows };
}
