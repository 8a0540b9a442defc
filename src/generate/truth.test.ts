import { describe, expect, it } from 'vitest';
import { generateJsonl, generateJsonlWithTruth, generatePopulation, TRUTH_HEADER } from './index.js';

describe('ground truth', () => {
  it('gives the same lines as generateJsonl and one truth row per line, naming the real person', () => {
    const opts = { people: 300, seed: 31 };
    let csv = TRUTH_HEADER;
    const lines = [...generateJsonlWithTruth(opts, (rows) => (csv += rows))];
    expect(lines.join('')).toBe([...generateJsonl(opts)].join(''));
    const rows = csv.trim().split('\n');
    expect(rows[0]).toBe(TRUTH_HEADER.trim());
    expect(rows.length - 1).toBe(lines.length);
    const owner = new Map<string, string>();
    for (const { person, facts } of generatePopulation(opts)) {
      for (const f of facts)
        owner.set(`${f.source},${f.id}`, `${person.index},${person.nationalId ?? person.passport?.number}`);
    }
    lines.forEach((line, i) => {
      const f = JSON.parse(line) as { source: string; id: string };
      const [source, id, person, doc] = (rows[i + 1] as string).split(',');
      expect(`${source},${id}`).toBe(`${f.source},${f.id}`);
      expect(`${person},${doc}`).toBe(owner.get(`${f.source},${f.id}`));
    });
  });
});
