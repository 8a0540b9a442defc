import { createWriteStream, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { CredenceError } from '../../core/errors/index.js';
import { compileRulebook } from '../../core/rulebook/index.js';
import { explainPerson, type ScoreOutcome, scorePerson } from '../../core/scoring/index.js';
import { formatInstant, parseInstant } from '../../core/time/index.js';
import { DEFAULT_END, generateJsonl } from '../../generate/index.js';
import { type App, initDatabase, loadPerson, openApp } from '../../open-app.js';
import { runIngest, summaryText } from '../ingest-run.js';
import { wholeNumberOption } from '../number-option.js';
import { nonEmptyDb } from '../options.js';
import { explainText } from '../render/explain-text.js';

interface DemoOpts {
  db: string;
  people: string;
  days: string;
  seed: string;
}

const DEMO_DB = './credence-demo.db';

// dist/cli/commands/demo.js → the package root's examples/programs/.
const PROGRAMS_DIR = fileURLToPath(new URL('../../../examples/programs/', import.meta.url));

const say = (s: string): void => {
  process.stdout.write(`${s}\n`);
};

/**
 * `credence demo`: a fresh ./credence-demo.db, both example programs, a generated population
 * (10,000 people over a year by default) ingested with a progress bar, then the tier
 * distribution of each program and two people explained.
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Score a generated population end to end on a fresh ./credence-demo.db')
    .option('--db <path>', 'database to create afresh (an existing file only at the default path)', DEMO_DB)
    .option('--people <n>', 'people to generate', '10000')
    .option('--days <d>', 'days of history', '365')
    .option('--seed <s>', 'generator seed', '1')
    .action(async (opts: DemoOpts) => {
      const t0 = performance.now();
      const lap = (): string => `${((performance.now() - t0) / 1000).toFixed(1)}s`;
      // Options are judged before anything is deleted: a typo must not cost the demo database
      // already there. The generator checks its ranges on its first line, taken here.
      nonEmptyDb(opts.db);
      const people = wholeNumberOption(opts.people, '--people');
      const days = wholeNumberOption(opts.days, '--days');
      const seed = wholeNumberOption(opts.seed, '--seed');
      const lines = generateJsonl({ people, days, seed, end: DEFAULT_END })[Symbol.iterator]();
      const firstLine = lines.next();
      // The default file is the demo's own, made afresh on every run. Any other file there may be
      // an operator's database: `credence demo --db credence.db` deleted it without a word.
      if (resolve(opts.db) !== resolve(DEMO_DB) && existsSync(opts.db)) {
        throw new CredenceError(
          'CREDENCE_E_USAGE',
          `--db ${opts.db} exists: the demo makes its database afresh and would delete it; remove it first, or name a new file`,
          { field: '--db' },
        );
      }
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${opts.db}${suffix}`, { force: true });
      await initDatabase(opts.db);
      say(`Credence demo: fresh database ${opts.db}`);

      let app: App = await openApp(opts.db);
      const files = readdirSync(PROGRAMS_DIR)
        .filter((f) => f.endsWith('.yaml'))
        .sort();
      for (const f of files) {
        const path = `${PROGRAMS_DIR}${f}`;
        const text = readFileSync(path, 'utf8');
        const rb = compileRulebook(text, { file: `examples/programs/${f}` });
        const version = await app.store.addRulebook({
          program: rb.program,
          name: rb.name,
          yaml: text,
          effectiveFrom: rb.effectiveFrom,
          loadedAt: Date.now(),
        });
        say(`  program ${rb.program} v${version}: ${rb.name}`);
      }
      await app.close();
      app = await openApp(opts.db);

      const factsFile = `${opts.db.replace(/\.db$/, '')}.jsonl`;
      const out = createWriteStream(factsFile);
      for (let l = firstLine; !l.done; l = lines.next()) {
        if (!out.write(l.value)) await new Promise<void>((r) => out.once('drain', () => r()));
      }
      await new Promise<void>((r) => out.end(r));
      say(`  generated ${people} people over ${days} days into ${factsFile} (${lap()})`);

      try {
        // The generated history ends at DEFAULT_END and is scored as of then: ingested as of then
        // too, or its oldest facts would be past their retention at today's clock and refused.
        const end = parseInstant(DEFAULT_END);
        const s = await runIngest(app, { inputs: [factsFile], now: () => end });
        process.stdout.write(`  ingest: ${summaryText(s)}`);
        if (s.interrupted) return;

        const asOf = parseInstant(DEFAULT_END);
        say(`\nTier distribution as of ${formatInstant(asOf)} (${lap()})`);
        const outcomes = new Map<string, { subject: string; o: ScoreOutcome }[]>();
        for (const rb of app.programs.active) outcomes.set(rb.program, []);
        let after = '';
        for (;;) {
          const page = await app.store.subjectsPage(after, 1000);
          if (page.length === 0) break;
          for (const subject of page) {
            const person = await loadPerson(app, subject);
            // An id that ingest merged into another holds nothing: it is not a person to count.
            if (person.facts.length === 0 && person.consents.size === 0) continue;
            for (const rb of app.programs.active) {
              const facts = person.facts.filter((f) => rb.events[f.type] !== undefined);
              const o = scorePerson(rb, facts, asOf, person.consents.get(rb.program) ?? []);
              outcomes.get(rb.program)?.push({ subject, o });
            }
          }
          after = page.at(-1) as string;
        }
        for (const rb of app.programs.active) {
          const list = outcomes.get(rb.program) ?? [];
          say(`\n${rb.program} (${rb.name}), ${list.length} people`);
          for (const tier of rb.tiers) {
            const n = list.filter((x) => x.o.status === 'scored' && x.o.tier === tier.id).length;
            const pct = list.length > 0 ? (100 * n) / list.length : 0;
            say(
              `  ${tier.id.padEnd(10)} ${String(n).padStart(6)}  ${pct.toFixed(1).padStart(5)}%  ${'#'.repeat(Math.round(pct / 2))}`,
            );
          }
          for (const reason of ['insufficient-data', 'opted-out', 'not-enrolled']) {
            const n = list.filter((x) => x.o.status === 'not-scored' && x.o.reason === reason).length;
            if (n > 0) say(`  ${`not scored: ${reason}`.padEnd(30)} ${String(n).padStart(6)}`);
          }
        }

        // Two people explained: the best marketplace score, and the lowest city-civic score.
        const pick = (program: string, best: boolean): string | undefined => {
          const scored = (outcomes.get(program) ?? []).filter((x) => x.o.status === 'scored');
          scored.sort((a, b) => {
            const d = (a.o.status === 'scored' ? a.o.score : 0) - (b.o.status === 'scored' ? b.o.score : 0);
            return best ? -d : d;
          });
          return scored[0]?.subject;
        };
        const first = app.programs.active[0];
        const last = app.programs.active.at(-1);
        const chosen: [string | undefined, string | undefined][] = [
          [pick(last?.program ?? '', true), last?.program],
          [pick(first?.program ?? '', false), first?.program],
        ];
        for (const [subject, program] of chosen) {
          if (!subject || !program) continue;
          const rb = app.programs.at(program, asOf);
          if (!rb) continue;
          const person = await loadPerson(app, subject);
          const facts = person.facts.filter((f) => rb.events[f.type] !== undefined);
          const x = explainPerson(rb, facts, asOf, person.consents.get(program) ?? []);
          say(
            `\n--- ${subject} explained (credence explain ${subject} --program ${program} --as-of ${DEFAULT_END} --db ${opts.db})`,
          );
          process.stdout.write(explainText(subject, x, { maxLines: 12, rb }));
        }
        const [tryWho, tryProgram] = chosen[0] ?? [];
        say(
          tryWho && tryProgram
            ? // As of the instant the demo explained, or the command answers another score than the one shown.
              `\ndone in ${lap()}; try: npx credence score ${tryWho} --program ${tryProgram} --as-of ${DEFAULT_END} --db ${opts.db}`
            : `\ndone in ${lap()}; nobody was scored`,
        );
      } finally {
        await app.close();
      }
    });
}
