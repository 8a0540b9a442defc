import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { CredenceError } from '../../core/errors/index.js';
import { canonicalJson } from '../../ingest/canonical.js';
import { VISIBLE_ASCII } from '../schemas/common.js';

/** How long a write's first answer is kept for its retries (a day, as payment APIs keep theirs). */
export const IDEMPOTENCY_KEEP_MS = 24 * 3_600_000;

/**
 * The optional `Idempotency-Key` header of a write that creates something (a key, a rulebook
 * draft): a retry with the same key gets the first answer back and creates nothing new.
 */
export const IdempotencyHeaders = Type.Object(
  {
    'idempotency-key': Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 255,
        pattern: VISIBLE_ASCII,
        description:
          'Any text of your choosing (a UUID), up to 255 visible ASCII characters. A retry with the same key and body, by the same API key within 24 hours, answers the first answer again (header idempotent-replayed: true) and creates nothing; the same key with another body is 409 CREDENCE_E_STATE.',
      }),
    ),
  },
  { additionalProperties: true },
);

interface Row {
  request: string;
  answer: string;
}

/** The AES key an answer is sealed with: from the caller's own token, which is never stored. */
function sealKey(token: string, salt: Buffer, route: string, key: string): Buffer {
  return Buffer.from(hkdfSync('sha256', token, salt, `credence idempotency\n${route}\n${key}`, 32));
}

/**
 * Writes that create something, made safe to retry. A client whose answer was lost (a timeout, a
 * dropped connection) sends the same request again with the same `Idempotency-Key`; without one a
 * retry created a second API key, or a second draft. Each first answer is stored in
 * `api_idempotency` under (caller's key id, route, Idempotency-Key) in the same transaction as what
 * it created, so either both are stored or neither. The answer is kept sealed (AES-256-GCM under a
 * key derived from the caller's bearer token, never stored): an issued API key's token is in the
 * answer, and the file must not hold a token in the clear, so only the caller that asked can read
 * it back. Rows older than 24 hours are deleted as new ones are written.
 *
 * @example
 * const writes = new IdempotentWrites(db);
 * const { answer, replayed } = await writes.run(req, 'POST /v1/keys', (store) => issue(store));
 */
export class IdempotentWrites {
  readonly #get: Database.Statement;
  readonly #put: Database.Statement;
  readonly #prune: Database.Statement;
  readonly #clock: () => number;
  /** Writes running now in this process, by caller, route and key: a retry waits for the first. */
  readonly #running = new Map<string, Promise<unknown>>();

  constructor(db: Database.Database, clock: () => number) {
    this.#get = db.prepare(
      'SELECT request, answer FROM api_idempotency WHERE caller = ? AND route = ? AND idem_key = ? AND created_at >= ?',
    );
    this.#put = db.prepare(
      `INSERT INTO api_idempotency (caller, route, idem_key, request, answer, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (caller, route, idem_key) DO NOTHING`,
    );
    this.#prune = db.prepare('DELETE FROM api_idempotency WHERE created_at < ?');
    this.#clock = clock;
  }

  /**
   * Runs `write` once per Idempotency-Key. `write` calls `store(answer)` inside the transaction
   * that commits what it creates; a repeated request is answered from the stored answer, and a
   * key reused with another body is refused (`409 CREDENCE_E_STATE`, field `headers.idempotency-key`).
   * A request without the header runs `write` as before.
   */
  async run<T>(
    req: FastifyRequest,
    route: string,
    write: (store: (answer: T) => void) => Promise<T>,
  ): Promise<{ answer: T; replayed: boolean }> {
    const header = req.headers['idempotency-key'];
    const key = typeof header === 'string' ? header : undefined;
    const caller = req.principal?.keyId;
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (key === undefined || caller === undefined || token === undefined) {
      return { answer: await write(() => {}), replayed: false };
    }
    const request = createHash('sha256')
      // Two bodies that say the same thing (keys in another order) are the same request.
      .update(canonicalJson(req.body ?? null))
      .digest('hex');
    const slot = `${caller}\n${route}\n${key}`;
    // A retry sent while the first is still running waits for it, then reads its answer.
    for (let waited = this.#running.get(slot); waited !== undefined; waited = this.#running.get(slot)) {
      await waited.catch(() => {});
    }
    const stored = this.#read<T>(caller, route, key, request, token);
    if (stored !== undefined) return { answer: stored, replayed: true };
    const store = (answer: T): void => {
      const now = this.#clock();
      const salt = randomBytes(16);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', sealKey(token, salt, route, key), iv);
      const sealed = Buffer.concat([cipher.update(JSON.stringify(answer), 'utf8'), cipher.final()]);
      const blob = Buffer.concat([salt, iv, cipher.getAuthTag(), sealed]).toString('base64');
      this.#prune.run(now - IDEMPOTENCY_KEEP_MS);
      // Another process that stored the same key meanwhile wins: no row changes, and this
      // transaction is undone by the error below (what it created goes with it).
      if (this.#put.run(caller, route, key, request, blob, now).changes !== 1) {
        throw new LostRace();
      }
    };
    const running = write(store);
    this.#running.set(slot, running);
    try {
      return { answer: await running, replayed: false };
    } catch (e) {
      if (!(e instanceof LostRace)) throw e;
      const first = this.#read<T>(caller, route, key, request, token);
      if (first === undefined) throw new CredenceError('CREDENCE_E_INTERNAL', 'idempotent write lost');
      return { answer: first, replayed: true };
    } finally {
      if (this.#running.get(slot) === running) this.#running.delete(slot);
    }
  }

  #read<T>(caller: string, route: string, key: string, request: string, token: string): T | undefined {
    const row = this.#get.get(caller, route, key, this.#clock() - IDEMPOTENCY_KEEP_MS) as Row | undefined;
    if (row === undefined) return undefined;
    if (row.request !== request) {
      throw new CredenceError(
        'CREDENCE_E_STATE',
        `Idempotency-Key "${key}" was used for another request to ${route} by this key: send a new key for a new request`,
        { field: 'headers.idempotency-key' },
      );
    }
    const blob = Buffer.from(row.answer, 'base64');
    const decipher = createDecipheriv(
      'aes-256-gcm',
      sealKey(token, blob.subarray(0, 16), route, key),
      blob.subarray(16, 28),
    );
    decipher.setAuthTag(blob.subarray(28, 44));
    const text = Buffer.concat([decipher.update(blob.subarray(44)), decipher.final()]).toString('utf8');
    return JSON.parse(text) as T;
  }
}

/** Another process stored the same Idempotency-Key first. */
class LostRace extends Error {}
