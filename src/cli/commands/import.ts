import { closeSync, existsSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { CredenceError, type ErrorCode, errorCatalogue, formatDetail } from '../../core/errors/index.js';
import { NO_COUNTS } from '../../ingest/no-counts.js';
// The modules, not the folder's index: the index also exports the TypeBox schema of mappings,
// which a valid mapping does not need (see mapping-check.ts).
import type { IngestPipeline } from '../../ingest/pipeline.js';
import {
  type ImportRefusal,
  type ImportReport,
  type ImportRun,
  startImport,
} from '../../ingest/sources/import-source.js';
import { loadMapping, type Mapping } from '../../ingest/sources/load-mapping.js';
import { parseWhen } from '../../ingest/sources/row-values.js';
import { openApp } from '../../open-app.js';
import { auditAbandoned, auditFailed, auditStart, auditWrite } from '../cli-audit.js';
import { graver, jsonLineOnFailure } from '../failure.js';
import { dbPath, withDb } from '../options.js';
import { warnWithheld } from '../withheld-warning.js';
import { claimWriter } from '../writer-lock.js';

const MAX_PRINTED = 200;
const SAMPLES = 5;
// Lines per transaction. Smaller than the pipeline's 5,000: the writer thread starts sooner and
// the batch left to write after the last row is judged is smaller. A 10,000-row delta over the
// 1 M list: 1.55 s instead of 1.64; a 100,000-row snapshot: 8.5 s instead of 8.85 (BENCHMARKS.md).
const BATCH = 2000;

interface ImportOpts {
  db?: string;
  mapping?: string;
  mode?: string;
  asOf?: string;
  dryRun?: boolean;
  allowMassRemoval?: boolean;
  json?: boolean;
}

/** The shipped mappings: `examples/sources/<source>.yaml` beside the package. */
function shippedMapping(source: string): string {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  return join(root, 'examples', 'sources', `${source}.yaml`);
}

/** Whether `file` begins as every SQLite 3 database does. */
function isSqliteDatabase(file: string): boolean {
  const head = Buffer.alloc(SQLITE_HEADER.length);
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(SQLITE_HEADER);
  } catch {
    // Unreadable: the import's own read says why.
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** Reads and validates the mapping named by --mapping, else the shipped one for SOURCE. */
export async function mappingFor(source: string, path: string | undefined): Promise<Mapping> {
  // A shipped mapping is named by the source alone: a name that is a path (`../programs/x`) would
  // read a file outside examples/sources as a mapping.
  const shippedName = /^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u.test(source);
  const file = path ?? (shippedName ? shippedMapping(source) : undefined);
  if (file === undefined || !existsSync(file)) {
    throw new CredenceError(
      'CREDENCE_E_USAGE',
      path
        ? `no mapping file ${path}`
        : `no shipped mapping for source "${source}": give one with --mapping FILE.yaml`,
      { field: '--mapping' },
    );
  }
  let text: string;
  try {
    // A folder given for the file (`--mapping examples/sources`) read as an internal EISDIR error.
    if (statSync(file).isDirectory()) throw new Error('it is a directory, not a mapping file');
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CredenceError('CREDENCE_E_IO', `cannot read mapping ${file}: ${(e as Error).message}`, {
      file,
      field: '--mapping',
    });
  }
  return loadMapping(text, path ?? `examples/sources/${source}.yaml`);
}

const refusalText = (file: string, r: ImportRefusal): string =>
  formatDetail({
    code: r.code,
    reason: r.reason,
    file,
    line: r.line,
    ...(r.column ? { field: `column ${r.column}` } : {}),
  });

/**
 * Sorts refusals by their line (stable: one line's refusals as they came; a fact of no line, a
 * removal of an entry the snapshot no longer holds, last) and keeps the first `MAX_PRINTED`.
 */
function keepFirstLines(refusals: ImportRefusal[]): void {
  const at = (r: ImportRefusal): number => (r.line > 0 ? r.line : Number.POSITIVE_INFINITY);
  refusals.sort((a, b) => (at(a) === at(b) ? 0 : at(a) - at(b)));
  if (refusals.length > MAX_PRINTED) refusals.length = MAX_PRINTED;
}

/** The calendar date of an instant in a mapping's time zone (`Z` or `±hh:mm`). */
export function dateIn(iso: string, timeZone: string): string {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(timeZone);
  const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
  return new Date(Date.parse(iso) + offset).toISOString().slice(0, 10);
}

/**
 * Ends an import stopped by a second Ctrl-C: the refusals known so far (in line order, as at the
 * end of an import) are written synchronously, since `process.exit` drops pending writes.
 */
function abandon(file: string, refusals: ImportRefusal[], json: boolean): never {
  keepFirstLines(refusals);
  const note = 'interrupted again: the batch in flight was not written; run the same command again to finish';
  if (json) writeSync(1, `${JSON.stringify({ interrupted: true, abandoned: true, refusals })}\n`);
  else writeSync(2, `${refusals.map((r) => `${refusalText(file, r)}\n`).join('')}${note}\n`);
  process.exit(130);
}

function summary(r: ImportReport, seconds: number, timeZone: string): string {
  const types = Object.entries(r.factsByType)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');
  // Each line adds up: the rows are skipped, refused, unchanged (no fact called for), past their
  // deletion date, or gave the facts of the next line; those are new, already stored or refused.
  // A refused fact (a conflict) is counted there, not among the rows, which were read.
  const head = `${r.source} (${r.mode}${r.asOf ? ` as of ${dateIn(r.asOf, timeZone)}` : ''}): ${r.rows} rows, ${r.skipped} skipped, ${r.rowsRefused} refused${r.pastDeletion ? `, ${r.pastDeletion} past their deletion date (not stored)` : ''}${r.unchanged ? `, ${r.unchanged} unchanged` : ''}`;
  const facts = `${r.facts} facts${types ? ` (${types})` : ''}`;
  const verb = r.dryRun ? 'would be new' : 'new';
  const tail = r.dryRun ? '; dry run, nothing written' : `; ${r.subjectsCreated} new people; ${seconds}s`;
  const withheld = r.refused - r.rowsRefused - r.factsRefused;
  const withheldText =
    withheld > 0
      ? `; ${withheld} refusal${withheld === 1 ? '' : 's'} of the snapshot's removals (above)`
      : '';
  return `${head}\n${facts}: ${r.accepted} ${verb}, ${r.duplicates} already stored, ${r.factsRefused} refused${withheldText}${tail}\n`;
}

/**
 * `credence import SOURCE FILE [--mapping M] [--mode snapshot|delta] [--as-of DATE] [--dry-run] [--json]`:
 * a furnisher's file through its mapping into facts, via the ingest pipeline. The CLI is the
 * operator's tool: it may import under any source name, and that name is recorded on every fact.
 */
export function registerImport(program: Command): void {
  withDb(
    program
      .command('import <source> <file>')
      .description(
        "Import a furnisher's file (court list, debtor register, bureau grid, platform export) through its mapping",
      ),
  )
    .option('--mapping <file>', 'the source mapping (default: the shipped examples/sources/SOURCE.yaml)')
    .option(
      '--mode <mode>',
      'register files: snapshot (disappeared entries are removals) or delta (explicit changes)',
    )
    .option('--as-of <date>', "a snapshot's date (default: the latest date of the mapping's asOf column)")
    .option(
      '--allow-mass-removal',
      "register snapshots: make every removal the snapshot calls for, even past the mapping's maxRemovalShare (the list did shrink so)",
    )
    .option('--dry-run', 'show what would be created and what would be refused; write nothing')
    .option('--json', 'print one JSON object')
    .action(async (source: string, file: string, opts: ImportOpts) => {
      // The rows refused before a failure, in the --json line beside the error.
      const refusals: ImportRefusal[] = [];
      // Of every refusal, not only those kept to print: the one the exit status is.
      let worstCode: ErrorCode | undefined;
      await jsonLineOnFailure(
        opts.json,
        async () => {
          if (opts.mode !== undefined && opts.mode !== 'snapshot' && opts.mode !== 'delta') {
            throw new CredenceError(
              'CREDENCE_E_USAGE',
              `--mode must be snapshot or delta, got "${opts.mode}"`,
              {
                field: '--mode',
              },
            );
          }
          let st: ReturnType<typeof statSync>;
          try {
            st = statSync(file);
          } catch (e) {
            throw new CredenceError('CREDENCE_E_IO', `cannot read ${file}: ${(e as Error).message}`, {
              file,
            });
          }
          if (st.isDirectory())
            throw new CredenceError('CREDENCE_E_IO', `cannot read ${file}: it is a directory`, { file });
          // The database typed where the file goes (`credence import court credence.db`) was read as
          // a CSV and refused for a byte at line 3, which says nothing of the slip.
          if (st.isFile() && isSqliteDatabase(file)) {
            throw new CredenceError(
              'CREDENCE_E_IO',
              `cannot read ${file}: it is a SQLite database, not a furnisher's file (give a database with --db)`,
              { file },
            );
          }
          const total = st.size;
          const mapping = await mappingFor(source, opts.mapping);
          // A date is read as the file's own dates are: midnight in the mapping's time zone (and a time
          // of day without an offset there, when the mapping declares its zone).
          const asOf =
            opts.asOf === undefined ? undefined : parseWhen(opts.asOf, mapping.timeZone, mapping.localTimes);
          if (opts.asOf !== undefined && asOf === undefined) {
            throw new CredenceError(
              'CREDENCE_E_USAGE',
              `--as-of "${opts.asOf}" is not a date (YYYY-MM-DD) or an instant with a time zone`,
              { field: '--as-of' },
            );
          }
          const app = await openApp(dbPath(opts));
          const started = performance.now();
          const samples: string[] = [];
          let pending: ImportRun | undefined;
          let pipeline: IngestPipeline | undefined;
          let report: ImportReport;
          // Whether the run was stopped by a signal (one while closing, after it, is not counted).
          let stoppedRun = false;
          // Logged once per run (a dry run writes nothing, so logs nothing): `facts.import.start`
          // before anything is written, `facts.import` with the counts or the error that ended it.
          const logged = { source, file };
          let startLogged = false;
          // What a run stopped at once logs as done so far.
          let rowsRead = 0;
          let refusedCount = 0;
          // One ingest or import at a time: each numbers the people it creates from what it has read.
          let release: (() => void) | undefined;
          // Ctrl-C, or SIGTERM (a service manager, `kill`). The first stops the import after the
          // batch in flight (one that comes while the pipeline loads, after its first batch).
          let stopEarly = false;
          // The run's end is in the audit log: a signal then only ends the process.
          let endLogged = false;
          const onSigint = (): void => {
            const p = pipeline;
            if (!opts.dryRun && !stopEarly && !p?.stopped) {
              if (p) p.stop();
              else stopEarly = true;
              return;
            }
            // A second Ctrl-C (or the first of a dry run) ends the process now, with the batch in
            // flight rolled back; the refusals already known are printed first, or they were lost
            // with it, and the operator told only to run the import again. The start entry gets its
            // end, with the counts so far (facts judged, the batch in flight among them).
            if (startLogged && !endLogged) {
              const {
                lines,
                retractions: _r,
                consents: _c,
                rejected: _j,
                ...counts
              } = p?.counts ?? NO_COUNTS;
              auditAbandoned(dbPath(opts), {
                action: 'facts.import',
                detail: { ...logged, rows: rowsRead, facts: lines, ...counts, refused: refusedCount },
              });
            }
            abandon(file, refusals, opts.json === true);
          };
          process.on('SIGINT', onSigint);
          process.on('SIGTERM', onSigint);
          // Until the run's end is logged: closing the database comes after the last batch.
          try {
            try {
              if (!opts.dryRun) {
                release = claimWriter(dbPath(opts), 'import');
                auditStart(dbPath(opts), { action: 'facts.import.start', detail: logged });
                startLogged = true;
              }
              // The file is mapped on its own thread from here on, while the pipeline loads.
              pending = startImport(app, {
                mapping,
                file,
                source,
                ...(opts.mode ? { mode: opts.mode as 'snapshot' | 'delta' } : {}),
                ...(asOf !== undefined ? { asOf, asOfText: opts.asOf } : {}),
                dryRun: opts.dryRun === true,
                ...(opts.allowMassRemoval ? { allowMassRemoval: true } : {}),
              });
              // The progress bar and the ingest pipeline (with the identity engine) load only when used:
              // a dry run or a small delta should not pay for them at start-up.
              const cliProgress =
                process.stderr.isTTY && !opts.dryRun && total > 0
                  ? (await import('cli-progress')).default
                  : undefined;
              const bar = cliProgress
                ? new cliProgress.SingleBar(
                    {
                      format: 'import [{bar}] {percentage}% | {rows} rows | eta {eta}s',
                      stream: process.stderr,
                    },
                    cliProgress.Presets.shades_classic,
                  )
                : undefined;
              if (!opts.dryRun) warnWithheld(app.programs);
              bar?.start(total, 0, { rows: 0 });
              const ingestApp = opts.dryRun ? undefined : await import('../../app.js');
              // Batches are written on a second thread while the next is judged (see WriteBehindStore).
              const behind = ingestApp?.withWriteBehind(app);
              const p = ingestApp?.createIngest(behind?.app ?? app, { batchSize: BATCH });
              pipeline = p;
              if (stopEarly) p?.stop();
              try {
                report = await pending.run(p, {
                  refused(r) {
                    refusedCount++;
                    worstCode = graver(worstCode, r.code);
                    // Kept (the first MAX_PRINTED by line) and printed at the end in line order: rows are
                    // refused by stages (mapping, the register's entries, ingest) that finish apart.
                    refusals.push(r);
                    if (refusals.length >= 2 * MAX_PRINTED) keepFirstLines(refusals);
                  },
                  progress(bytes, rows) {
                    rowsRead = rows;
                    bar?.update(bytes, { rows });
                  },
                  wouldCreate(line) {
                    if (samples.length < SAMPLES) samples.push(line.text);
                  },
                });
                stoppedRun = pipeline?.stopped === true;
              } finally {
                bar?.update(total);
                bar?.stop();
                await behind?.release();
              }
            } catch (e) {
              if (startLogged) auditFailed(dbPath(opts), { action: 'facts.import', detail: logged }, e);
              endLogged = true;
              // The rows refused before the import failed are still worth their lines.
              if (!opts.json) {
                keepFirstLines(refusals);
                for (const r of refusals) process.stderr.write(`${refusalText(file, r)}\n`);
              }
              throw e;
            } finally {
              try {
                await pending?.cancel();
              } finally {
                try {
                  await app.close();
                } finally {
                  release?.();
                }
              }
            }
            if (startLogged) {
              const { dryRun: _d, ...counts } = report;
              auditWrite(
                dbPath(opts),
                { action: 'facts.import', detail: { ...counts, interrupted: stoppedRun } },
                'the file was imported',
              );
              endLogged = true;
            }
            keepFirstLines(refusals);
            const seconds = Math.round(performance.now() - started) / 1000;
            if (!opts.json) for (const r of refusals) process.stderr.write(`${refusalText(file, r)}\n`);
            if (opts.json) {
              process.stdout.write(
                `${JSON.stringify({ ...report, seconds, interrupted: stoppedRun, refusals, ...(opts.dryRun ? { samples: samples.map((s) => JSON.parse(s)) } : {}) })}\n`,
              );
            } else {
              if (report.refused > MAX_PRINTED)
                process.stderr.write(`... and ${report.refused - MAX_PRINTED} more refused\n`);
              if (opts.dryRun && samples.length > 0) {
                process.stdout.write(
                  `first facts that would be created:\n${samples.map((s) => `  ${s}\n`).join('')}`,
                );
              }
              process.stdout.write(summary(report, seconds, mapping.timeZone));
              if (stoppedRun) process.stdout.write('interrupted: run the same command again to finish\n');
            }
            if (stoppedRun) process.exitCode = 130;
            else if (report.refused > 0)
              process.exitCode = errorCatalogue[worstCode ?? 'CREDENCE_E_ROW_INVALID'].exit;
          } finally {
            process.off('SIGINT', onSigint);
            process.off('SIGTERM', onSigint);
          }
        },
        () => {
          keepFirstLines(refusals);
          return { refusals };
        },
      );
    });
}
