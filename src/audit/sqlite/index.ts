export { openSqliteAuditLog, SqliteAuditLog } from './sqlite-audit-log.js';
export { auditSchema } from './sqlite-audit-schema.js';
