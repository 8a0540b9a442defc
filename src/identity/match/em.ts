import { blockingKeys, type Profile } from '../profile.js';
import { BlockIndex } from './block-index.js';
import { C, COMPARISON_COUNT, COMPARISONS, compareProfiles } from './comparisons.js';
import { defaultModel, type MatchModel } from './model.js';
import { TermFrequencies } from './scorer.js';

/** How to estimate a model; every figure has a default fit for tens of thousands of records. */
export interface EstimateOptions {
  /** Random pairs sampled to estimate u (almost all of them are two different people). */
  randomPairs?: number;
  /** At most this many profiles (a deterministic sample) feed the blocked pairs for EM. */
  trainingProfiles?: number;
  iterations?: number;
  seed?: number;
  /** Starting values and thresholds; defaults to `defaultModel()`. */
  start?: MatchModel;
}

/**
 * Estimates a Fellegi–Sunter model without labels, the way Splink does: `u` from random
 * pairs, then `m` and the match share `lambda` by expectation–maximisation over the pairs
 * that blocking proposes; name frequencies over all profiles for the term-frequency adjustment.
 * Policy-fixed levels (valid IDs, the mask) keep their weights.
 *
 * @example
 * const model = estimateModel(records.map((r) => toProfile(r)));
 */
export function estimateModel(profiles: readonly Profile[], opts: EstimateOptions = {}): MatchModel {
  const model = structuredClone(opts.start ?? defaultModel());
  const rand = mulberry32(opts.seed ?? 42);
  const n = profiles.length;
  const tf = new TermFrequencies();
  for (const p of profiles) tf.add(p);
  model.tf = tf.toJSON();
  if (n < 10) return model;

  const levels = new Int8Array(COMPARISON_COUNT);
  // u: level frequencies over random pairs, smoothed so unseen levels keep a small probability.
  const randomPairs = opts.randomPairs ?? Math.min(100_000, Math.max(20_000, n * 4));
  const uCounts = COMPARISONS.map((c) => new Float64Array(c.levels.length));
  for (let k = 0; k < randomPairs; k++) {
    const i = Math.floor(rand() * n);
    let j = Math.floor(rand() * (n - 1));
    if (j >= i) j++;
    compareProfiles(profiles[i] as Profile, profiles[j] as Profile, levels);
    for (let c = 0; c < COMPARISON_COUNT; c++) {
      const l = levels[c] as number;
      if (l >= 0) {
        const arr = uCounts[c] as Float64Array;
        arr[l] = (arr[l] as number) + 1;
      }
    }
  }
  COMPARISONS.forEach((spec, c) => {
    const counts = uCounts[c] as Float64Array;
    const total = counts.reduce((a, b) => a + b, 0);
    if (total < 50) return;
    const mc = model.comparisons[c] as MatchModel['comparisons'][number];
    spec.levels.forEach((level, l) => {
      if (spec.fixed?.[level] !== undefined) return;
      mc.u[l] = ((counts[l] as number) + 0.5) / (total + 0.5 * spec.levels.length);
    });
  });

  // m: EM on the pairs of one blocking rule at a time, leaving out the comparisons that rule
  // fixes (as Splink trains), so pairs that agree only because they were blocked together do
  // not teach the model that agreement means little. Each m is averaged over the sessions
  // that estimated it.
  const limit = opts.trainingProfiles ?? 50_000;
  const sample = n <= limit ? profiles : sampleProfiles(profiles, limit, rand);
  const iterations = opts.iterations ?? 30;
  const sums = model.comparisons.map((c) => c.m.map(() => 0));
  const runs = model.comparisons.map(() => 0);
  for (const session of SESSIONS) {
    const patterns = blockedPatterns(sample, (p) => session.key(p), levels);
    const trained = structuredClone(model);
    if (!runEm(trained, patterns, iterations, new Set(session.excludes), true)) continue;
    trained.comparisons.forEach((c, i) => {
      if (session.excludes.includes(i)) return;
      c.m.forEach((m, l) => {
        (sums[i] as number[])[l] = ((sums[i] as number[])[l] as number) + m;
      });
      runs[i] = (runs[i] as number) + 1;
    });
  }
  model.comparisons.forEach((c, i) => {
    const r = runs[i] as number;
    if (r > 0) c.m = (sums[i] as number[]).map((x) => x / r);
  });
  // lambda: the share of matches among the pairs the full blocking proposes (m and u held),
  // turned into the chance that two random records match, the prior of every comparison.
  const all = blockedPatterns(sample, blockingKeys, levels);
  if (runEm(model, all, iterations, new Set(), false)) {
    let blocked = 0;
    for (const c of all.values()) blocked += c;
    // Matches among the sample's pairs, scaled to the whole set: with a steady number of
    // records per person, matching pairs grow like n while all pairs grow like n².
    const m = sample.length;
    model.lambda = clamp(((model.lambda * blocked) / ((m * (m - 1)) / 2)) * ((m - 1) / (n - 1)), 1e-12, 0.5);
  }
  return model;
}

/** EM training sessions: a blocking rule and the comparisons it leaves out. */
const SESSIONS: { key: (p: Profile) => string[]; excludes: number[] }[] = [
  { key: (p) => (p.dob ? [`d:${p.dob}`] : []), excludes: [C.dob] },
  {
    key: (p) => (p.given && p.surname ? [`n:${p.given}|${p.surname}`, `n:${p.surname}|${p.given}`] : []),
    excludes: [C.given, C.surname],
  },
  {
    key: (p) => (p.postcode && p.otherId ? [`po:${p.postcode}|${p.otherId.slice(0, 2)}`] : []),
    excludes: [C.postcode],
  },
  { key: (p) => (p.phone ? [`ph:${p.phone}`] : []), excludes: [C.phone] },
];

function blockedPatterns(
  sample: readonly Profile[],
  keysOf: (p: Profile) => string[],
  levels: Int8Array,
): Map<number, number> {
  const index = new BlockIndex(40);
  const patterns = new Map<number, number>();
  const seen = new Int32Array(sample.length).fill(-1);
  sample.forEach((p, i) => {
    const keys = keysOf(p);
    index.forEachCandidate(keys, (j) => {
      if (seen[j] === i) return;
      seen[j] = i;
      compareProfiles(p, sample[j] as Profile, levels);
      const key = patternKey(levels);
      patterns.set(key, (patterns.get(key) ?? 0) + 1);
    });
    index.add(i, keys);
  });
  return patterns;
}

function runEm(
  model: MatchModel,
  patterns: Map<number, number>,
  iterations: number,
  excludes: Set<number>,
  learnM: boolean,
): boolean {
  const rows = [...patterns].map(([k, count]) => ({ levels: patternLevels(k), count }));
  if (rows.reduce((a, r) => a + r.count, 0) < 50) return false;
  model.lambda = 0.1;
  const start = model.comparisons.map((c) => [...c.m]);
  const seen = COMPARISONS.map((c) => new Float64Array(c.levels.length));
  for (const row of rows) {
    row.levels.forEach((l, c) => {
      if (l < 0) return;
      const arr = seen[c] as Float64Array;
      arr[l] = (arr[l] as number) + row.count;
    });
  }
  const fixedLr = COMPARISONS.map((spec) => spec.levels.map((l) => spec.fixed?.[l]));
  for (let it = 0; it < iterations; it++) {
    const mNum = COMPARISONS.map((c) => new Float64Array(c.levels.length));
    let matchMass = 0;
    let total = 0;
    for (const row of rows) {
      let logM = Math.log(model.lambda);
      let logU = Math.log(1 - model.lambda);
      row.levels.forEach((l, c) => {
        if (l < 0 || excludes.has(c)) return;
        const fixed = fixedLr[c]?.[l];
        if (fixed !== undefined) {
          logM += fixed * Math.LN2;
          return;
        }
        const mc = model.comparisons[c] as MatchModel['comparisons'][number];
        logM += Math.log(Math.max(mc.m[l] as number, 1e-12));
        logU += Math.log(Math.max(mc.u[l] as number, 1e-12));
      });
      const p = 1 / (1 + Math.exp(logU - logM));
      const w = p * row.count;
      matchMass += w;
      total += row.count;
      row.levels.forEach((l, c) => {
        if (l < 0) return;
        const arr = mNum[c] as Float64Array;
        arr[l] = (arr[l] as number) + w;
      });
    }
    model.lambda = clamp(matchMass / total, 1e-6, 0.999);
    if (!learnM) continue;
    COMPARISONS.forEach((spec, c) => {
      const num = mNum[c] as Float64Array;
      const denom = num.reduce((a, b) => a + b, 0);
      if (denom < 1) return;
      const mc = model.comparisons[c] as MatchModel['comparisons'][number];
      // Levels the data hardly shows keep their starting m; the others share the rest.
      const seenLevels = spec.levels.map(
        (level, l) => spec.fixed?.[level] === undefined && (seen[c]?.[l] ?? 0) >= 5,
      );
      const kept = spec.levels.reduce(
        (a, level, l) => a + (seenLevels[l] || spec.fixed?.[level] !== undefined ? 0 : (start[c]?.[l] ?? 0)),
        0,
      );
      spec.levels.forEach((level, l) => {
        if (spec.fixed?.[level] !== undefined || !seenLevels[l]) return;
        mc.m[l] = clamp(
          (((num[l] as number) + 0.01) / (denom + 0.01 * spec.levels.length)) * (1 - kept),
          1e-6,
          1,
        );
      });
    });
  }
  return true;
}

// A pattern of levels (each -2…5, 13 comparisons) as one exact number, 3 bits per level:
// no string per compared pair. 13 × 3 bits stay below 2^53.
if (COMPARISONS.some((c) => c.levels.length > 6) || COMPARISON_COUNT > 17)
  throw new Error('comparison levels no longer fit the EM pattern key');

function patternKey(levels: Int8Array): number {
  let k = 0;
  for (let c = 0; c < levels.length; c++) k = k * 8 + ((levels[c] as number) + 2);
  return k;
}

function patternLevels(k: number): number[] {
  const out = new Array<number>(COMPARISON_COUNT);
  for (let c = COMPARISON_COUNT - 1; c >= 0; c--) {
    out[c] = (k % 8) - 2;
    k = Math.floor(k / 8);
  }
  return out;
}

function sampleProfiles(profiles: readonly Profile[], k: number, rand: () => number): Profile[] {
  // A contiguous window keeps duplicates that arrive together; a random start avoids always the head.
  const start = Math.floor(rand() * (profiles.length - k));
  return profiles.slice(start, start + k);
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : Math.min(x, hi);
}

/** Small seeded PRNG so estimates are reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
