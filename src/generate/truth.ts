import { type GenerateOptions, generatePopulation, toJsonLine } from './generate-facts.js';

/** The header of the ground-truth CSV: which person each fact is really about. */
export const TRUTH_HEADER = 'source,id,person,document\n';

// Flush the truth in chunks: a million people make twenty million rows.
const TRUTH_CHUNK = 64 * 1024;

/**
 * The JSON Lines of a population, handing the ground truth (`source,id,person,document` rows:
 * the generated person's index and resident ID or passport number) to `onTruth` in chunks, for
 * measuring identity resolution against what really happened.
 *
 * @example
 * let csv = TRUTH_HEADER;
 * for (const line of generateJsonlWithTruth({ people: 10 }, (rows) => { csv += rows; })) process.stdout.write(line);
 */
export function generateJsonlWithTruth(
  opts: GenerateOptions,
  onTruth: (rows: string) => void,
): Generator<string> {
  const people = generatePopulation(opts);
  return (function* () {
    let rows = '';
    for (const { person, facts } of people) {
      const doc = person.nationalId ?? person.passport?.number ?? '';
      for (const f of facts) {
        yield `${toJsonLine(f)}\n`;
        rows += `${f.source},${f.id},${person.index},${doc}\n`;
      }
      if (rows.length >= TRUTH_CHUNK) {
        onTruth(rows);
        rows = '';
      }
    }
    if (rows !== '') onTruth(rows);
  })();
}
