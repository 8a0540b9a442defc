import { userInfo } from 'node:os';
import { openSqliteAuditLog } from '../audit/index.js';

/** Who the audit log names for a command run at this terminal: `cli:<user>`. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** Appends one entry by the CLI's user to the audit log in the database at `path`. */
export async function appendCliAudit(
  path: string,
  entry: { readonly action: string; readonly subject?: string; readonly detail: Record<string, unknown> },
): Promise<void> {
  const log = await openSqliteAuditLog(path);
  try {
    await log.append({ at: Date.now(), actor: cliActor(), ...entry });
  } finally {
    await log.close();
  }
}
