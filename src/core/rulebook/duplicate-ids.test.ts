import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CredenceError } from '../errors/index.js';
import { compileRulebook } from './compile.js';

// A refused rulebook names the file, the path and the reason of each problem. An id used twice
// must be placed at the repeat itself (`rules[3].id`, its line), not at the section's first line:
// in a rulebook of forty rules, "rules: id "x" is used twice" does not say which one to rename.

type Section = 'tiers' | 'rules' | 'inactivity' | 'flags' | 'privileges' | 'restrictions' | 'dimensions';

function item(section: Section, id: string, i: number): string {
  switch (section) {
    case 'tiers':
      return `  - { id: ${id}, min: ${100 - i * 10} }`;
    case 'dimensions':
      return `  - ${id} # ${i}`;
    case 'rules':
      return `  - { id: ${id}, on: pay.done, points: 1, reason: { code: R${i}, text: r } }`;
    case 'inactivity':
      return `  - { id: ${id}, of: [pay.done], after: P30D, points: -1, reason: { code: I${i}, text: i } }`;
    case 'flags':
      return `  - { id: ${id}, set: pay.done, reason: { code: L${i}, text: l } }`;
    case 'privileges':
    case 'restrictions':
      return `  - { id: ${id}, context: payment, when: "score > ${i}" }`;
  }
}

function book(section: Section, ids: readonly string[]): string {
  const lines = ['program: dup', 'name: Dup', 'enrollment: opt-out', 'scale: { min: 0, max: 100, base: 50 }'];
  lines.push('tiers:', ...(section === 'tiers' ? ids.map((id, i) => item('tiers', id, i)) : []));
  lines.push(`  - { id: BOTTOM, min: 0 }`);
  if (section === 'dimensions') lines.push('dimensions:', ...ids.map((id, i) => item(section, id, i)));
  lines.push('events:', '  pay.done: { category: payment, fields: { amount: number } }');
  if (section !== 'tiers' && section !== 'dimensions')
    lines.push(`${section}:`, ...ids.map((id, i) => item(section, id, i)));
  return `${lines.join('\n')}\n`;
}

function refusal(text: string): CredenceError {
  try {
    compileRulebook(text, { file: 'dup.yaml' });
  } catch (e) {
    if (e instanceof CredenceError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('an id used twice', () => {
  it('is reported at the repeat, with its line, naming the first use', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Section>(
          'tiers',
          'rules',
          'inactivity',
          'flags',
          'privileges',
          'restrictions',
          'dimensions',
        ),
        fc.integer({ min: 2, max: 6 }),
        fc.nat(),
        fc.nat(),
        (section, n, a, b) => {
          const first = a % (n - 1);
          const repeat = first + 1 + (b % (n - 1 - first));
          const ids = Array.from({ length: n }, (_, i) => `x${i}`);
          ids[repeat] = ids[first] as string;
          const text = book(section, ids);
          const e = refusal(text);
          const at = (i: number) => (section === 'dimensions' ? `${section}[${i}]` : `${section}[${i}].id`);
          const d = e.details.find((x) => x.path === at(repeat));
          expect(d, JSON.stringify(e.details)).toBeDefined();
          expect(d?.file).toBe('dup.yaml');
          expect(d?.reason).toContain(`"${ids[first]}"`);
          expect(d?.reason).toContain(at(first));
          // The line is the repeat's own.
          const line = text
            .split('\n')
            .findIndex((l, i) => i > 0 && l === item(section, ids[repeat] as string, repeat));
          expect(d?.line).toBe(line + 1);
          expect(e.details.filter((x) => x.reason.includes('used twice'))).toHaveLength(1);
        },
      ),
    );
  });

  it('between a privilege and a restriction is placed at the later one', () => {
    const text = `${book('privileges', ['same'])}restrictions:\n  - { id: same, context: payment, when: "score < 10" }\n`;
    const e = refusal(text);
    expect(e.details.find((d) => d.reason.includes('used twice'))).toMatchObject({
      path: 'restrictions[0].id',
      line: text.split('\n').length - 1,
    });
  });
});
