import { CredenceError } from '../../core/errors/index.js';
import { GENERATED_ID } from '../../core/facts/subject-id.js';
import { bodyDigest } from '../fact-digest.js';
import type { CommitBatch, CommitReceipt, IdentityWrites } from '../store.js';
import { FactSealDelta } from './fact-seal.js';
import { applyIdentityWrites, type IdentityStatements } from './sqlite-identity.js';
import type { Statements } from './sqlite-statements.js';
import { TableSealDelta } from './table-seal.js';

/**
 * Whether `e` is one of the refusals below: a person id this batch gave, or a fact it judged new,
 * was stored by another process meanwhile. Nothing of the batch was stored, so judging it again
 * (afresh, reading what the other process stored) is safe.
 */
export function storedMeanwhile(e: unknown): boolean {
  const c = e as { code?: unknown; details?: readonly { field?: unknown }[] } | null;
  const field = c?.details?.[0]?.field;
  return c?.code === 'CREDENCE_E_STATE' && (field === 'subject' || field === 'fact');
}

/**
 * Applies one commit batch inside the caller's transaction. Shared by the store's own
 * connection and the write-behind worker's (`sqlite-writer-worker.ts`), so both write the same
 * rows in the same order.
 */
export function applyCommitBatch(s: Statements, is: () => IdentityStatements, b: CommitBatch): CommitReceipt {
  const sealed = new TableSealDelta();
  for (const id of b.subjects ?? []) {
    // A generated id (`P0000123`) is the next number by the
    // writing process's count of persons. Another process writing to the file since it counted
    // (a server beside a CLI ingest) may have given it to someone else: taken as the same person,
    // two people's facts went under one id. The batch is refused whole instead; a run again
    // counts afresh, and skips what is stored. A source's own id (`subjectId`) is one person by
    // definition, whoever stores it first.
    const added = s.insertSubject.run(id).changes > 0;
    if (added) sealed.add('subjects', [id]);
    else if (GENERATED_ID.test(id)) {
      throw new CredenceError(
        'CREDENCE_E_STATE',
        `person ${id} was created meanwhile by another process writing to this database, so nothing of this batch was stored: run the same command (or send the same request) again; what is stored is skipped`,
        { field: 'subject' },
      );
    }
  }
  for (const i of b.identifiers ?? []) {
    // Taken only when new: an identifier already stored keeps its person (the store's first word).
    if (s.insertIdentifier.run(i.kind, i.value, i.subject).changes > 0)
      sealed.add('identifiers', [i.kind, i.value, i.subject]);
  }
  let facts = 0;
  const seal = new FactSealDelta();
  for (const f of b.facts ?? []) {
    const hash = f.hash ?? bodyDigest(f.body);
    const stored = s.insertFact.run(
      f.source,
      f.id,
      f.subject,
      f.type,
      f.at,
      f.body,
      hash,
      f.retracts,
      f.receivedAt,
    );
    if (stored.changes === 0) {
      // The batch was judged before another process writing to the file (a second server sent
      // the same batch by a retrying client, a CLI ingest of the same file) stored this fact: its
      // ledger lines and person were decided without it. Refused whole, like a taken person id;
      // judged again, the fact is a duplicate (or a conflict) by what is stored.
      throw new CredenceError(
        'CREDENCE_E_STATE',
        `fact ${f.source}/${f.id} was stored meanwhile by another process writing to this database, so nothing of this batch was stored: run the same command (or send the same request) again; what is stored is skipped`,
        { field: 'fact' },
      );
    }
    const seq = stored.lastInsertRowid;
    seal.add([Number(seq), f.source, f.id, f.type ?? null, f.at, hash, f.retracts ?? null, f.receivedAt]);
    sealed.add('fact_subjects', [Number(seq), f.subject]);
    facts++;
  }
  seal.commit(s.seal);
  if (b.identity) applyIdentityWrites(is(), b.identity as IdentityWrites, sealed);
  for (const c of b.consents ?? []) s.insertConsent.run(c.subject, c.program, c.action, c.at, c.factKey);
  for (const k of b.consentDeletes ?? []) s.deleteConsent.run(k);
  for (const p of b.clearLedgers ?? []) {
    sealed.removeAll('ledger', s.clearLedger.all(p.subject, p.program));
    sealed.removeAll('scores', s.deleteScore.all(p.subject, p.program));
  }
  for (const k of b.ledgerDeletes ?? [])
    sealed.removeAll('ledger', s.deleteLedger.all(k.subject, k.program, k.factKey, k.ruleId));
  // The hard line, held here whoever judged the batch: no ledger and no score for a person in a
  // program they opted out of. A process that judged its batch before another one stored the
  // opt-out (an import beside `credence consent` or the API) would otherwise keep scoring them.
  const out = optedOut(s, b, sealed);
  let ledgerRows = 0;
  for (const l of b.ledgerUpserts ?? []) {
    if (out?.has(`${l.subject}\u0000${l.program}`)) continue;
    sealed.replacing('ledger', s.tableSeal.ledgerRow.get(l.subject, l.program, l.factKey, l.ruleId));
    // In the columns' order: the row written is the row sealed.
    const row = [
      l.subject,
      l.program,
      l.factKey,
      l.ruleId,
      l.at,
      l.points,
      l.raw,
      l.dimension ?? null,
      l.reasonCode,
    ] as const;
    s.upsertLedger.run(...row);
    sealed.add('ledger', row);
    ledgerRows++;
  }
  for (const r of b.scores ?? []) {
    if (r.status === 'scored' && out?.has(`${r.subject}\u0000${r.program}`)) continue;
    sealed.replacing('scores', s.tableSeal.scoreRow.get(r.subject, r.program));
    const row = [
      r.subject,
      r.program,
      r.version,
      r.asOf,
      r.status,
      r.score ?? null,
      r.tier ?? null,
      r.reason ?? null,
    ] as const;
    s.upsertScore.run(...row);
    sealed.add('scores', row);
  }
  sealed.commit(s.tableSeal);
  return { facts, ledgerRows };
}

/**
 * The (person, program) pairs of a batch's ledger rows and scores whose latest consent, this
 * batch's included, is an opt-out; undefined when there is none (the common case).
 */
function optedOut(s: Statements, b: CommitBatch, sealed: TableSealDelta): Set<string> | undefined {
  let out: Set<string> | undefined;
  const seen = new Set<string>();
  const check = (subject: string, program: string): void => {
    const k = `${subject}\u0000${program}`;
    if (seen.has(k)) return;
    seen.add(k);
    if (s.latestConsent.get(subject, program) === 'opt-out') {
      out ??= new Set();
      out.add(k);
      // What an earlier batch of the same process stored for them goes too.
      sealed.removeAll('ledger', s.clearLedger.all(subject, program));
      sealed.removeAll('scores', s.deleteScore.all(subject, program));
    }
  };
  for (const l of b.ledgerUpserts ?? []) check(l.subject, l.program);
  for (const r of b.scores ?? []) if (r.status === 'scored') check(r.subject, r.program);
  return out;
}
