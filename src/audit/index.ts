export {
  type AuditEntry,
  type AuditInput,
  entryHash,
  GENESIS_HASH,
  sealEntry,
  sealedText,
} from './audit-entry.js';
export type { AppendDone, AuditLog, AuditQuery } from './audit-log.js';
export {
  type AuditProblem,
  type AuditProblemKind,
  AuditVerifier,
  type AuditVerifyReport,
  withPublishedHead,
} from './audit-verify.js';
export { auditSchema, openSqliteAuditLog, SqliteAuditLog } from './sqlite/index.js';
