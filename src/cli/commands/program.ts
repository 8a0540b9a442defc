import type { Command } from 'commander';
import { type VersionStatus, versionStatuses } from '../../api/services/program-versions.js';
import type { ErrorDetail } from '../../core/errors/index.js';
import {
  type CompiledRulebook,
  checkSharedEvents,
  compileRulebook,
  refuseRulebook,
  StoredFactsCheck,
} from '../../core/rulebook/index.js';
import { formatInstant } from '../../core/time/index.js';
import { CONSENT_TYPES } from '../../ingest/event-catalog.js';
import { toScoringFact } from '../../ingest/person-cache.js';
import { byHardLine, ProgramSet, refusedReasons, type WithheldProgram } from '../../ingest/program-set.js';
import { rebuildDerived } from '../../ingest/rebuild.js';
import { type App, openApp } from '../../open-app.js';
import type { StoredRulebook } from '../../store/store.js';
import { auditWrite } from '../cli-audit.js';
import { dbPath, printJson, withDb } from '../options.js';
import { readTextFile } from '../read-text-file.js';
import { registerProgramCompare } from './program-compare.js';

/**
 * `credence program load FILE.yaml`: validates a rulebook (every error at once) and adds it as
 * the program's next version; the program's ledgers are then re-derived from the stored facts.
 * `credence program list`: the loaded programs and their versions.
 */
export function registerProgram(program: Command): void {
  const cmd = program.command('program').description('Load, list and compare programs (versioned rulebooks)');
  withDb(
    cmd.command('load <file>').description("Validate a rulebook and add it as its program's next version"),
  )
    .option('--json', 'print one JSON object')
    .action(async (file: string, opts: { db?: string; json?: boolean }) => {
      const text = readTextFile(file);
      const compiled = compileRulebook(text, { file });
      const app = await openApp(dbPath(opts));
      try {
        // The text of the program's latest version again (a deploy run twice): no version is added
        // and nothing re-derived. The same rules after a change are a change, so a version of their own.
        const latest = (await app.store.allRulebooks())
          .filter((r) => r.program === compiled.program)
          .reduce<StoredRulebook | undefined>((a, r) => (a && a.version > r.version ? a : r), undefined);
        if (latest && latest.yaml === text) {
          if (opts.json)
            printJson({
              program: compiled.program,
              version: latest.version,
              name: compiled.name,
              rebuiltPeople: 0,
              unchanged: true,
            });
          else
            process.stdout.write(
              `${compiled.program} v${latest.version} (${compiled.name}) unchanged: the file is that version as loaded\n`,
            );
          return;
        }
        // A fact of a shared event type feeds every program declaring it: no field may clash.
        // Not the program's own versions: one the hard line now refuses must stay replaceable.
        checkSharedEvents(text, file, compiled, app.programs.activeExcept(compiled.program));
        // Loading re-derives the program's ledgers from the stored facts: every rule must be able
        // to read them (a field declared since is missing from facts sent before) - checked
        // before anything is stored, so a refusal leaves the program as it was.
        const stored = await storedFactsProblems(app, compiled);
        if (stored.length > 0) refuseRulebook(text, file, stored);
        const version = await app.store.addRulebook({
          program: compiled.program,
          name: compiled.name,
          yaml: text,
          effectiveFrom: compiled.effectiveFrom,
          loadedAt: Date.now(),
        });
        // Logged once the version is stored, before its ledgers are re-derived from the facts (as
        // the API logs an activation; a file already loaded adds nothing and logs nothing).
        auditWrite(
          dbPath(opts),
          {
            action: 'program.load',
            detail: {
              program: compiled.program,
              version,
              name: compiled.name,
              effectiveFrom: compiled.effectiveFrom,
              file,
            },
          },
          `${compiled.program} v${version} was loaded`,
        );
        const counts = await app.store.counts();
        let rebuilt = 0;
        if (counts.facts > 0) {
          const programs = ProgramSet.fromStored(await app.store.allRulebooks());
          rebuilt = (await rebuildDerived(app.store, programs, { program: compiled.program })).people;
        }
        if (opts.json)
          printJson({
            program: compiled.program,
            version,
            name: compiled.name,
            rebuiltPeople: rebuilt,
            unchanged: false,
          });
        else {
          process.stdout.write(`loaded ${compiled.program} v${version} (${compiled.name})\n`);
          if (rebuilt > 0)
            process.stdout.write(`re-derived ${compiled.program} ledgers of ${rebuilt} people\n`);
        }
      } finally {
        await app.close();
      }
    });
  registerProgramCompare(cmd);
  withDb(cmd.command('list').description('List loaded programs and their versions'))
    .option('--json', 'print one JSON object')
    .action(async (opts: { db?: string; json?: boolean }) => {
      const app = await openApp(dbPath(opts));
      try {
        const all = await app.store.allRulebooks();
        // Which version is in force now (the one `credence score` without --as-of uses) and which
        // are scheduled, by the rule GET /v1/programs uses: the two say the same.
        const now = Date.now();
        const status = new Map<string, VersionStatus>();
        for (const id of new Set(all.map((r) => r.program)))
          for (const [version, st] of versionStatuses(
            all.filter((r) => r.program === id),
            now,
          ).statuses)
            status.set(`${id}@${version}`, st);
        // A version refused when compiled (the hard line, or a check of this build) withholds its
        // program (ProgramSet.withheld): said beside it, since its status alone ("in force now") would read as scoring.
        const withheld = app.programs.withheld;
        const rows = all.map((r) => {
          const w = withheld.get(r.program);
          return {
            program: r.program,
            version: r.version,
            name: r.name,
            effectiveFrom: formatInstant(r.effectiveFrom),
            loadedAt: formatInstant(r.loadedAt),
            status: status.get(`${r.program}@${r.version}`) ?? 'superseded',
            ...(w?.version === r.version ? { refused: refusedReasons(w) } : {}),
          };
        });
        if (opts.json) printJson({ programs: rows });
        else
          for (const [i, r] of rows.entries()) {
            // When a version applies decides which one scores an as-of: shown, not only in --json.
            const from = all[i]?.effectiveFrom === 0 ? 'always' : `from ${r.effectiveFrom}`;
            const over = r.status === 'superseded' ? overtakenBy(all, all[i] as StoredRulebook) : undefined;
            const where =
              r.status === 'in-force'
                ? 'in force now'
                : r.status === 'scheduled'
                  ? `scheduled: in force from ${r.effectiveFrom}`
                  : over !== undefined
                    ? `superseded, never in force: v${over.version}, loaded later, is in force from ${over.effectiveFrom === all[i]?.effectiveFrom ? 'the same date' : 'an earlier date'}`
                    : 'superseded: scores earlier as-ofs only';
            const refused =
              r.refused === undefined
                ? ''
                : `; REFUSED ${byHardLine(withheld.get(r.program) as WithheldProgram) ? 'by the hard line' : 'as it no longer compiles'}, so ${r.program} scores no one: ${r.refused} (load a corrected version)`;
            process.stdout.write(
              `${r.program} v${r.version}  ${r.name}  ${where}${refused}  (effective ${from}; loaded ${r.loadedAt})\n`,
            );
          }
      } finally {
        await app.close();
      }
    });
}

/**
 * The version that keeps `v` from ever being in force, if one does: scoring uses the highest
 * version whose effectiveFrom has come (before every version's, the one in force at the earliest),
 * so a higher version of the same program effective at or before `v`'s date leaves `v` no as-of at all.
 */
function overtakenBy(all: readonly StoredRulebook[], v: StoredRulebook): StoredRulebook | undefined {
  const same = all.filter((r) => r.program === v.program);
  return same.find((r) => r.version > v.version && r.effectiveFrom <= v.effectiveFrom);
}

/** What a rulebook's rules cannot evaluate among the stored facts of its event types. */
async function storedFactsProblems(app: App, rb: CompiledRulebook): Promise<ErrorDetail[]> {
  const check = new StoredFactsCheck(rb);
  for (let after = ''; ; ) {
    const page = await app.store.subjectsPage(after, 500);
    if (page.length === 0) break;
    after = page.at(-1) as string;
    for (const facts of (await app.store.personFacts(page)).values())
      for (const f of facts)
        if (CONSENT_TYPES[f.type] === undefined && rb.events[f.type]) check.add(toScoringFact(f));
  }
  return check.problems();
}
