/**
 * Sizes of the shipped samples in `examples/sources/samples/`. The people are drawn from the
 * population `credence generate --people 1000` makes (seed 1), so the samples' people are the
 * generated facts' people.
 */
export const SAMPLE_SIZES = {
  court: { rows: 200, people: 1000, seed: 1 },
  register: { rows: 120, people: 1000, seed: 1 },
  bureau: { rows: 150, people: 1000, seed: 1 },
  platform: { rows: 300, people: 1000, seed: 1 },
} as const;
