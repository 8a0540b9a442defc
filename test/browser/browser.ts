import { existsSync, readFileSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Chromium as installed on the machine (CHROMIUM, else /usr/bin/chromium); a clear error without it. */
export async function launchChromium(): Promise<Browser> {
  const path = process.env.CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(path))
    throw new Error(
      `the browser suite needs Chromium at ${path}: apt-get install -y chromium, or set CHROMIUM`,
    );
  return chromium.launch({
    executablePath: path,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A page's basic accessibility, as the browser lays it out: what a test asserts on. */
export interface PageFacts {
  lang: string;
  h1: number;
  /** Heading levels in document order (1 for h1 ...). */
  levels: number[];
  /** How far the page is wider than the window, in CSS pixels (0: no sideways scrolling). */
  overflow: number;
  /** Text whose contrast with what is behind it is under WCAG AA (4.5:1; 3:1 for large text). */
  lowContrast: string[];
}

// The function's text, called in the page: its file is plain JavaScript (the DOM's globals are
// outside the Node code's type-check), read as text rather than imported.
const IN_PAGE_FILE = readFileSync(new URL('./page-facts.in-page.js', import.meta.url), 'utf8');
const IN_PAGE = IN_PAGE_FILE.slice(IN_PAGE_FILE.indexOf('export function ') + 'export '.length).trim();

export async function pageFacts(page: Page): Promise<PageFacts> {
  return (await page.evaluate(`(${IN_PAGE})()`)) as PageFacts;
}

/**
 * What every page is held to: a language, one h1 and no skipped heading level, readable contrast,
 * and nothing wider than the screen.
 */
export async function expectAccessible(page: Page): Promise<void> {
  const f = await pageFacts(page);
  expect(f.lang).toBe('en');
  expect(f.h1).toBe(1);
  expect(f.levels[0]).toBe(1);
  // A heading goes at most one level deeper than the one before it.
  for (let i = 1; i < f.levels.length; i++)
    expect((f.levels[i] as number) - (f.levels[i - 1] as number)).toBeLessThanOrEqual(1);
  expect(f.lowContrast).toEqual([]);
  expect(f.overflow).toBe(0);
}
