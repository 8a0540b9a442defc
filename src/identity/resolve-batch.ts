import { type EstimateOptions, estimateModel } from './match/em.js';
import type { MatchModel } from './match/model.js';
import { type Profile, type ProfileOptions, profileSignature, toProfile } from './profile.js';
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
  const profiles = records.map((r) => toProfile(r, opts.profile));
  const model = opts.model ?? estimateModel(distinct(profiles), opts.estimate);
  const resolver = new Resolver({ ...opts, model });
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
  const seen = new Set<string>();
  const out: Profile[] = [];
  for (const p of profiles) {
    const key = profileSignature(p);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}
