import type { Command } from 'commander';
import { type DisputeView, heldFactKeys } from '../../api/services/dispute-service.js';
import { scoresAsOfNow } from '../../api/services/file-scores.js';
import {
  type IdentityDecisionView,
  identityHistoryOf,
  linkOrigins,
} from '../../api/services/identity-history.js';
import { rulebookWords } from '../../api/services/inquiry-words.js';
import type { LinkDisputeView } from '../../api/services/link-dispute-service.js';
import {
  type CopiedFact,
  copiedFact,
  type Inquiry,
  type PersonToken,
  scoresSentOf,
  sentBeside,
} from '../../api/services/person-file-service.js';
import { storedDisputes } from '../../api/services/stored-disputes.js';
import { storedInquiries, storedTokens } from '../../api/services/stored-inquiries.js';
import type { CompiledRulebook } from '../../core/rulebook/types.js';
import { scorePerson } from '../../core/scoring/index.js';
import { formatInstant } from '../../core/time/index.js';
import type { MergeStep } from '../../identity/merge-chain.js';
import { isRefusedVersion } from '../../ingest/program-set.js';
import { type App, findSubject, mergedIds, openApp } from '../../open-app.js';
import { openDisputedFacts } from '../../store/sqlite/sqlite-source-facts.js';
import type { PersonFile } from '../../store/store.js';
import { auditRead } from '../cli-audit.js';
import { dbPath, printJson, subjectArgument, withDb } from '../options.js';
import { personQuery } from '../person-query.js';

/** A fact as the export prints it: as the API's copy of the file gives it (`copiedFact`). */
type FactView = CopiedFact & {
  /** Under an open dispute (listed facts only). */
  disputed?: boolean;
};

function inquiryJson(i: Inquiry) {
  return {
    at: formatInstant(i.at),
    who: i.who,
    purpose: i.purpose,
    action: i.action,
    program: i.program,
    sent: i.sent,
    what: i.what,
  };
}

/** A person's whole file in the shape `credence export --json` prints. */
export function exportJson(
  app: App,
  file: PersonFile,
  inquiries: readonly Inquiry[] = [],
  disputes: {
    readonly list: readonly (DisputeView | LinkDisputeView)[];
    readonly openFacts: ReadonlySet<string>;
  } = {
    list: [],
    openFacts: new Set(),
  },
  now: number = Date.now(),
  identityDecisions: readonly IdentityDecisionView[] = [],
): Record<string, unknown> {
  const ledgers: Record<string, unknown[]> = {};
  // A stored version refused when compiled (its word joined the hard line's lists, or a check was
  // added since it was loaded) compiles no more; its ledger lines are still held, so they are still in the copy, unworded.
  const rulebooks = new Map<string, CompiledRulebook | undefined>();
  const rulebookOf = (program: string): CompiledRulebook | undefined => {
    if (!rulebooks.has(program)) {
      try {
        rulebooks.set(program, app.programs.get(program));
      } catch (e) {
        if (!isRefusedVersion(e)) throw e;
        rulebooks.set(program, undefined);
      }
    }
    return rulebooks.get(program);
  };
  for (const l of file.ledger) {
    const rule = rulebookOf(l.program)?.rules.find((r) => r.id === l.ruleId);
    const list = ledgers[l.program] ?? [];
    ledgers[l.program] = list;
    list.push({
      fact: l.factKey,
      rule: l.ruleId,
      occurredAt: formatInstant(l.at),
      points: l.points,
      awarded: l.raw,
      dimension: l.dimension,
      reason: { code: l.reasonCode, text: rule?.reason.text ?? null },
      decay: rule?.decay.kind === 'none' || !rule ? 'none' : `${rule.decay.kind} ${rule.decay.text}`,
    });
  }
  return {
    subject: file.subject,
    note: 'A copy of everything Credence holds about this person (GDPR Art. 15): each fact with its source and dates.',
    identifiers: file.identifiers,
    links: (file.links ?? []).map((l) => {
      const link = JSON.parse(l.link) as { evidence?: unknown[]; matchedRecordId?: string };
      return {
        record: l.recordId,
        fields: JSON.parse(l.body) as Record<string, string>,
        decision: l.decision,
        confidence: l.confidence,
        matchedRecord: link.matchedRecordId ?? null,
        evidence: link.evidence ?? [],
      };
    }),
    // Marked as the API's copy marks them: under an open dispute, whoever opened it.
    facts: file.facts.map((f) => ({
      ...copiedFact(f),
      disputed: disputes.openFacts.has(`${f.source}/${f.id}`),
    })),
    // Retracted facts count nowhere but are still stored, so an Art. 15 copy lists them, each
    // with the retractions that undid it.
    retractedFacts: (file.retractedFacts ?? []).map((f) => ({
      ...copiedFact(f),
      retractedBy: file.retractions
        .filter((r) => r.source === f.source && r.retracts === f.id)
        .map((r) => r.id),
    })),
    retractions: file.retractions.map((r) => ({
      source: r.source,
      id: r.id,
      retracts: r.retracts,
      occurredAt: formatInstant(r.at),
      storedAt: formatInstant(r.receivedAt),
      ...(r.body ? sentBeside(JSON.parse(r.body) as Record<string, unknown>) : {}),
    })),
    consents: file.consents.map((c) => ({
      program: c.program,
      action: c.action,
      at: formatInstant(c.at),
      recordedBy: c.factKey,
    })),
    ledgers,
    scores: file.scores.map((s) => ({
      program: s.program,
      version: s.version,
      asOf: formatInstant(s.asOf),
      status: s.status,
      ...(s.status === 'scored' ? { score: s.score, tier: s.tier } : { reason: s.reason }),
    })),
    // Who asked about them over the API (the audit log in the same file), when, why, and what
    // they were told.
    inquiries: inquiries.map(inquiryJson),
    // The scores sent to relying parties in the last 12 months (of the clock), as GET /v1/me/file lists them.
    scoresSent: scoresSentOf(inquiries, now).map(inquiryJson),
    // The person's disputes: what they contested, when, the deadline, the outcome and its note.
    disputes: disputes.list,
    // What identity resolution and operators decided about their records, in words, as
    // GET /v1/me/file lists it (another person is never named).
    identityDecisions,
  };
}

/** `credence export SUBJECT [--json]`: the person's whole file (facts, consents, ledgers, scores, inquiries). */
export function registerExport(program: Command): void {
  withDb(program.command('export <subject>').description("A person's whole file (GDPR Art. 15 copy)"))
    .option('--json', 'print one JSON object')
    .action(async (subjectText: string, opts: { db?: string; json?: boolean }) => {
      subjectArgument(subjectText);
      const app = await openApp(dbPath(opts));
      try {
        const subject = await findSubject(app, subjectText);
        // The identity decision log, read once for every part of the file that needs it.
        const decisions = (await app.store.identityDecisions()).map((t) => JSON.parse(t) as MergeStep);
        const merged = await mergedIds(app, subject, decisions);
        const inquiries = await storedInquiries(
          dbPath(opts),
          subject,
          rulebookWords(app.programs),
          decisions,
        );
        const ids = [subject, ...merged];
        const now = Date.now();
        const stored = await app.store.personFile(subject);
        // Today's score in each program, as `credence score` and GET /v1/me/scores give it now,
        // not the one cached after the latest fact (file-scores.ts).
        const file = {
          ...stored,
          scores: await scoresAsOfNow(
            stored.scores,
            async (p) => {
              const q = await personQuery(app, subject, p, now);
              return scorePerson(q.rb, q.facts, q.asOf, q.consent);
            },
            now,
            { subject, programs: app.programs.ids },
          ),
        };
        const disputes = {
          list: storedDisputes(dbPath(opts), ids, now, heldFactKeys(file)),
          openFacts: openDisputedFacts(dbPath(opts)),
        };
        const history = identityHistoryOf(
          decisions,
          ids,
          (file.links ?? []).map((l) => l.recordId),
          linkOrigins(file.links ?? []),
        );
        // Every person token issued for them: whoever holds one reads and changes their file.
        const tokens = await storedTokens(dbPath(opts), subject, ids, decisions);
        const x = {
          ...exportJson(app, file, inquiries, disputes, now, history),
          tokens,
        } as {
          identifiers: { kind: string; value: string }[];
          links: {
            record: string;
            decision: string;
            confidence: number;
            evidence: { field: string; outcome: string; weight: number; detail?: string }[];
          }[];
          facts: FactView[];
          retractedFacts: (FactView & { retractedBy: string[] })[];
          retractions: {
            source: string;
            id: string;
            retracts: string;
            occurredAt: string;
            sent?: Record<string, unknown>;
          }[];
          consents: { program: string; action: string; at: string }[];
          ledgers: Record<
            string,
            { fact: string; rule: string; awarded: number; reason: { code: string } }[]
          >;
          scores: {
            program: string;
            asOf: string;
            status: string;
            score?: number;
            tier?: string;
            reason?: string;
          }[];
          inquiries: ReturnType<typeof inquiryJson>[];
          scoresSent: ReturnType<typeof inquiryJson>[];
          disputes: (DisputeView | LinkDisputeView)[];
          identityDecisions: IdentityDecisionView[];
          tokens: PersonToken[];
        };
        // Logged before it is shown, as GET /v1/me/file logs the person's copy.
        auditRead(dbPath(opts), [{ action: 'file.export', subject, detail: { facts: x.facts.length } }]);
        if (opts.json) {
          printJson(x);
          return;
        }
        const out: string[] = [`File of ${subject} (GDPR Art. 15 copy)`, '', 'identifiers:'];
        for (const i of x.identifiers) out.push(`  ${i.kind}: ${i.value}`);
        out.push('', `links (${x.links.length} records):`);
        for (const l of x.links) {
          out.push(`  ${l.record}  ${l.decision}, confidence ${l.confidence.toFixed(4)}`);
          for (const e of l.evidence)
            out.push(`    ${e.field} ${e.outcome} ${e.weight.toFixed(2)}${e.detail ? `  ${e.detail}` : ''}`);
        }
        out.push('', `facts (${x.facts.length}):`);
        // Under each fact, what else its line said about the person: the subject as sent and any
        // field beside data, as --json gives them.
        const sentWith = (f: { subject?: unknown; sent?: Record<string, unknown> }): void => {
          if (f.subject !== undefined) out.push(`      subject: ${JSON.stringify(f.subject)}`);
          if (f.sent) out.push(`      also sent: ${JSON.stringify(f.sent)}`);
        };
        for (const f of x.facts) {
          out.push(
            `  ${f.occurredAt}  ${f.source}/${f.id}  ${f.type}  ${JSON.stringify(f.data)}  (stored ${f.storedAt})${f.disputed ? '  [disputed]' : ''}`,
          );
          sentWith(f);
        }
        out.push('', `retracted facts (${x.retractedFacts.length}):`);
        for (const f of x.retractedFacts) {
          out.push(
            `  ${f.occurredAt}  ${f.source}/${f.id}  ${f.type}  ${JSON.stringify(f.data)}  (stored ${f.storedAt}; retracted by ${f.retractedBy.map((id) => `${f.source}/${id}`).join(', ')})`,
          );
          sentWith(f);
        }
        out.push('', `retractions (${x.retractions.length}):`);
        for (const r of x.retractions) {
          out.push(`  ${r.occurredAt}  ${r.source}/${r.id} retracts ${r.source}/${r.retracts}`);
          sentWith(r);
        }
        out.push('', 'consents:');
        for (const c of x.consents) out.push(`  ${c.at}  ${c.program}: ${c.action}`);
        for (const [p, rows] of Object.entries(x.ledgers)) {
          out.push('', `ledger in ${p} (${rows.length} lines):`);
          for (const l of rows) out.push(`  ${l.fact}  ${l.rule}  ${l.awarded}  ${l.reason.code}`);
        }
        out.push('', 'scores (as of now, as `credence score` gives them):');
        for (const s of x.scores) {
          out.push(
            `  ${s.program} as of ${s.asOf}: ${s.status === 'scored' ? `${s.score} ${s.tier}` : `not scored (${s.reason})`}`,
          );
        }
        out.push('', `inquiries (${x.inquiries.length}):`);
        for (const i of x.inquiries) {
          out.push(`  ${i.at}  ${i.what}`);
        }
        out.push('', `scores sent in the last 12 months (${x.scoresSent.length}):`);
        for (const i of x.scoresSent) out.push(`  ${i.at}  ${i.what}`);
        out.push('', `disputes (${x.disputes.length}):`);
        for (const d of x.disputes) {
          const outcome =
            d.status === 'open'
              ? `open, to be answered by ${d.dueAt}${d.overdue ? ' (overdue)' : ''}`
              : `${d.status} on ${d.resolvedAt}${d.note ? `: ${d.note}` : ''}`;
          const what = d.kind === 'link' ? `link to record ${d.record}` : `${d.source}/${d.factId}`;
          out.push(`  ${d.openedAt}  ${what}  "${d.reason}"  ${outcome}`);
        }
        out.push('', `identity decisions about your records (${x.identityDecisions.length}):`);
        for (const d of x.identityDecisions) {
          out.push(`  ${d.what}${d.note ? ` (note: ${d.note})` : ''}`);
        }
        out.push(
          '',
          `person tokens issued for you (${x.tokens.length}; whoever holds one reads your file as you):`,
        );
        for (const t of x.tokens) {
          const state = t.revokedAt === null ? 'in force' : `revoked ${t.revokedAt}`;
          const used = t.uses === 0 ? 'never used' : `used ${t.uses} times, last ${t.lastUsedAt}`;
          out.push(`  ${t.name} (${t.keyId}): issued ${t.createdAt}, ${state}, ${used}`);
        }
        process.stdout.write(`${out.join('\n')}\n`);
      } finally {
        await app.close();
      }
    });
}
