import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, activateRulebook, exampleWith, makeApiWorld } from '../api/api-world.js';
import { expectAccessible, launchChromium, pageFacts } from './browser.js';

// The pages a person or an operator opens in a browser (the URL `credence serve` prints, and /docs
// it points to), on a desktop and on a phone's width: a language, one h1 and no skipped heading
// level, readable contrast, and nothing wider than the screen. /docs at 360 px was 57 px wider than
// the phone: a route's path (/v1/programs/drafts/{draftId}/activate) in a heading does not wrap.
let w: ApiWorld;
let browser: Browser;
let base: string;
beforeAll(async () => {
  w = await makeApiWorld({ people: 4 });
  base = await w.api.server.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await w?.dispose();
});

describe.each(['/', '/docs'])('%s in a browser', (path) => {
  it.each([1280, 360])('at %i px wide: lang, headings, contrast, no sideways scrolling', async (width) => {
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    try {
      const res = await page.goto(base + path);
      expect(res?.status()).toBe(200);
      await expectAccessible(page);
    } finally {
      await page.close();
    }
  });
});

describe('/ for the person scored', () => {
  it('links to the routes a person uses, and the link lands on their section of /docs', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
    try {
      await page.goto(`${base}/`);
      const link = page.getByRole('link', { name: /your own file/i });
      await expect(link.count()).resolves.toBe(1);
      // Keyboard: Tab reaches it.
      let focused = '';
      for (let i = 0; i < 10 && !/your own file/i.test(focused); i++) {
        await page.keyboard.press('Tab');
        focused = await page.evaluate('document.activeElement && document.activeElement.textContent || ""');
      }
      expect(focused).toMatch(/your own file/i);
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/docs#tag-person$/);
      const heading = await page.evaluate('document.getElementById(location.hash.slice(1))?.textContent');
      expect(heading).toBe('person');
    } finally {
      await page.close();
    }
  });
});

describe('/ with a long program id, on a phone', () => {
  // A program id with no hyphen to break at ran 186 px past a 360 px screen in its <code>.
  it('wraps the id rather than scrolling sideways', async () => {
    const id = 'marketplacepilotforthenortherndistricts2027edition';
    await activateRulebook(w, exampleWith(0, /^program: marketplace$/m, `program: ${id}`));
    const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
    try {
      await page.goto(`${base}/`);
      expect(await page.textContent('body')).toContain(id);
      expect((await pageFacts(page)).overflow).toBe(0);
    } finally {
      await page.close();
    }
  });
});
