import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type Comparison, ComparisonTally } from '../../core/compare/index.js';
import type { ConsentEvent } from '../../core/consent/index.js';
import { CredenceError, isCredenceError } from '../../core/errors/index.js';
import type { ScoringFact } from '../../core/facts/fact.js';
import {
  type CompiledRulebook,
  checkSharedEvents,
  compileRulebook,
  refuseRulebook,
  StoredFactsCheck,
} from '../../core/rulebook/index.js';
import { scorePerson } from '../../core/scoring/index.js';
import { formatInstant } from '../../core/time/index.js';
import { CONSENT_TYPES } from '../../ingest/event-catalog.js';
import { toScoringFact } from '../../ingest/person-cache.js';
import { ProgramSet } from '../../ingest/program-set.js';
import { type App, openApp } from '../../open-app.js';
import { disputedFactsAt } from '../../store/sqlite/sqlite-source-facts.js';
import { auditRead } from '../cli-audit.js';
import { dbPath, instantOption, printJson, withDb } from '../options.js';
import { projectionNote } from '../projection.js';
import { type ComparisonReport, comparisonText } from '../render/comparison-text.js';

interface CompareOpts {
  db?: string;
  asOf?: string;
  against?: string;
  largest: string;
  json?: boolean;
}

const PAGE = 1000;

/**
 * `credence program compare FILE.yaml`: every person of the program scored as of one instant
 * under the version in force (or `--against N`) and under the candidate rulebook, side by side,
 * before the candidate is loaded. Nothing is stored but the audit entries of the read.
 */
export function registerProgramCompare(cmd: Command): void {
  withDb(
    cmd
      .command('compare <file>')
      .description(
        'Score everyone under a candidate rulebook beside the version in force, without loading it: who moves tier, gains or loses a privilege, restriction or flag',
      ),
  )
    .option('--as-of <iso>', 'score both as of this instant (default: now)')
    .option('--against <version>', 'compare with this loaded version instead of the one in force at --as-of')
    .option(
      '--largest <n>',
      'list the N people whose standing moves most (each is logged as a read of their score)',
      '10',
    )
    .option('--json', 'print one JSON object')
    .action(async (file: string, opts: CompareOpts) => {
      const largest = wholeNumber(opts.largest, '--largest');
      const against = opts.against === undefined ? undefined : wholeNumber(opts.against, '--against', 1);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new CredenceError('CREDENCE_E_IO', `cannot read ${file}: ${(e as Error).message}`, { file });
      }
      // The same checks as `program load`, the hard line first: a candidate that would be refused
      // is not run against anyone's file.
      const candidate = compileRulebook(text, { file });
      const now = Date.now();
      const asOf = instantOption(opts.asOf, '--as-of');
      const note = projectionNote(opts.asOf, asOf, now);
      const path = dbPath(opts);
      const app = await openApp(path);
      try {
        const baseline = await baselineOf(app, candidate.program, asOf, against);
        checkSharedEvents(text, file, candidate, app.programs.active);
        const result = await compareAll(app, baseline, candidate, asOf, largest, text, file);
        const report: ComparisonReport = {
          program: candidate.program,
          asOf: formatInstant(asOf),
          ...(note ? { projection: true as const } : {}),
          ...result,
          baseline: { version: baseline.version, name: baseline.name, ...result.baseline },
          candidate: { file, name: candidate.name, ...result.candidate },
        };
        // Everyone's facts were read: one entry for the run, and one under each person shown.
        auditRead(path, [
          {
            action: 'program.compare',
            detail: {
              program: candidate.program,
              version: baseline.version,
              file,
              asOf,
              people: result.people,
              ...(note ? { projection: true } : {}),
            },
          },
          ...result.largest.map((p) => ({
            action: 'program.compare.person',
            subject: p.subject,
            detail: {
              program: candidate.program,
              version: baseline.version,
              file,
              asOf,
              baseline: p.baseline,
              candidate: p.candidate,
              baselineScore: p.baselineScore,
              candidateScore: p.candidateScore,
            },
          })),
        ]);
        if (opts.json) printJson(report);
        else process.stdout.write(`${note ? `${note}\n` : ''}${comparisonText(report)}`);
      } finally {
        await app.close();
      }
    });
}

function wholeNumber(text: string, flag: string, min = 0): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min)
    throw new CredenceError(
      'CREDENCE_E_USAGE',
      `${flag} must be a whole number of ${min} or more, got "${text}"`,
      {
        field: flag,
      },
    );
  return n;
}

/** The version to compare with: `--against N`, else the one in force at `asOf`. */
async function baselineOf(
  app: App,
  program: string,
  asOf: number,
  against: number | undefined,
): Promise<CompiledRulebook> {
  const stored = (await app.store.allRulebooks()).filter((r) => r.program === program);
  if (stored.length === 0) {
    const known = app.programs.ids;
    throw new CredenceError(
      'CREDENCE_E_PROGRAM_NOT_FOUND',
      `no program "${program}" is loaded, so there is nothing to compare the candidate with${known.length > 0 ? ` (loaded: ${known.join(', ')})` : ''}; load a first version with \`credence program load\``,
      { field: 'program' },
    );
  }
  if (against !== undefined) {
    const v = stored.find((r) => r.version === against);
    if (!v)
      throw new CredenceError(
        'CREDENCE_E_PROGRAM_NOT_FOUND',
        `${program} has no version ${against} (loaded: ${stored
          .map((r) => r.version)
          .sort((a, b) => a - b)
          .join(', ')})`,
        { field: '--against' },
      );
    return ProgramSet.fromStored([v]).get(program) as CompiledRulebook;
  }
  const inForce = app.programs.at(program, asOf);
  if (!inForce) {
    const first = Math.min(...stored.map((r) => r.effectiveFrom));
    throw new CredenceError(
      'CREDENCE_E_PROGRAM_NOT_FOUND',
      `no version of ${program} is in force at ${formatInstant(asOf)}: the first takes effect ${formatInstant(first)}; give --as-of on or after it, or --against VERSION`,
      { field: '--as-of' },
    );
  }
  return inForce;
}

/**
 * Scores every person who has a fact of either rulebook's event types, or a consent in the
 * program, both ways. Facts under dispute at `asOf` are marked as `credence score --as-of` marks
 * them. The candidate must be able to read every stored fact, as loading it would require.
 */
async function compareAll(
  app: App,
  baseline: CompiledRulebook,
  candidate: CompiledRulebook,
  asOf: number,
  largest: number,
  text: string,
  file: string,
): Promise<Comparison> {
  const program = candidate.program;
  const disputed = disputedFactsAt(app.dbPath, asOf);
  const check = new StoredFactsCheck(candidate);
  const tally = new ComparisonTally(largest);
  let unreadable = false;
  for (let after = ''; ; ) {
    const page = await app.store.subjectsPage(after, PAGE);
    if (page.length === 0) break;
    after = page.at(-1) as string;
    const facts = await app.store.personFacts(page);
    const consents = await app.store.personConsents(page);
    for (const subject of page) {
      const consent: ConsentEvent[] = [];
      for (const c of consents.get(subject) ?? [])
        if (c.program === program) consent.push({ action: c.action, at: c.at });
      const mine: ScoringFact[] = [];
      for (const f of facts.get(subject) ?? []) {
        if (CONSENT_TYPES[f.type] !== undefined) continue;
        if (baseline.events[f.type] === undefined && candidate.events[f.type] === undefined) continue;
        const sf = toScoringFact(f);
        mine.push(disputed.has(sf.key) ? { ...sf, disputed: true } : sf);
      }
      if (mine.length === 0 && consent.length === 0) continue;
      const before = scorePerson(
        baseline,
        mine.filter((f) => baseline.events[f.type] !== undefined),
        asOf,
        consent,
      );
      const theirs = mine.filter((f) => candidate.events[f.type] !== undefined);
      for (const f of theirs) check.add(f);
      try {
        tally.add(subject, before, scorePerson(candidate, theirs, asOf, consent));
      } catch (e) {
        // A rule of the candidate cannot read this person's facts: the check below names it.
        if (!isCredenceError(e) || e.code !== 'CREDENCE_E_FACT_INVALID') throw e;
        unreadable = true;
      }
    }
    if (unreadable) break;
  }
  const problems = check.problems();
  if (problems.length > 0) refuseRulebook(text, file, problems);
  if (unreadable)
    throw new CredenceError(
      'CREDENCE_E_RULEBOOK_INVALID',
      `${file}: a rule cannot read the stored facts of a person of ${program}`,
      { file },
    );
  return tally.result();
}
