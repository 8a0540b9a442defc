import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../e2e/cli.js';

// A reader follows the README's and the docs' links: each relative link names a file that exists,
// and each #anchor a heading of that file, as GitHub spells heading anchors (lower case, spaces to
// hyphens, other punctuation dropped). docs/sources.md pointed at BENCHMARKS.md#furnishers, a
// heading that reads "Furnishers: import and screening (issue #5)".
const anchor = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, '')
    .replaceAll(' ', '-');

function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fenced = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const m = fenced ? null : /^#{1,6}\s+(.*)$/.exec(line);
    if (!m) continue;
    const a = anchor(m[1] as string);
    const n = seen.get(a) ?? 0;
    seen.set(a, n + 1);
    out.add(n === 0 ? a : `${a}-${n}`);
  }
  return out;
}

/** Each relative link of a Markdown file outside code: `[text](target)`. */
function linksOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
    .replace(/```[\s\S]*?```/g, '')
    .replace(/`[^`\n]*`/g, (code) => (code.includes('](') ? '' : code));
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] as string)
    .filter((t) => !/^[a-z]+:/i.test(t));
}

const files = ['README.md', ...readdirSync(join(ROOT, 'docs')).map((f) => `docs/${f}`)].filter((f) =>
  f.endsWith('.md'),
);

describe('documentation links', () => {
  it.each(files)('%s: every relative link and anchor resolves', (file) => {
    const broken: string[] = [];
    for (const link of linksOf(join(ROOT, file))) {
      const [path, hash] = link.split('#') as [string, string | undefined];
      const target = path === '' ? join(ROOT, file) : join(dirname(join(ROOT, file)), path);
      // A clone holds only the repository: a link out of it (../shared/DESIGN.md) resolves here
      // and nowhere else.
      if (relative(ROOT, target).startsWith('..')) broken.push(`${link}: outside the repository`);
      else if (!existsSync(target)) broken.push(`${link}: no file ${relative(ROOT, target)}`);
      else if (hash !== undefined && target.endsWith('.md') && !anchorsOf(target).has(hash))
        broken.push(`${link}: no heading #${hash} in ${relative(ROOT, target)}`);
    }
    expect(broken).toEqual([]);
  });
});
