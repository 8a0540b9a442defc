import { bodyDigest } from '../fact-digest.js';
import type { CommitBatch, CommitReceipt, IdentityWrites } from '../store.js';
import { applyIdentityWrites, type IdentityStatements } from './sqlite-identity.js';
import type { Statements } from './sqlite-statements.js';

/**
 * Applies one commit batch inside the caller's transaction. Shared by the store's own
 * connection and the write-behind worker's (`sqlite-writer-worker.ts`), so both write the same
 * rows in the same order.
 */
export function applyCommitBatch(s: Statements, is: () => IdentityStatements, b: CommitBatch): CommitReceipt {
  for (const id of b.subjects ?? []) s.insertSubject.run(id);
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
