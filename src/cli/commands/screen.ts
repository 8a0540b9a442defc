import type { Command } from 'commander';
import { consentVerdict } from '../../core/consent/index.js';
import { CredenceError } from '../../core/errors/index.js';
import { compareFacts, type ScoringFact } from '../../core/facts/fact.js';
import { flagsAt } from '../../core/scoring/flags.js';
import { counts } from '../../core/scoring/ledger.js';
import { pastRetention } from '../../core/scoring/retention.js';
import { formatInstant } from '../../core/time/index.js';
import { isCountryCode } from '../../identity/validate/country.js';
import { CONSENT_TYPES, toScoringFact } from '../../ingest/index.js';
import { type App, openApp } from '../../open-app.js';
import { dobDigits, type ListedPerson, ScreenIndex, type ScreenQuery } from '../../screen/index.js';
import { disputedFactsAt, subjectsWithTypes } from '../../store/sqlite/sqlite-source-facts.js';
import { auditRead } from '../cli-audit.js';
import { wholeNumberOption } from '../number-option.js';
import { dbPath, instantOption, printJson, withDb } from '../options.js';
import { projectionNote } from '../projection.js';

interface ScreenOpts {
  db?: string;
  name: string;
  dob?: string;
  id?: string;
  sex?: string;
  country?: string;
  threshold?: string;
  limit?: string;
  asOf?: string;
  json?: boolean;
}

type SubjectBody = { subject?: Record<string, string> };

/**
 * Everyone holding a flag of any loaded program at `asOf`, with every spelling of their name the
 * sources sent and the qualifiers they gave (date of birth, sex, ID numbers, passport country).
 * A flag is part of a program's outcome, so consent is judged first, as the scoring engine (and
 * the API's screening) does: a person the program may not score (opted out, for past as-of dates
 * too, or never enrolled in an opt-in program) holds none of its flags, and facts up to an earlier
 * opt-out stay outside it. A fact under dispute at `asOf` is marked, as the API's scores mark it, so a
 * program that suspends disputed facts does not hold a flag by a listing the person contested then.
 */
export async function flaggedPeople(app: App, asOf: number): Promise<ListedPerson[]> {
  // Each program's version in force at `asOf` (a version loaded for later decides nothing yet).
  const programs = app.programs.ids
    .flatMap((id) => app.programs.at(id, asOf) ?? [])
    .filter((rb) => rb.flags.length > 0);
  const subjects = subjectsWithTypes(app.dbPath, [
    ...new Set(programs.flatMap((rb) => rb.flags.map((f) => f.set))),
  ]);
  const disputed = disputedFactsAt(app.dbPath, asOf);
  const out: ListedPerson[] = [];
  for (let i = 0; i < subjects.length; i += 500) {
    const page = subjects.slice(i, i + 500);
    const facts = await app.store.personFacts(page);
    const consents = await app.store.personConsents(page);
    for (const subject of page) {
      const stored = (facts.get(subject) ?? []).filter((f) => CONSENT_TYPES[f.type] === undefined);
      const sorted = stored
        .map(toScoringFact)
        .map((f) => (disputed.has(f.key) ? { ...f, disputed: true } : f))
        .sort(compareFacts);
      const rows = consents.get(subject) ?? [];
      const flags: string[] = [];
      for (const rb of programs) {
        const history = rows
          .filter((r) => r.program === rb.program)
          .map((r) => ({ action: r.action, at: r.at }));
        const verdict = consentVerdict(rb.enrollment, history, asOf);
        if (!verdict.scorable) continue;
        const floor = verdict.factsAfter ?? Number.NEGATIVE_INFINITY;
        // A listing past its retention period is deleted, not just ignored (as scoring reads it).
        const live = (f: ScoringFact) =>
          f.at <= asOf && f.at > floor && counts(rb, f) && !pastRetention(rb, f, asOf);
        flags.push(...flagsAt(rb.flags, sorted, live));
      }
      if (flags.length === 0) continue;
      const names = new Set<string>();
      const ids = new Set<string>();
      let dob: string | undefined;
      let sex: 'M' | 'F' | undefined;
      let country: string | undefined;
      for (const f of stored) {
        const s = (JSON.parse(f.body) as SubjectBody).subject ?? {};
        if (s.full_name) names.add(s.full_name);
        if (s.given_name || s.surname) names.add(`${s.given_name ?? ''} ${s.surname ?? ''}`.trim());
        if (s.national_id) ids.add(s.national_id);
        if (s.passport_number) ids.add(s.passport_number);
        dob ??= s.date_of_birth;
        if (s.sex === 'M' || s.sex === 'F') sex ??= s.sex;
        country ??= s.passport_country ?? (s.national_id ? 'CN' : undefined);
      }
      out.push({
        subjectId: subject,
        names: [...names],
        flags: [...new Set(flags)],
        ...(ids.size > 0 ? { ids: [...ids] } : {}),
        ...(dob ? { dob } : {}),
        ...(sex ? { sex } : {}),
        ...(country ? { country } : {}),
      });
    }
  }
  return out;
}

/**
 * `credence screen --name NAME [--dob DATE] [--id ID] [--sex M|F|X] [--country CC] [--json]`:
 * flagged people a relying party with only a name may be looking at, ranked, each with why.
 */
export function registerScreen(program: Command): void {
  withDb(
    program
      .command('screen')
      .description('Find flagged people by name, ranked, with an explanation per candidate'),
  )
    .requiredOption('--name <name>', "the person's name as the relying party has it")
    .option('--dob <date>', 'date of birth (YYYY-MM-DD) or birth year')
    .option('--id <number>', 'an ID number, full or masked')
    .option('--sex <M|F|X>', 'sex (X, as passports print unspecified, compares nothing)')
    .option('--country <code>', 'country (ISO 3166 code, as the sources give it)')
    .option('--threshold <x>', 'smallest score reported, 0..1', '0.8')
    .option('--limit <n>', 'most candidates reported', '10')
    .option('--as-of <iso>', 'flags held at this instant (default: now)')
    .option('--json', 'print one JSON object')
    .action(async (opts: ScreenOpts) => {
      // As POST /v1/screen refuses an empty name: there is no one to look for.
      if (opts.name === '') {
        throw new CredenceError('CREDENCE_E_USAGE', '--name must not be empty', { field: '--name' });
      }
      // Number('') and Number(' ') are 0: a threshold left blank would report everyone.
      const threshold = /^\s*$/.test(opts.threshold ?? '') ? Number.NaN : Number(opts.threshold);
      if (!(threshold >= 0 && threshold <= 1)) {
        throw new CredenceError(
          'CREDENCE_E_USAGE',
          `--threshold must be between 0 and 1, got "${opts.threshold}"`,
          {
            field: '--threshold',
          },
        );
      }
      const given = opts.sex?.toUpperCase();
      if (given !== undefined && given !== 'M' && given !== 'F' && given !== 'X') {
        throw new CredenceError('CREDENCE_E_USAGE', `--sex must be M, F or X, got "${opts.sex}"`, {
          field: '--sex',
        });
      }
      // X is what a passport prints for unspecified (ICAO 9303): nothing to compare.
      const sex = given === 'X' ? undefined : given;
      // ISO 3166 two letters, or ICAO three (as passports print it; `D` for Germany).
      if (opts.country !== undefined && !isCountryCode(opts.country.normalize('NFKC').trim().toUpperCase())) {
        throw new CredenceError(
          'CREDENCE_E_USAGE',
          `--country must be a country code (ISO 3166 CN, or ICAO CHN as passports print it), got "${opts.country}", which is no country's code`,
          { field: '--country' },
        );
      }
      if (opts.dob !== undefined && dobDigits(opts.dob) === undefined) {
        throw new CredenceError(
          'CREDENCE_E_USAGE',
          `--dob must be a date of birth (YYYY-MM-DD) or a birth year, got "${opts.dob}"`,
          { field: '--dob' },
        );
      }
      wholeNumberOption(opts.limit, '--limit', 1);
      const now = Date.now();
      const asOf = instantOption(opts.asOf, '--as-of');
      // Looking ahead (when does a listing lapse) is the operator's, as with `credence score`; what
      // it shows is labelled a projection everywhere it goes, the candidates' inquiries included, so
      // no one reads flags as of a date to come as flags held now.
      const note = projectionNote(opts.asOf, asOf, now);
      const ahead = note ? { projection: true } : {};
      const app = await openApp(dbPath(opts));
      let people: ListedPerson[];
      try {
        people = await flaggedPeople(app, asOf);
      } finally {
        await app.close();
      }
      const index = new ScreenIndex(people);
      const query: ScreenQuery = {
        name: opts.name,
        ...(opts.dob ? { dob: opts.dob } : {}),
        ...(opts.id ? { id: opts.id } : {}),
        ...(sex ? { sex } : {}),
        ...(opts.country ? { country: opts.country.trim() } : {}),
      };
      const r = index.search(query, { threshold, limit: Number(opts.limit) });
      // Logged before anything is shown, as POST /v1/screen logs it: the search (without the name
      // searched for, which may be no one's in the database), and each candidate as an inquiry in
      // their file.
      auditRead(dbPath(opts), [
        {
          action: 'screen.run',
          detail: {
            asOf,
            listed: index.size,
            candidates: r.candidates.length,
            ...(r.refused ? { refused: r.refused } : {}),
            ...ahead,
          },
        },
        ...r.candidates.map((c) => ({
          action: 'screen.query',
          subject: c.subjectId,
          detail: {
            score: c.score,
            flags: [...c.flags],
            ...(note ? { asOf: formatInstant(asOf), projection: true } : {}),
          },
        })),
      ]);
      if (opts.json) {
        printJson({
          query,
          asOf: formatInstant(asOf),
          ...ahead,
          listed: index.size,
          tokens: r.tokens,
          organisation: r.organisation,
          ...(r.refused ? { refused: r.refused } : {}),
          candidates: r.candidates.map((c) => ({
            subjectId: c.subjectId,
            score: c.score,
            listedName: c.listedName,
            flags: c.flags,
            explanation: c.explanation,
            name: c.name,
            qualifiers: c.qualifiers,
          })),
        });
        return;
      }
      if (note) process.stdout.write(`${note}\n`);
      if (r.refused) {
        process.stdout.write(`no candidates: ${r.refused}\n`);
        return;
      }
      if (r.candidates.length === 0) {
        process.stdout.write(
          `no flagged person matches "${opts.name}" (${index.size} flagged people screened)\n`,
        );
        return;
      }
      for (const c of r.candidates) {
        process.stdout.write(
          `${c.subjectId}  ${c.score.toFixed(3)}  ${c.listedName}  [${c.flags.join(', ')}]\n`,
        );
        for (const e of c.explanation) process.stdout.write(`    ${e}\n`);
      }
    });
}
