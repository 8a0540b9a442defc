import { Type } from 'typebox';
import { mergedIds } from '../../../app.js';
import { type ApiContext, type ApiInstance, audit, principalOf } from '../../context.js';
import { asOfParam, bearer, errors, Instant } from '../../schemas/common.js';
import { ExplanationBody, OwnScoreBody } from '../../schemas/own-score.js';
import { InquiryBody, PersonFileBody } from '../../schemas/person-file.js';
import { disputeHeldAt } from '../../services/dispute-service.js';
import { inquiryView } from '../../services/person-file-service.js';
import { explanationView, withWhy } from './explanation-view.js';
import { SELF_ERRORS, selfOf, selfRead } from './self.js';

const ProgramParams = Type.Object({ program: Type.String({ minLength: 1, maxLength: 100 }) });
const AsOfQuery = Type.Object({ asOf: Type.Optional(Instant) });
/** No query fields: one given is refused by name, not ignored (a `since` would read as a filter). */
export const NoQuery = Type.Object({});

/** The most inquiries one page of `GET /v1/me/inquiries` holds (and its default). */
const INQUIRY_PAGE = 10_000;

/**
 * A person may look at their own score ahead of now (when a late payment stops counting), unlike a
 * relying party (`decisionAsOf`): no one decides on it. Such an answer says it is a projection,
 * from the facts known now (none of those still to come; disputes open now still open).
 */
function projection(asOf: number, now: number): { projection?: true } {
  return asOf > now ? { projection: true } : {};
}

/** The person's own file, inquiries, scores and explanations. */
export function fileRoutes(app: ApiInstance, ctx: ApiContext): void {
  const read = { auth: { roles: ['person'] as const, scope: 'self:read' as const } };
  app.get(
    '/v1/me/file',
    {
      config: read,
      schema: {
        tags: ['person'],
        summary: 'Your whole file (GDPR Art. 15 copy)',
        querystring: NoQuery,
        description:
          'Facts with source and storage date, each as it was sent (data, the subject as the furnisher named you, and anything else the line carried, in `sent`), identity links with evidence, consents, ledgers, your score in each program as of this copy (`generatedAt`, the same as GET /v1/me/scores/{program} gives now), the scores sent to relying parties in the last 12 months, every inquiry (who, when, purpose), your disputes, what identity resolution and operators decided about your records (identityDecisions: merges, splits, review verdicts, in words; another person is never named), and every person token issued for you, with how often each was used (tokens).',
        security: bearer,
        response: { 200: PersonFileBody, ...errors(...SELF_ERRORS) },
      },
      // The schema describes the copy; the copy is sent whole, as built. A serializer compiled from
      // the schema would drop a field the description lacks, and the person is owed all of it.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (req) => {
      const { person: subject, decisions } = await selfRead(ctx, req);
      const copy = await ctx.files.copy(subject, ctx.clock(), principalOf(req).keyId, decisions);
      await audit(ctx, req, { action: 'file.export', subject, detail: { facts: copy.facts.length } });
      return copy;
    },
  );

  app.get(
    '/v1/me/inquiries',
    {
      config: read,
      schema: {
        tags: ['person'],
        summary: 'Everyone who asked about you: who, when, for which purpose, and what they were told',
        description:
          'Oldest first, up to `limit` (default and most 10,000) after the inquiry whose `seq` is `after`; `next`, when the list goes on, is the `after` of the next page.',
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: INQUIRY_PAGE })),
          after: Type.Optional(Type.Integer({ minimum: 0, description: 'The seq of the last inquiry read' })),
        }),
        security: bearer,
        response: {
          200: Type.Object({
            inquiries: Type.Array(InquiryBody),
            next: Type.Optional(Type.Integer({ description: 'More follow: ask again with after=next' })),
          }),
          ...errors(...SELF_ERRORS),
        },
      },
    },
    async (req) => {
      const subject = await selfOf(ctx, req);
      const limit = req.query.limit ?? INQUIRY_PAGE;
      const { after } = req.query;
      // One more than the page: whether the list goes on, without a count of it.
      const read = await ctx.files.inquiries(subject, undefined, { after, limit: limit + 1 });
      const list = read.slice(0, limit);
      const next = read.length > limit ? list.at(-1)?.seq : undefined;
      await audit(ctx, req, {
        action: 'inquiries.read',
        subject,
        detail: {
          count: list.length,
          ...(after !== undefined ? { after } : {}),
          ...(next !== undefined ? { next } : {}),
        },
      });
      return { inquiries: list.map(inquiryView), ...(next !== undefined ? { next } : {}) };
    },
  );

  app.get(
    '/v1/me/scores/:program',
    {
      config: read,
      schema: {
        tags: ['person'],
        summary: 'Your own score in a program (not an inquiry)',
        security: bearer,
        params: ProgramParams,
        querystring: AsOfQuery,
        response: { 200: OwnScoreBody, ...errors(...SELF_ERRORS, 404) },
      },
      // Sent whole, as built (see the file's route): the schema describes the answer.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (req) => {
      const subject = await selfOf(ctx, req);
      const clock = ctx.clock();
      const asOf = asOfParam(req.query.asOf, clock);
      const o = await ctx.scores.score(subject, req.params.program, asOf);
      await audit(ctx, req, { action: 'self.score', subject, detail: { program: req.params.program, asOf } });
      // Too few facts: the words name what the program needs and what of theirs counts.
      const file =
        o.status === 'not-scored' && o.reason === 'insufficient-data'
          ? {
              facts: await ctx.scores.factsAt(subject, asOf),
              consent: (await ctx.scores.person(subject)).consents.get(req.params.program) ?? [],
              asOf,
            }
          : undefined;
      // The date as text, as a relying party's answer and the rest of the file give it.
      return withWhy(
        ctx.scores.rulebook(req.params.program, asOf),
        { ...o, asOf: new Date(o.asOf).toISOString(), ...projection(asOf, clock) },
        file,
      );
    },
  );

  app.get(
    '/v1/me/explanations/:program',
    {
      config: read,
      schema: {
        tags: ['person'],
        summary:
          'Why your score is what it is: every contribution, counterfactuals, privileges and restrictions',
        security: bearer,
        params: ProgramParams,
        querystring: AsOfQuery,
        response: { 200: ExplanationBody, ...errors(...SELF_ERRORS, 404) },
      },
      // Sent whole, as built (see the file's route): the schema describes the answer.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (req) => {
      const subject = await selfOf(ctx, req);
      const clock = ctx.clock();
      const asOf = asOfParam(req.query.asOf, clock);
      const ex = await ctx.scores.explain(subject, req.params.program, asOf);
      // Marked, and named, as they stood at as-of: a dispute opened since is not in a replay of
      // the past, and one rejected since still shows for the stretch it was open.
      const facts = await ctx.scores.factsAt(subject, asOf);
      // Disputes of their facts, whoever opened them (one per fact, across merges and splits).
      const open = ctx.disputes
        .list(
          {
            subjects: [subject, ...(await mergedIds(ctx.app, subject))],
            facts: facts.map((f) => f.key),
          },
          clock,
        )
        .filter((d) => disputeHeldAt(d, asOf));
      const consent = (await ctx.scores.person(subject)).consents.get(req.params.program) ?? [];
      await audit(ctx, req, {
        action: 'explain.read',
        subject,
        detail: { program: req.params.program, asOf },
      });
      return {
        ...explanationView(ex, ctx.scores.rulebook(req.params.program, asOf), facts, open, consent),
        ...projection(asOf, clock),
      };
    },
  );
}
