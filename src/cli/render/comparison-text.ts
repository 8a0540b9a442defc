import type { ComparisonReport, NamedCount, StatusCounts } from '../../core/compare/index.js';
import { round2 } from '../../core/scoring/index.js';

const signed = (n: number): string => `${n > 0 ? '+' : ''}${round2(n)}`;
const count = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** A standing in plain words: `not scored (insufficient data)`, not the JSON's `insufficient-data`. */
const plain = (standing: string): string =>
  standing.replace(/^not scored \((.*)\)$/, (_, why: string) => `not scored (${why.replace(/-/g, ' ')})`);

function notScored(s: StatusCounts): string {
  const why = (['opted-out', 'not-enrolled', 'insufficient-data'] as const)
    .filter((k) => s[k] > 0)
    .map((k) => `${s[k].toLocaleString('en')} ${k.replace('-', ' ')}`);
  return why.length > 0 ? `; not scored: ${why.join(', ')}` : '';
}

function named(title: string, base: string, list: readonly NamedCount[]): string[] {
  if (list.length === 0) return [];
  const width = Math.max(...list.map((c) => c.name.length));
  return [
    `${title} (people holding it, ${base} -> candidate):`,
    ...list.map(
      (c) =>
        `  ${c.name.padEnd(width)}  ${c.baseline.toLocaleString('en')} -> ${c.candidate.toLocaleString('en')}` +
        (c.gained || c.lost
          ? `  (${c.gained.toLocaleString('en')} gain it, ${c.lost.toLocaleString('en')} lose it)`
          : '  (no change)'),
    ),
  ];
}

/**
 * A rulebook comparison in plain words for an operator or auditor: who is scored, how scores
 * move, who changes tier, privilege, restriction or flag, which reasons weigh more or less.
 */
export function comparisonText(r: ComparisonReport): string {
  const base = `v${r.baseline.version}`;
  const lines = [
    `${r.program}: v${r.baseline.version} (${r.baseline.name}) compared with the candidate ${r.candidate.file ?? `draft ${r.candidate.draft}`} (${r.candidate.name}), both as of ${r.asOf}`,
    `${count(r.people, 'person', 'people')} with facts or a consent in the program`,
    `  ${`${base}:`.padEnd(10)} ${r.baseline.scored.toLocaleString('en')} scored${notScored(r.baseline)}`,
    `  candidate: ${r.candidate.scored.toLocaleString('en')} scored${notScored(r.candidate)}`,
  ];
  const e = r.enrollment;
  if (e)
    lines.push(
      e.candidate === 'opt-out'
        ? `note: the candidate makes ${r.program} opt-out (it is opt-in now): people who never enrolled would be scored without being asked, ${e.enrolled.toLocaleString('en')} of them here`
        : `note: the candidate makes ${r.program} opt-in (it is opt-out now): only people who enrol would be scored`,
    );
  const from = r.candidate.effectiveFrom;
  if (from !== undefined && Date.parse(from) > Date.parse(r.asOf))
    lines.push(
      `note: the candidate applies from ${from}, after ${r.asOf}; it is compared as if in force then, but once loaded it scores as-ofs from ${from} only`,
    );
  const s = r.scores;
  if (s) {
    lines.push(
      `scores of the ${s.people.toLocaleString('en')} scored both ways: ${s.up.toLocaleString('en')} up, ${s.down.toLocaleString('en')} down, ${s.unchanged.toLocaleString('en')} unchanged`,
      // "8 in 10 people" says something of ten people or more; of fewer it is not a tenth of anyone.
      `  change (candidate minus ${base}): mean ${signed(s.mean)}, median ${signed(s.median)}; ${s.people >= 10 ? `8 in 10 people between ${signed(s.p10)} and ${signed(s.p90)}; ` : ''}all between ${signed(s.min)} and ${signed(s.max)}`,
    );
  } else {
    lines.push('nobody is scored under both rulebooks');
  }
  const moved = r.tiers.filter((t) => t.from !== t.to);
  const stayed = r.tiers.filter((t) => t.from === t.to).reduce((n, t) => n + t.people, 0);
  lines.push(
    moved.length === 0
      ? 'tiers: nobody changes tier'
      : `tiers: changed for ${count(
          moved.reduce((n, t) => n + t.people, 0),
          'person',
          'people',
        )} (a move in or out of being scored included), unchanged for ${stayed.toLocaleString('en')}`,
    ...moved.map((t) => `  ${plain(t.from)} -> ${plain(t.to)}: ${t.people.toLocaleString('en')}`),
  );
  lines.push(
    ...named('privileges', base, r.privileges),
    ...named('restrictions', base, r.restrictions),
    ...named('flags', base, r.flags),
  );
  const reasons = r.reasons.filter((x) => x.baseline !== x.candidate);
  if (reasons.length > 0) {
    lines.push(`reasons whose points change (summed over the people scored, ${base} -> candidate):`);
    for (const x of reasons.slice(0, 12))
      lines.push(
        `  ${x.code.padEnd(5)} ${signed(x.baseline).padStart(12)} -> ${signed(x.candidate).padEnd(12)} ${x.text}`,
      );
    if (reasons.length > 12) lines.push(`  … and ${reasons.length - 12} more (--json lists them all)`);
  }
  if (r.largest.length > 0) {
    lines.push(`the ${count(r.largest.length, 'person', 'people')} whose standing moves most:`);
    for (const p of r.largest) {
      const score = (n: number | null): string => (n === null ? '' : ` ${n}`);
      const held = [
        ...p.gained.map((h) => `gains ${h.kind} ${h.name}`),
        ...p.lost.map((h) => `loses ${h.kind} ${h.name}`),
      ];
      const what = [
        ...(p.change === null ? [] : [p.change === 0 ? 'same score' : signed(p.change)]),
        ...held,
      ];
      const change = what.length > 0 ? ` (${what.join('; ')})` : '';
      lines.push(
        `  ${p.subject}  ${plain(p.baseline)}${score(p.baselineScore)} -> ${plain(p.candidate)}${score(p.candidateScore)}${change}`,
      );
    }
  }
  lines.push('nothing was stored: load the candidate with `credence program load` to put it in force');
  return `${lines.join('\n')}\n`;
}
