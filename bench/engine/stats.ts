/** The p-quantile (0..1) of ascending-sorted samples, nearest-rank. */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i] as number;
}

export function median(xs: readonly number[]): number {
  return quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );
}

/** Milliseconds since an origin, with sub-microsecond resolution. */
export function nowMs(): number {
  return performance.now();
}

/**
 * CPU time of this process (user + system, all threads) in ms. On a shared machine it is
 * what wall time would be on an idle core, as long as the process is pinned to one core.
 */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
