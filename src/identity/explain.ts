import type { FieldEvidence, Resolution } from './types.js';

/** A resolution as the JSON object `--json` and `credence export` print. */
export function resolutionToJson(res: Resolution): Record<string, unknown> {
  return { ...res };
}

function line(e: FieldEvidence): string {
  const w = e.weight === 0 ? ' 0.00' : `${e.weight > 0 ? '+' : ''}${e.weight.toFixed(2)}`;
  return `  ${e.field.padEnd(14)} ${e.outcome.padEnd(18)} ${w.padStart(7)}${e.detail ? `  ${e.detail}` : ''}`;
}

/**
 * A resolution for people: which person, how sure, and each field's outcome and weight
 * (log2 Bayes factor: positive for, negative against).
 *
 * @example
 * formatResolution(resolver.explain('shop/tb-1')!)
 * // record shop/tb-1 → person P0000001 (deterministic, confidence 1.0000) …
 */
export function formatResolution(res: Resolution): string {
  const out: string[] = [];
  out.push(
    `record ${res.recordId} → person ${res.subjectId} (${res.decision}, confidence ${res.confidence.toFixed(4)})`,
  );
  if (res.matchedRecordId) out.push(`matched record ${res.matchedRecordId}`);
  if (res.evidence.length > 0) {
    out.push('evidence (weight = log2 Bayes factor):');
    for (const e of res.evidence) out.push(line(e));
    const total = res.evidence.reduce((s, e) => s + e.weight, 0);
    out.push(`  ${'total'.padEnd(33)} ${total.toFixed(2).padStart(7)}`);
  }
  for (const c of res.reviewCandidates ?? []) {
    out.push(`review candidate ${c.subjectId} (confidence ${c.confidence.toFixed(4)}):`);
    for (const e of c.evidence) out.push(line(e));
  }
  if (res.merged?.length) out.push(`merged persons: ${res.merged.join(', ')}`);
  if (res.refused?.length) out.push(`kept apart (conflicting strong identifiers): ${res.refused.join(', ')}`);
  return `${out.join('\n')}\n`;
}
