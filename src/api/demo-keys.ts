import type { ApiContext } from './context.js';

export interface DemoKeys {
  readonly operator: string;
  readonly furnisher: { readonly source: string; readonly token: string };
  readonly relyingParty: { readonly purposes: readonly string[]; readonly token: string };
  readonly person: { readonly subject: string; readonly token: string } | undefined;
  /** A loaded program to try the score query with (one everyone is enrolled in, if any). */
  readonly program: string | undefined;
}

/**
 * Keys to try the demo with: an operator, a furnisher for one source, a relying party with two
 * purposes and a person token for the first person. Fresh keys on every start (tokens are only
 * ever shown once).
 *
 * @example
 * const keys = await issueDemoKeys(ctx, { source: 'shop' });
 */
export async function issueDemoKeys(ctx: ApiContext, opts: { source?: string } = {}): Promise<DemoKeys> {
  const source = opts.source ?? 'shop';
  const purposes = ['tenancy', 'credit'];
  const operator = await ctx.auth.issue({ role: 'operator', name: 'Demo operator' });
  const furnisher = await ctx.auth.issue({ role: 'furnisher', name: `Demo furnisher (${source})`, source });
  const rp = await ctx.auth.issue({ role: 'relying-party', name: 'Demo Rentals Ltd', purposes });
  const first = (await ctx.app.store.subjectsPage('', 1))[0];
  const person = first
    ? await ctx.auth.issue({ role: 'person', name: `Person ${first}`, subject: first })
    : undefined;
  await ctx.audit.append({
    at: ctx.clock(),
    actor: 'system',
    action: 'key.issue',
    detail: {
      demo: true,
      keys: [operator.key.keyId, furnisher.key.keyId, rp.key.keyId, person?.key.keyId ?? null],
    },
  });
  const active = ctx.programs.current.active;
  const program = (active.find((rb) => rb.enrollment === 'opt-out') ?? active[0])?.program;
  return {
    program,
    operator: operator.token,
    furnisher: { source, token: furnisher.token },
    relyingParty: { purposes, token: rp.token },
    person: first && person ? { subject: first, token: person.token } : undefined,
  };
}
