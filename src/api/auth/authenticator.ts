import { CredenceError } from '../../core/errors/index.js';
import { specialCategoryOf } from '../../core/rulebook/names.js';
import { specialSource } from '../../ingest/special-fields.js';
import { hashKey, sameDigest, tokenDigest, verifyKey } from './key-hash.js';
import type { KeyStore, StoredKey } from './key-store.js';
import { bearerToken, KEY_ID_LENGTH, newKeyToken, parseKeyToken } from './key-token.js';
import {
  DEFAULT_RATE,
  OPTIONAL_SCOPES,
  type Principal,
  ROLE_PREFIX,
  ROLE_SCOPES,
  type Role,
  type Scope,
} from './roles.js';

/** Characters a key's name may not hold: controls (line breaks among them) and bidi formatting. */
const UNREADABLE = /[\p{Cc}\p{Bidi_Control}]/u;

/** Which role each binding belongs to. */
const BINDINGS: readonly (readonly ['purposes' | 'source' | 'subject', Role])[] = [
  ['purposes', 'relying-party'],
  ['source', 'furnisher'],
  ['subject', 'person'],
];

/**
 * How long a verified key is trusted without looking at its row again. A change to any key by
 * another process is seen sooner, on the next request after it committed (see `KeyCommits`); this
 * is the bound for a store that cannot tell (`KeyStore.version` absent).
 */
const CACHE_MS = 30_000;

/**
 * Commits by other connections on the keys' file (`DataWatch` over `PRAGMA data_version`): `turn`
 * asks SQLite at most once per turn of the event loop, `read` now.
 */
export interface KeyCommits {
  turn(): number;
  read(): number;
}

interface CacheEntry {
  readonly principal: Principal;
  /** SHA-256 of the token that passed scrypt: only that token matches it. */
  readonly digest: string;
  /** The stored hash it passed: while the row still holds it, the token needs no scrypt again. */
  readonly hash: string;
  readonly until: number;
  /** `#epoch` when the row was read: an entry of an older epoch is read again before it is used. */
  readonly epoch: number;
}

export interface IssueKeyInput {
  readonly role: Role;
  readonly name: string;
  readonly scopes?: readonly Scope[];
  readonly purposes?: readonly string[];
  readonly source?: string;
  readonly subject?: string;
  readonly rate?: number;
}

/**
 * Checks bearer tokens. scrypt runs once per key per process (and again when the key's stored hash
 * changed); after that a request costs one SHA-256 of the token compared with the cached digest,
 * so the hot path stays in microseconds without keeping any token in memory. The key's row is read
 * again after `CACHE_MS`, and on the next request after another process changed any key.
 *
 * @example
 * const auth = new Authenticator(keys, Date.now);
 * const { token } = await auth.issue({ role: 'relying-party', name: 'Acme Rentals', purposes: ['tenancy'] });
 * await auth.authenticate(`Bearer ${token}`) // Principal of Acme Rentals
 */
export class Authenticator {
  readonly #keys: KeyStore;
  readonly #clock: () => number;
  readonly #cache = new Map<string, CacheEntry>();
  readonly #commits: KeyCommits | undefined;
  /** The `commits` reading the key version was last checked at. */
  #commitsSeen: number | undefined;
  /** `KeyStore.version` as last read. */
  #version: number | undefined;
  /** Moves when the key version moved: every cached entry is then read again before use. */
  #epoch = 0;

  /**
   * `commits`: the server's watch over `PRAGMA data_version` on the keys' connection. Given it (and
   * a store with a `version`), a key revoked or changed by another process is refused on the
   * server's next request after that process committed, not only once the cache entry ages out.
   */
  constructor(keys: KeyStore, clock: () => number, commits?: KeyCommits) {
    this.#keys = keys;
    this.#clock = clock;
    this.#commits = keys.version ? commits : undefined;
    // data_version read before the key version: a commit after this reading moves it.
    this.#commitsSeen = this.#commits?.read();
    this.#version = this.#commits ? keys.version?.() : undefined;
  }

  /**
   * Notices a change to the keys by another connection. The hot path: the score route asks the same
   * `turn()` anyway, so while no other connection commits this costs no statement; after one has,
   * one single-row read of the key version, and a new epoch when it moved. Keys written by this
   * server move the version too (seen at the next foreign commit): only a read of each cached row
   * then, no scrypt.
   */
  #sync(): void {
    if (this.#commits === undefined) return;
    const seen = this.#commits.turn();
    if (seen === this.#commitsSeen) return;
    this.#commitsSeen = seen;
    const v = this.#keys.version?.();
    if (v !== this.#version) {
      this.#version = v;
      this.#epoch++;
    }
  }

  /**
   * The principal of a token verified recently, without waiting: the hot path of every request.
   * Undefined when the token is not in the cache (then `authenticate` decides, and may refuse).
   */
  cached(header: string | undefined): Principal | undefined {
    const token = bearerToken(header);
    if (token === undefined) return undefined;
    // The key id follows `cred_<role>_`. The full pattern is not matched here: a token that is not
    // well formed finds no entry, or fails the digest, which only the verified token itself has
    // (then `authenticate` decides, and refuses it as before).
    const u = token.indexOf('_', 5);
    if (u < 0) return undefined;
    const hit = this.#cache.get(token.slice(u + 1, u + 1 + KEY_ID_LENGTH));
    if (!hit) return undefined;
    this.#sync();
    if (hit.epoch !== this.#epoch || hit.until <= this.#clock()) return undefined;
    return sameDigest(hit.digest, tokenDigest(token)) ? hit.principal : undefined;
  }

  /**
   * Whether this exact token was verified before in this process, even if its entry is stale:
   * the failed-authentication limit lets it through, so clients failing from the same address, or
   * someone guessing at the same key id, never lock out the key's own holder. (Only the holder's
   * token has the digest; a revoked or deleted key is still refused by `authenticate`.)
   */
  verifiedBefore(header: string | undefined): boolean {
    const token = bearerToken(header);
    if (token === undefined) return false;
    const parsed = parseKeyToken(token);
    const hit = parsed ? this.#cache.get(parsed.keyId) : undefined;
    return hit !== undefined && sameDigest(hit.digest, tokenDigest(token));
  }

  /** Whether a key (active or revoked) has this id: failed attempts are counted against it then. */
  keyExists(keyId: string): boolean {
    return this.#keys.get(keyId) !== undefined;
  }

  /** The principal behind an `Authorization` header, or CREDENCE_E_UNAUTHENTICATED. */
  async authenticate(header: string | undefined): Promise<Principal> {
    if (header === undefined || header === '') {
      throw new CredenceError('CREDENCE_E_UNAUTHENTICATED', 'missing Authorization: Bearer <API key>', {
        field: 'authorization',
      });
    }
    const token = bearerToken(header) ?? '';
    const parsed = parseKeyToken(token);
    if (!parsed) {
      // A key sent bare, or under another scheme, is told how to send it (not whether it is valid).
      const bare = header.trim();
      const misplaced = parseKeyToken(bare) ?? parseKeyToken(bare.slice(bare.indexOf(' ') + 1).trim());
      throw new CredenceError(
        'CREDENCE_E_UNAUTHENTICATED',
        misplaced && token === ''
          ? 'the Authorization header carries an API key without the Bearer scheme: send Authorization: Bearer <API key>'
          : 'the Authorization header does not carry a Credence API key',
        {
          field: 'authorization',
        },
      );
    }
    const now = this.#clock();
    const digest = tokenDigest(token);
    this.#sync();
    const epoch = this.#epoch;
    const hit = this.#cache.get(parsed.keyId);
    const known = hit !== undefined && sameDigest(hit.digest, digest);
    if (known && hit.until > now && hit.epoch === epoch) return hit.principal;
    const stored = this.#keys.get(parsed.keyId);
    if (!stored || stored.revokedAt !== null || ROLE_PREFIX[stored.role] !== parsed.prefix) {
      // Forgotten only when the key is gone: a token sent with another role's prefix says nothing
      // about the key, and dropping it here let anyone evict a valid key from the cache (its next
      // request then paid scrypt again, and faced the failed-authentication limit).
      if (!stored || stored.revokedAt !== null) this.#cache.delete(parsed.keyId);
      throw new CredenceError('CREDENCE_E_UNAUTHENTICATED', 'unknown or revoked API key', {
        field: 'authorization',
      });
    }
    // The token that passed scrypt against this very hash before (its digest matches): the row
    // still holds it and is not revoked, so the token is still good, whatever else changed in it
    // (read again here, not kept from before).
    if (known && hit.hash === stored.hash) return this.#remember(stored, digest, now, epoch);
    if (!(await verifyKey(token, stored.hash))) {
      // The token verified before, but the row holds another hash now: no longer the key's holder
      // (nor exempt from the failed-authentication limit). Another token cannot evict the entry.
      if (known) this.#cache.delete(parsed.keyId);
      throw new CredenceError('CREDENCE_E_UNAUTHENTICATED', 'unknown or revoked API key', {
        field: 'authorization',
      });
    }
    // scrypt takes a while: the key may have been revoked meanwhile (by this server, or by another
    // process whose commit a request of this wait has seen already); the row as it is now decides.
    const after = this.#keys.get(parsed.keyId);
    if (!after || after.revokedAt !== null || after.hash !== stored.hash || after.role !== stored.role) {
      this.#cache.delete(parsed.keyId);
      throw new CredenceError('CREDENCE_E_UNAUTHENTICATED', 'unknown or revoked API key', {
        field: 'authorization',
      });
    }
    return this.#remember(after, digest, now, this.#epoch);
  }

  /** Caches a key just read from the store (at `epoch`) for the token with `digest`. */
  #remember(stored: StoredKey, digest: string, now: number, epoch: number): Principal {
    const principal = toPrincipal(stored);
    this.#cache.set(stored.keyId, { principal, digest, hash: stored.hash, until: now + CACHE_MS, epoch });
    return principal;
  }

  /**
   * Creates a key and returns its token: the only time the token is ever visible. `within` runs in
   * the transaction that stores the key (a retry's record, `IdempotentWrites`): when it throws, no
   * key is stored.
   */
  async issue(
    input: IssueKeyInput,
    within?: (issued: { token: string; key: Principal }) => void,
  ): Promise<{ token: string; key: Principal }> {
    // The name is what a person reads as who asked about them: a line break or a bidirectional
    // override would show them a name the key never had.
    const hidden = UNREADABLE.exec(input.name)?.[0];
    if (hidden !== undefined) {
      throw new CredenceError(
        'CREDENCE_E_USAGE',
        `a key's name may not hold control or bidirectional formatting characters (U+${(hidden.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}): people read it in their inquiry list as who asked`,
        { field: 'name' },
      );
    }
    // A binding of another role (purposes on a furnisher key, a subject on an operator key) binds
    // nothing: refused by name rather than dropped, so no one believes a key narrower than it is.
    for (const [field, role] of BINDINGS) {
      if (input[field] !== undefined && input.role !== role) {
        throw new CredenceError(
          'CREDENCE_E_USAGE',
          `a ${input.role} key takes no ${field} (only a ${role} key is bound to ${field === 'subject' ? 'a subject' : field === 'source' ? 'a source' : 'purposes'})`,
          { field },
        );
      }
    }
    if (input.role === 'furnisher' && !input.source) {
      throw new CredenceError('CREDENCE_E_USAGE', 'a furnisher key needs the source its facts come from', {
        field: 'source',
      });
    }
    if (input.role === 'furnisher' && (input.source === 'credence' || input.source?.includes('/'))) {
      throw new CredenceError('CREDENCE_E_USAGE', `source "${input.source}" is reserved or malformed`, {
        field: 'source',
      });
    }
    // The hard line: every fact a "city-hospital" source sent would be refused at the door.
    const specialName = input.role === 'furnisher' && input.source ? specialSource(input.source) : undefined;
    if (specialName) {
      throw new CredenceError('CREDENCE_E_FACT_PROHIBITED', 'no key is issued for this source', {}, [
        { code: 'CREDENCE_E_FACT_PROHIBITED', field: 'source', reason: specialName },
      ]);
    }
    if (input.role === 'person' && !input.subject) {
      throw new CredenceError('CREDENCE_E_USAGE', 'a person token needs the subject it is for', {
        field: 'subject',
      });
    }
    const allowed = [...ROLE_SCOPES[input.role], ...OPTIONAL_SCOPES[input.role]];
    // A key with no scope is refused on every route it was meant for: a mistake at issue time, as
    // a relying party without purposes is (below), not a 403 on every request later.
    if (input.scopes !== undefined && input.scopes.length === 0) {
      throw new CredenceError(
        'CREDENCE_E_USAGE',
        `a key needs at least one scope; leave scopes out for a ${input.role} key's defaults (${ROLE_SCOPES[input.role].join(', ')})`,
        { field: 'scopes' },
      );
    }
    const scopes = input.scopes ?? ROLE_SCOPES[input.role];
    const foreign = scopes.filter((s) => !allowed.includes(s));
    if (foreign.length > 0) {
      throw new CredenceError(
        'CREDENCE_E_USAGE',
        `a ${input.role} key cannot hold ${foreign.join(', ')} (allowed: ${allowed.join(', ')})`,
        { field: 'scopes' },
      );
    }
    // Purposes are matched exactly on every query: stored trimmed and once each. A relying party
    // with none could ask nothing, which is a mistake at issue time, not a 403 on every query later.
    const purposes =
      input.role === 'relying-party' ? [...new Set((input.purposes ?? []).map((p) => p.trim()))] : [];
    if (input.role === 'relying-party' && (purposes.length === 0 || purposes.includes(''))) {
      throw new CredenceError(
        'CREDENCE_E_USAGE',
        purposes.length === 0
          ? 'a relying-party key needs the purposes it may ask for (e.g. ["tenancy"])'
          : 'a purpose must not be blank',
        { field: 'purposes' },
      );
    }
    // The hard line: a decision "for" religion or a trade-union check is about what it names.
    const special = purposes.flatMap((p) => {
      const hit = specialCategoryOf(p);
      return hit
        ? [
            {
              code: 'CREDENCE_E_USAGE' as const,
              field: 'purposes',
              reason: `purpose "${p}" names ${hit.what} ("${hit.word}"), special-category data (${hit.category}): Credence answers no query for such a purpose`,
            },
          ]
        : [];
    });
    if (special.length > 0) {
      throw new CredenceError(
        'CREDENCE_E_USAGE',
        'no key is issued for a purpose that names special-category data',
        { field: 'purposes' },
        special,
      );
    }
    const { keyId, token } = newKeyToken(input.role);
    const stored: StoredKey = {
      keyId,
      role: input.role,
      name: input.name,
      scopes: [...scopes],
      purposes,
      source: input.role === 'furnisher' ? (input.source ?? null) : null,
      subject: input.role === 'person' ? (input.subject ?? null) : null,
      rate: input.rate ?? DEFAULT_RATE[input.role],
      hash: await hashKey(token),
      createdAt: this.#clock(),
      revokedAt: null,
    };
    const issued = { token, key: toPrincipal(stored) };
    if (within === undefined) this.#keys.insert(stored);
    else {
      const both = () => {
        this.#keys.insert(stored);
        within(issued);
      };
      if (this.#keys.atomically) this.#keys.atomically(both);
      else both();
    }
    return issued;
  }

  /**
   * Revokes an active key; false when there is none. `within` runs in the revocation's transaction
   * once the key is revoked (its audit entry), so a failure there leaves the key as it was.
   */
  revoke(keyId: string, within?: () => void): boolean {
    this.#cache.delete(keyId);
    const at = this.#clock();
    if (within === undefined) return this.#keys.revoke(keyId, at);
    const both = (): boolean => {
      if (!this.#keys.revoke(keyId, at)) return false;
      within();
      return true;
    };
    return this.#keys.atomically ? this.#keys.atomically(both) : both();
  }

  list(): (Principal & { createdAt: number; revokedAt: number | null })[] {
    return this.#keys
      .list()
      .map((k) => ({ ...toPrincipal(k), createdAt: k.createdAt, revokedAt: k.revokedAt }));
  }

  /** The furnisher keys of a page of the sources that hold one (see `KeyStore.sourceKeys`). */
  sourceKeys(after: string, limit: number): Map<string, (Principal & { revokedAt: number | null })[]> {
    const out = new Map<string, (Principal & { revokedAt: number | null })[]>();
    for (const [source, keys] of this.#keys.sourceKeys(after, limit))
      out.set(
        source,
        keys.map((k) => ({ ...toPrincipal(k), revokedAt: k.revokedAt })),
      );
    return out;
  }

  /** A page of `list` (see `KeyStore.page`): undefined when no key is `after`. */
  page(
    after: string | undefined,
    limit: number,
  ): (Principal & { createdAt: number; revokedAt: number | null })[] | undefined {
    return this.#keys
      .page(after, limit)
      ?.map((k) => ({ ...toPrincipal(k), createdAt: k.createdAt, revokedAt: k.revokedAt }));
  }
}

function toPrincipal(k: StoredKey): Principal {
  return {
    keyId: k.keyId,
    role: k.role,
    name: k.name,
    scopes: k.scopes,
    purposes: k.purposes,
    source: k.source,
    subject: k.subject,
    rate: k.rate,
  };
}
