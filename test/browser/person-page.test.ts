import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld, shopFact } from '../api/api-world.js';
import { expectAccessible, launchChromium } from './browser.js';

// GET /me: the scored person's own page. Before it, the server's home page told a person to run
// curl with their key. The person pastes the key, sees each program's score in a picture and in
// words, every point with who sent its fact, who asked about them, disputes a fact and opts out,
// with nothing but the browser. Names and fact ids come from furnishers and relying parties: the
// page shows them as text, never runs them.
let w: ApiWorld;
let browser: Browser;
let base: string;
// A fact id and a relying party's name as a hostile furnisher or key holder could write them.
const HOSTILE_FACT = '<script>window.pwned=1</script>';
const HOSTILE_WHO = '<img src=x onerror="window.pwned=2">';

beforeAll(async () => {
  w = await makeApiWorld({ people: 4 });
  // The person's identifiers as their file holds them, so the furnisher's fact is theirs.
  const file = await w.call('GET', '/v1/me/file', w.keys.person);
  const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, {
    facts: [shopFact(HOSTILE_FACT, file.body.facts[0].subject)],
  });
  expect(sent.body.counts.accepted).toBe(1);
  const hostile = await w.api.ctx.auth.issue({
    role: 'relying-party',
    name: HOSTILE_WHO,
    purposes: ['tenancy'],
  });
  for (const key of [w.keys.rp, hostile.token]) {
    const asked = await w.call(
      'GET',
      `/v1/persons/${w.keys.personSubject}/score?program=marketplace&purpose=tenancy`,
      key,
    );
    expect(asked.status).toBe(200);
  }
  base = await w.api.server.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await w?.dispose();
});

/** Opens /me and enters the key by keyboard: Tab to the field, type, Enter. */
async function openFile(page: Page, key: string): Promise<void> {
  await page.goto(`${base}/me`);
  for (let i = 0; i < 10; i++) {
    if ((await page.evaluate('document.activeElement && document.activeElement.id')) === 'key') break;
    await page.keyboard.press('Tab');
  }
  await page.keyboard.type(key);
  await page.keyboard.press('Enter');
}

const section = (program: string) => `#programs section[data-program="${program}"]`;

describe('/me, the person scored', () => {
  it.each([1280, 360])(
    'at %i px wide: lang, headings, contrast, no sideways scrolling, before and with the file open',
    async (width) => {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      try {
        await page.goto(`${base}/me`);
        await expectAccessible(page);
        await openFile(page, w.keys.person);
        await page.waitForSelector(`${section('marketplace')} .score`);
        await expectAccessible(page);
        if (process.env.CREDENCE_SCREENSHOT) {
          await page.screenshot({ path: `/tmp/me-${width}.png`, fullPage: true });
          await page.locator(`${section('marketplace')} h3`).scrollIntoViewIfNeeded();
          await page.screenshot({ path: `/tmp/me-${width}-marketplace.png` });
        }
      } finally {
        await page.close();
      }
    },
  );

  it('a wrong key gets a sentence, not JSON, and the key is kept nowhere', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
    try {
      await openFile(page, 'cred_person_notakey');
      const problem = page.locator('#key-problem');
      await problem.waitFor({ state: 'visible' });
      const text = (await problem.textContent()) ?? '';
      expect(text).toMatch(/^That key was not accepted\./);
      expect(text).not.toMatch(/[{}]|CREDENCE_E_/);
      expect(await page.evaluate('sessionStorage.length + localStorage.length')).toBe(0);
      expect(await page.locator('#file').isHidden()).toBe(true);
    } finally {
      await page.close();
    }
  });

  // Before the opt-out below, while the hostile fact still counts in the person's marketplace score.
  it('shows a furnisher-sent fact id and a relying party name with markup as text, and runs neither', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
    try {
      await openFile(page, w.keys.person);
      await page.waitForSelector('#inquiry-list li');
      const body = (await page.textContent('#file')) ?? '';
      expect(body).toContain(`(their fact ${HOSTILE_FACT}, a purchase.completed)`);
      expect(body).toContain(HOSTILE_WHO);
      expect(await page.locator('#file script, #file img').count()).toBe(0);
      expect(await page.evaluate('window.pwned')).toBeUndefined();
    } finally {
      await page.close();
    }
  });
  it('shows the score, its points and the inquiries; a dispute marks the fact; an opt-out says why there is no score', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const person = w.keys.person;
    try {
      await openFile(page, person);
      const mp = section('marketplace');
      await page.waitForSelector(`${mp} .score`);
      // The key is in this tab's sessionStorage only.
      expect(await page.evaluate('Object.keys(sessionStorage)')).toEqual(['credence.personKey']);
      expect(await page.evaluate('localStorage.length')).toBe(0);
      expect(await page.context().cookies()).toEqual([]);

      const x = (await w.call('GET', '/v1/me/explanations/marketplace', person)).body;
      expect(x.outcome.status).toBe('scored');
      expect(await page.textContent(`${mp} .score`)).toBe(String(x.outcome.score));
      expect(await page.textContent(`${mp} .tier`)).toBe(x.outcome.tier);
      const picture = page.locator(`${mp} svg.scale`);
      expect(await picture.getAttribute('aria-label')).toContain(
        `Your score ${x.outcome.score} on a scale from 350 to 950`,
      );
      // One band per tier, and the words say where the score sits.
      expect(await picture.locator('rect[height="26"]').count()).toBe(5);
      expect(await page.textContent(mp)).toContain(`The tier "${x.outcome.tier}" holds scores from`);
      // Every point: its sentence, a bar, its points.
      const points = page.locator(`${mp} li.point`);
      expect(await points.count()).toBe(x.contributions.length);
      for (const [i, c] of (x.contributions as { what: string; points: number }[]).entries()) {
        const item = points.nth(i);
        expect(await item.textContent()).toContain(c.what);
        expect(await item.locator('.bar').count()).toBe(1);
      }
      for (const cf of x.counterfactuals as { what: string }[])
        expect(await page.textContent(mp)).toContain(cf.what);

      // city-civic scores only people who opt in: the sentence says so.
      const cc = (await w.call('GET', '/v1/me/scores/city-civic', person)).body;
      expect(cc.status).toBe('not-scored');
      expect(await page.textContent(`${section('city-civic')} .not-scored`)).toBe(`Not scored. ${cc.why}`);

      // Who asked: each inquiry's sentence, who and why.
      const inquiries = (await w.call('GET', '/v1/me/inquiries', person)).body.inquiries as {
        what: string;
      }[];
      expect(inquiries.length).toBeGreaterThanOrEqual(2);
      const list = (await page.textContent('#inquiry-list')) ?? '';
      for (const q of inquiries) expect(list).toContain(q.what);
      expect(list).toContain('Acme Rentals');
      expect(list).toContain('for the purpose "tenancy"');

      // Dispute the first point that has a fact: by keyboard, with a reason.
      const c = (x.contributions as { factKey?: string; factId?: string; source?: string }[]).find(
        (p) => p.factId && p.source && p.factKey !== `shop/${HOSTILE_FACT}`,
      );
      if (!c?.factKey) throw new Error('no point with a fact to dispute');
      const point = page.locator(`${mp} li.point[data-fact="${c.factKey}"]`);
      await point.getByRole('button', { name: 'Dispute this fact' }).focus();
      await page.keyboard.press('Enter');
      await page.locator('#confirm').waitFor({ state: 'visible' });
      await page.keyboard.type('I never made this payment <b>at all</b>');
      await page.getByRole('button', { name: 'Dispute it' }).focus();
      await page.keyboard.press('Enter');
      await page.locator(`${mp} li.point[data-fact="${c.factKey}"] .disputed`).waitFor();
      const opened = (await w.call('GET', '/v1/me/disputes', person)).body.disputes as {
        factId: string;
        status: string;
        dueAt: string;
        reason: string;
      }[];
      expect(opened.map((d) => [d.factId, d.status, d.reason])).toEqual([
        [c.factId, 'open', 'I never made this payment <b>at all</b>'],
      ]);
      const due = new Date(opened[0]?.dueAt as string).toLocaleDateString('en-GB', {
        timeZone: 'UTC',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
      });
      expect(await point.locator('.disputed').textContent()).toContain(`must answer by ${due}`);
      const disputes = (await page.textContent('#dispute-list')) ?? '';
      expect(disputes).toContain('"I never made this payment <b>at all</b>"');
      expect(disputes).toContain(`must be answered by ${due}`);
      expect(await page.locator('#dispute-list b').count()).toBe(0);

      // The whole file, downloaded as JSON: the person's own copy, as GET /v1/me/file gives it.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download my whole file' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`credence-file-${w.keys.personSubject}.json`);
      const copy = JSON.parse(readFileSync(await download.path(), 'utf8'));
      expect(copy.subject).toBe(w.keys.personSubject);
      expect(copy.disputes.map((d: { factId: string }) => d.factId)).toEqual([c.factId]);

      // Opt out, confirmed: the program's section now says why there is no score.
      await page.getByRole('button', { name: /^Opt out of Marketplace/ }).focus();
      await page.keyboard.press('Enter');
      await page.locator('#confirm').waitFor({ state: 'visible' });
      // Cancel has the focus first: an Enter pressed by mistake changes nothing.
      expect(await page.evaluate('document.activeElement.id')).toBe('confirm-no');
      await page.keyboard.press('Shift+Tab');
      expect(await page.evaluate('document.activeElement.textContent')).toBe('Yes, opt out');
      await page.keyboard.press('Enter');
      await page.locator(`${mp} .not-scored`).waitFor();
      const after = (await w.call('GET', '/v1/me/scores/marketplace', person)).body;
      expect([after.status, after.reason]).toEqual(['not-scored', 'opted-out']);
      expect(await page.textContent(`${mp} .not-scored`)).toBe(`Not scored. ${after.why}`);
      expect(await page.locator(`${mp} .score`).count()).toBe(0);
      expect(await page.getByRole('button', { name: /^Opt back in to Marketplace/ }).count()).toBe(1);
      // The button pressed is gone with the old content: the focus is on what was done.
      expect(await page.evaluate('[document.activeElement.id, document.activeElement.textContent]')).toEqual([
        'status',
        'You are opted out of Marketplace score (cross-platform, after Sesame Credit).',
      ]);

      // Withdraw the dispute, confirmed: the list says so, and so does the API.
      const id = (opened[0] as unknown as { id: string }).id;
      await page
        .locator(`#dispute-list li[data-dispute="${id}"]`)
        .getByRole('button', { name: 'Withdraw this dispute' })
        .click();
      await page.getByRole('button', { name: 'Yes, withdraw it' }).click();
      await page.getByText('Your dispute is withdrawn.').waitFor();
      expect(await page.textContent(`#dispute-list li[data-dispute="${id}"]`)).toContain('; withdrawn.');
      expect(await page.locator('#dispute-list button').count()).toBe(0);
      const closed = (await w.call('GET', '/v1/me/disputes', person)).body.disputes as { status: string }[];
      expect(closed.map((d) => d.status)).toEqual(['withdrawn']);
      if (process.env.CREDENCE_SCREENSHOT) await page.screenshot({ path: '/tmp/me.png', fullPage: true });
    } finally {
      await page.close();
    }
  });
});
