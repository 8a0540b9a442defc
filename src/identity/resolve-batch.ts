import { type EstimateOptions, estimateModel } from './match/em.js';
import type { MatchModel } from './match/model.js';
import { type Profile, type ProfileOptions, profileHash, sameProfile, toProfile } from './profile.js';
import { Resolver } from './resolver.js';
import type { ResolverOptions } from './resolver-types.js';
import type { PersonRecord, Resolution } from './types.js';

export interface BatchOptions extends Omit<ResolverOptions, 'model'> {
  /** Use this model; otherwise one is estimated from the records themselves (EM, no labels). */
  model?: MatchModel;
  estimate?: EstimateOptions;
  profile?: ProfileOptions;
  /** Field evidence in each result (default true); `Resolver.explain` gives it later. */
  evidence?: boolean;
}

/**
 * Resolves a whole file of records at once: estimates the model from the data when none is
 * given, then links and deduplicates every record. It runs the same resolution as
 * `Resolver.resolve` in input order, so batch and incremental give the same persons; each
 * result carries the person the record belongs to at the end.
 *
 * @example
 * const res = resolveBatch(records);
 * res.map((r) => [r.recordId, r.subjectId]);
 */
export function resolveBatch(records: readonly PersonRecord[], opts: BatchOptions = {}): Resolution[] {
  return resolveProfiles(
    records,
    records.map((r) => toProfile(r, opts.profile)),
    opts,
  );
}

/** The model a batch uses: the given one, or one estimated from its distinct profiles. */
export function batchModel(profiles: readonly Profile[], opts: BatchOptions = {}): MatchModel {
  return opts.model ?? estimateModel(distinct(profiles), opts.estimate);
}

function resolveProfiles(
  records: readonly PersonRecord[],
  profiles: readonly Profile[],
  opts: BatchOptions,
): Resolution[] {
  const resolver = new Resolver({ ...opts, model: batchModel(profiles, opts) });
  const evidence = opts.evidence !== false;
  const out = records.map((r, i) => resolver.resolve(r, { evidence, profile: profiles[i] as Profile }));
  for (const res of out) res.subjectId = resolver.subjectOf(res.recordId) as string;
  return out;
}

/** Estimates a model from records (distinct normalised profiles), as `resolveBatch` does. */
export function trainModel(records: readonly PersonRecord[], opts: BatchOptions = {}): MatchModel {
  return estimateModel(distinct(records.map((r) => toProfile(r, opts.profile))), opts.estimate);
}

function distinct(profiles: readonly Profile[]): Profile[] {
  // By hash, then field by field: no signature string per record (a million of them at scale).
  const seen = new Map<number, number | number[]>();
  const out: Profile[] = [];
  for (const p of profiles) {
    const h = profileHash(p);
    const at = seen.get(h);
    if (at === undefined) seen.set(h, out.length);
    else if (typeof at === 'number') {
      if (sameProfile(out[at] as Profile, p)) continue;
      seen.set(h, [at, out.length]);
    } else {
      if (at.some((k) => sameProfile(out[k] as Profile, p))) continue;
      at.push(out.length);
    }
    out.push(p);
  }
  return out;
}
