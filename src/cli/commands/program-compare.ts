import type { Command } from 'commander';
import { comparisonAuditEntries, comparisonReport } from '../../core/compare/index.js';
import { checkSharedEvents, compileRulebook, refuseRulebook } from '../../core/rulebook/index.js';
import { comparedVersion, comparePrograms } from '../../ingest/program-compare.js';
import { openApp } from '../../open-app.js';
import { disputedFactsAt } from '../../store/sqlite/sqlite-source-facts.js';
import { auditRead } from '../cli-audit.js';
import { wholeNumberOption } from '../number-option.js';
import { dbPath, instantOption, printJson, withDb } from '../options.js';
import { projectionNote } from '../projection.js';
import { readTextFile } from '../read-text-file.js';
import { comparisonText } from '../render/comparison-text.js';

interface CompareOpts {
  db?: string;
  asOf?: string;
  against?: string;
  largest: string;
  json?: boolean;
}

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
      const largest = wholeNumberOption(opts.largest, '--largest');
      const against =
        opts.against === undefined ? undefined : wholeNumberOption(opts.against, '--against', 1);
      const text = readTextFile(file);
      // The same checks as `program load`, the hard line first: a candidate that would be refused
      // is not run against anyone's file.
      const candidate = compileRulebook(text, { file });
      const now = Date.now();
      const asOf = instantOption(opts.asOf, '--as-of');
      const note = projectionNote(opts.asOf, asOf, now);
      const path = dbPath(opts);
      const app = await openApp(path);
      try {
        const baseline = comparedVersion(
          await app.store.allRulebooks(),
          app.programs,
          candidate.program,
          asOf,
          against,
          { against: '--against', asOf: '--as-of' },
        );
        checkSharedEvents(text, file, candidate, app.programs.active);
        const { comparison: result, problems } = await comparePrograms(app.store, {
          baseline,
          candidate,
          asOf,
          disputed: disputedFactsAt(app.dbPath, asOf),
          largest,
        });
        if (problems.length > 0) refuseRulebook(text, file, problems);
        const report = comparisonReport(result, {
          program: candidate.program,
          asOf,
          projection: note !== undefined,
          enrollment: { baseline: baseline.enrollment, candidate: candidate.enrollment },
          baseline: { version: baseline.version, name: baseline.name },
          candidate: { file, name: candidate.name, effectiveFrom: candidate.effectiveFrom },
        });
        // Logged before anything is shown (comparisonAuditEntries: the run, each person listed).
        auditRead(path, comparisonAuditEntries(report, asOf, { file }));
        if (opts.json) printJson(report);
        else process.stdout.write(`${note ? `${note}\n` : ''}${comparisonText(report)}`);
      } finally {
        await app.close();
      }
    });
}
