import { existsSync, readFileSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

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
