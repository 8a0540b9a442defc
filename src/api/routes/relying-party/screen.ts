import { Type } from 'typebox';
import { CredenceError } from '../../../core/errors/index.js';
import { isCountryCode } from '../../../identity/validate/country.js';
import { dobDigits } from '../../../screen/index.js';
import { type ApiContext, type ApiInstance, auditMany, principalOf } from '../../context.js';
import { AUTH_ERRORS, bearer, errors, Purpose } from '../../schemas/common.js';
import { requirePurpose } from './purpose.js';

/** POST /v1/screen — screening by name against flagged people; each hit is an inquiry. */
export function screenRoutes(app: ApiInstance, ctx: ApiContext): void {
  app.post(
    '/v1/screen',
    {
      config: { auth: { roles: ['relying-party'], scope: 'screen:read' } },
      schema: {
        tags: ['relying-party'],
        summary: 'Screen a name against people who hold a flag (registries, court lists)',
        description:
          "Name variants (pinyin, characters, order, typos) with optional date of birth, ID, sex and country to raise or lower a match. `country` is a country code, ISO 3166 (CN) or ICAO 9303 as passports print it (CHN, D, GBN); a code of no country (CNH) is refused with 400 naming the field and value, as `credence screen --country` refuses it, since compared it would rule the listed national out as a foreigner. Every candidate returned is recorded as an inquiry in that person's file. Opted-out people are never listed.",
        security: bearer,
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 200 }),
          dob: Type.Optional(Type.String({ maxLength: 20 })),
          id: Type.Optional(Type.String({ maxLength: 40 })),
          sex: Type.Optional(
            Type.Union([Type.Literal('M'), Type.Literal('F'), Type.Literal('X')], {
              description: 'M, F, or X as passports print unspecified (compares nothing)',
            }),
          ),
          country: Type.Optional(
            Type.String({
              maxLength: 3,
              description: 'ISO 3166 (CN) or ICAO 9303 (CHN, D, GBN) country code; any other code is a 400',
            }),
          ),
          purpose: Purpose,
        }),
        response: {
          200: Type.Object({
            refused: Type.Optional(Type.String()),
            candidates: Type.Array(
              Type.Object({
                subjectId: Type.String(),
                score: Type.Number(),
                listedName: Type.String(),
                flags: Type.Array(Type.String()),
                explanation: Type.Array(Type.String()),
              }),
            ),
          }),
          ...errors(...AUTH_ERRORS),
        },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const { purpose: stated, sex, ...rest } = req.body;
      // X is what a passport prints for unspecified (ICAO 9303): nothing to compare.
      const query = sex === undefined || sex === 'X' ? rest : { ...rest, sex };
      const purpose = requirePurpose(p, stated);
      if (query.dob !== undefined && dobDigits(query.dob) === undefined) {
        throw new CredenceError(
          'CREDENCE_E_USAGE',
          `dob must be a date of birth (YYYY-MM-DD) or a birth year, got "${query.dob}"`,
          { field: 'dob' },
        );
      }
      // As `credence screen --country`: a slip (CNH for CHN) answered as "no match" would clear a
      // listed national; refused, the relying party sees its own mistake.
      if (
        query.country !== undefined &&
        !isCountryCode(query.country.normalize('NFKC').trim().toUpperCase())
      ) {
        throw new CredenceError(
          'CREDENCE_E_USAGE',
          `country must be a country code (ISO 3166 CN, or ICAO CHN as passports print it), got "${query.country}", which is no country's code`,
          { field: 'country' },
        );
      }
      const now = ctx.clock();
      const r = await ctx.screen.search(query, now);
      // The name index follows committed facts, but a flag also ends with time (retention) and a
      // dispute mark is no fact: a candidate is sent only with the flags they hold now (consent,
      // retractions and dispute marks applied), so a person who opted out or was taken off a list
      // since is neither listed nor recorded as an inquiry.
      const hits = [];
      for (const c of r.candidates) {
        const held = await flagsNow(ctx, c.subjectId, now);
        const flags = c.flags.filter((f) => held.has(f));
        if (flags.length > 0) hits.push({ c, flags });
      }
      // Through auditMany, as every route's entries: an inquiry keeps who asked (auditInput).
      await auditMany(ctx, req, [
        { action: 'screen.run', purpose, detail: { candidates: hits.length } },
        ...hits.map(({ c, flags }) => ({
          action: 'screen.query',
          subject: c.subjectId,
          purpose,
          detail: { score: c.score, flags },
        })),
      ]);
      return {
        ...(r.refused ? { refused: r.refused } : {}),
        candidates: hits.map(({ c, flags }) => ({
          subjectId: c.subjectId,
          score: c.score,
          listedName: c.listedName,
          flags,
          explanation: [...c.explanation],
        })),
      };
    },
  );
}

/** The flags a person holds now in the active programs they are scored in (none when opted out). */
async function flagsNow(ctx: ApiContext, subject: string, now: number): Promise<Set<string>> {
  const held = new Set<string>();
  for (const rb of ctx.programs.current.active) {
    const o = await ctx.scores.score(subject, rb.program, now);
    if (o.status === 'scored') for (const f of o.flags) held.add(f);
  }
  return held;
}
