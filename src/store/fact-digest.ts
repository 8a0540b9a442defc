// node:crypto is loaded on the first digest, not when the store module loads: a command that
// only reads (`credence score`) never hashes a body, and loading crypto cost it about 1 ms.
let sha1: typeof import('node:crypto').hash | undefined;

/**
 * The digest kept beside a fact (`facts.hash`): SHA-1 of the body as sent, base64. Re-sent files
 * are byte-identical in practice, so equal digests settle most duplicates without re-serialising.
 * A store computes it from the body when the writer did not, which keeps it off the ingest
 * pipeline's thread for every new fact (only a fact that meets an earlier one needs it there).
 */
export function bodyDigest(body: string): string {
  sha1 ??= process.getBuiltinModule('node:crypto').hash;
  return sha1('sha1', body, 'base64');
}
