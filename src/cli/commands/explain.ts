import type { Command } from 'commander';
import type { CompiledRulebook } from '../../core/rulebook/index.js';
import { type Explanation, explainPerson, pointCategory, pointRule } from '../../core/scoring/index.js';
import { type FactTally, factTally, insufficientDataWords } from '../../core/scoring/insufficient-data.js';
import { formatInstant } from '../../core/time/index.js';
import { type App, loadPerson, openApp } from '../../open-app.js';
import { disputedFactsAt } from '../../store/sqlite/sqlite-source-facts.js';
import { auditRead } from '../cli-audit.js';
import { dbPath, instantOption, printJson, subjectArgument, withDb } from '../options.js';
import { type PersonQuery, personQuery } from '../person-query.js';
import { projectionNote } from '../projection.js';
import { explainJson, explainText } from '../render/explain-text.js';

/**
 * The explanation as text, each point of the ledger followed by its words — the category of the
 * data it comes from, the rule that gave it and, when its cap cut it short, what the rule gave
 * before — as the API's explanation gives `category`, `rule` and `uncapped` per point.
 */
function explainWithWords(subject: string, x: Explanation, rb: CompiledRulebook): string {
  return explainText(subject, x, { rb });
}

interface UnderDispute {
  readonly factKey: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly counts: boolean;
  readonly note: string;
}

/**
 * The person's facts under dispute at as-of, as GET /v1/me/explanations gives them
 * (`underDispute`): a program that suspends disputed facts leaves their points out, and the
 * explanation says why one is missing. None when the person is not in the program.
 */
function underDispute(q: PersonQuery, x: Explanation): UnderDispute[] {
  if (x.enrolment === 'opted-out' || x.enrolment === 'not-enrolled') return [];
  const counts = !q.rb.disputes.suspend;
  return q.facts
    .filter((f) => f.disputed === true && f.at <= q.asOf)
    .map((f) => ({
      factKey: f.key,
      type: f.type,
      occurredAt: formatInstant(f.at),
      counts,
      note: counts
        ? 'still counted while the dispute is open: this program does not suspend disputed facts'
        : 'not counted while the dispute is open; if the dispute is rejected it counts again',
    }));
}

/** The text's section on facts under dispute, before the counterfactuals (at the end without them). */
function withDisputes(text: string, disputes: readonly UnderDispute[]): string {
  if (disputes.length === 0) return text;
  const section = [
    `under dispute at as-of (${disputes.length}):`,
    ...disputes.map((d) => `  ${d.occurredAt.slice(0, 10)}  ${d.factKey} ${d.type}  ${d.note}`),
    '',
  ];
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith('counterfactuals'));
  if (at === -1) return `${text}${text.endsWith('\n') ? '' : '\n'}\n${section.join('\n')}`;
  lines.splice(at, 0, ...section);
  return lines.join('\n');
}

/**
 * For a person not scored for want of data: every fact in their file (of any kind, disputed ones
 * marked as at as-of) tallied against the rulebook's minimum, and why in words. The query's own
 * facts are those of the program's kinds only; the others are why a file full of facts can still
 * count too few.
 */
async function whyInsufficient(
  app: App,
  q: PersonQuery,
  x: Explanation,
): Promise<{ why: string; tally: FactTally } | undefined> {
  if (x.outcome.status !== 'not-scored' || x.outcome.reason !== 'insufficient-data') return undefined;
  const open = disputedFactsAt(app.dbPath, q.asOf);
  const facts = (await loadPerson(app, q.subject)).facts.map((f) =>
    open.has(f.key) ? { ...f, disputed: true } : f,
  );
  const tally = factTally(q.rb, facts, q.asOf, q.consent);
  return { why: insufficientDataWords(tally, q.asOf), tally };
}

/** The text with `why` after the enrolment line (a not-scored explanation ends there). */
function withWhy(text: string, why: string | undefined): string {
  if (why === undefined) return text;
  return `${text}${text.endsWith('\n') ? '' : '\n'}why: ${why}\n`;
}

/** `credence explain SUBJECT --program ID [--as-of ISO] [--json]`: the full ledger and counterfactuals. */
export function registerExplain(program: Command): void {
  withDb(program.command('explain <subject>').description('Every point behind a score, with counterfactuals'))
    .requiredOption('--program <id>', 'program id')
    .option('--as-of <iso>', 'explain as of this instant (default: now)')
    .option('--json', 'print one JSON object')
    .action(
      async (subject: string, opts: { db?: string; program: string; asOf?: string; json?: boolean }) => {
        subjectArgument(subject);
        const now = Date.now();
        const asOf = instantOption(opts.asOf, '--as-of');
        const note = projectionNote(opts.asOf, asOf, now);
        const app = await openApp(dbPath(opts));
        try {
          const q = await personQuery(app, subject, opts.program, asOf);
          const x = explainPerson(q.rb, q.facts, q.asOf, q.consent);
          // Logged before it is shown, as the API logs a person's read of their explanation.
          auditRead(dbPath(opts), [
            {
              action: 'explain.read',
              subject: q.subject,
              detail: {
                program: x.outcome.program,
                version: x.outcome.version,
                asOf: q.asOf,
                status: x.outcome.status,
                ...(note !== undefined ? { projection: true } : {}),
              },
            },
          ]);
          const insufficient = await whyInsufficient(app, q, x);
          if (opts.json) {
            const json = explainJson(q.subject, x);
            // Each point with its data category and rule, as GET /v1/me/explanations gives them.
            const contributions = (json.contributions as Record<string, unknown>[]).map((c, i) => {
              const point = x.contributions[i] as (typeof x.contributions)[number];
              return {
                ...c,
                category: pointCategory(q.rb, point) ?? null,
                rule: pointRule(q.rb, point) ?? null,
              };
            });
            printJson({
              ...json,
              contributions,
              underDispute: underDispute(q, x),
              ...(insufficient
                ? {
                    why: insufficient.why,
                    factTally: {
                      ...insufficient.tally,
                      countsFrom:
                        insufficient.tally.countsFrom === undefined
                          ? null
                          : formatInstant(insufficient.tally.countsFrom),
                    },
                  }
                : {}),
              ...(note ? { projection: true } : {}),
            });
          } else
            process.stdout.write(
              `${note ? `${note}\n` : ''}${withDisputes(withWhy(explainWithWords(q.subject, x, q.rb), insufficient?.why), underDispute(q, x))}`,
            );
        } finally {
          await app.close();
        }
      },
    );
}
