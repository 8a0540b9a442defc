/** The four kinds of API client. */
export type Role = 'furnisher' | 'relying-party' | 'person' | 'operator';

export const ROLES: readonly Role[] = ['furnisher', 'relying-party', 'person', 'operator'];

/** The token prefix per role: `cred_<prefix>_<key id><secret>`. */
export const ROLE_PREFIX: Readonly<Record<Role, string>> = {
  furnisher: 'furnisher',
  'relying-party': 'rp',
  person: 'person',
  operator: 'operator',
};

/**
 * Scopes a key may hold. A route names the one it needs; a key gets its role's defaults unless
 * the operator narrows them when issuing it.
 */
export const SCOPES = [
  'facts:write',
  'facts:read',
  'consent:write',
  'scores:read',
  'decisions:read',
  'screen:read',
  'self:read',
  'self:write',
  'programs:admin',
  'disputes:admin',
  'identity:admin',
  'keys:admin',
  'audit:read',
] as const;

export type Scope = (typeof SCOPES)[number];

export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  furnisher: ['facts:write', 'facts:read'],
  'relying-party': ['scores:read', 'decisions:read', 'screen:read'],
  person: ['self:read', 'self:write'],
  operator: ['programs:admin', 'disputes:admin', 'identity:admin', 'keys:admin', 'audit:read'],
};

/**
 * Scopes a role may be given on top of its defaults: `consent:write` lets an enrolment desk (a
 * furnisher) record people's opt-in and opt-out facts (`credence.opt_in`, `credence.opt_out`).
 */
export const OPTIONAL_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  furnisher: ['consent:write'],
  'relying-party': [],
  person: [],
  operator: [],
};

/** Requests per second a key may make unless issued with its own limit (bursts up to twice this). */
export const DEFAULT_RATE: Readonly<Record<Role, number>> = {
  furnisher: 50,
  'relying-party': 200,
  person: 10,
  operator: 50,
};

/** Who is calling, once the key checked out. */
export interface Principal {
  readonly keyId: string;
  readonly role: Role;
  readonly name: string;
  readonly scopes: readonly Scope[];
  /** Relying parties: the purposes they may state. */
  readonly purposes: readonly string[];
  /** Furnishers: the source their facts must name. */
  readonly source: string | null;
  /** Persons: the subject the token is for. */
  readonly subject: string | null;
  /** Requests per second. */
  readonly rate: number;
}
