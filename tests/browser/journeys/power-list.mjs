// Journey: find a power by name, open it, open one of its service items, print the guide,
// switch language. The selectors below are the page contract of /powers, /powers/{code} and
// /items/{code}.
import fs from 'node:fs';
import path from 'node:path';
import {
  expectDemoBanner,
  expectLang,
  expectVisible,
  hrefPath,
  open,
  visibleTexts,
  waitFor,
} from '../lib/helpers.mjs';

export const name = 'power-list';

const DATE = /\d{4}-\d{1,2}-\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日|\d{4}\/\d{1,2}\/\d{1,2}/;

/** What every page of the site shows. */
async function checkPage(page, where) {
  await expectDemoBanner(page, where);
  await expectLang(page, 'zh-CN', where);
}

function resultLinks(page) {
  return page.locator('table#power-list a.power-link');
}

async function resultsSignature(page) {
  try {
    return JSON.stringify(await visibleTexts(resultLinks(page)));
  } catch {
    return null;
  }
}

/**
 * Type `term` into the search form and submit it as a person would; wait until the results
 * changed and settled (works for a full GET navigation and for an in-page update). Returns the
 * visible result link texts.
 */
async function search(page, term) {
  const before = await resultsSignature(page);
  const form = page.locator('form#power-search');
  await expectVisible(form, '/powers: form#power-search');
  const method = ((await form.getAttribute('method')) || 'get').toLowerCase();
  if (method !== 'get') throw new Error(`form#power-search must use GET, has method="${method}"`);
  const q = form.locator('input[name=q]');
  await q.fill(term);
  const submit = form.locator('button[type=submit], button:not([type]), input[type=submit]');
  if ((await submit.count()) > 0 && (await submit.first().isVisible())) {
    await submit.first().click();
  } else {
    await q.press('Enter');
  }
  let previous = null;
  const settled = await waitFor(
    async () => {
      const ready = await page.evaluate(() => document.readyState === 'complete');
      const sig = await resultsSignature(page);
      const stable = ready && sig !== null && sig !== before && sig === previous;
      previous = sig;
      return stable && sig;
    },
    `search for ${term}: the results never changed from ${before}`,
    { interval: 300 },
  );
  return JSON.parse(settled);
}

export async function run({ page, baseUrl, assert, outDir }) {
  await open(page, baseUrl, '/powers');
  await checkPage(page, '/powers');
  await expectVisible(page.locator('table#power-list'), '/powers: table#power-list');

  // A multi-character name.
  const blankets = await search(page, '电热毯');
  assert.ok(blankets.length >= 1, 'search 电热毯: no result row');
  for (const text of blankets) {
    assert.ok(text.includes('电热毯'), `search 电热毯: result "${text}" does not contain 电热毯`);
  }
  await checkPage(page, '/powers?q=电热毯');
  for (const href of await resultLinks(page).evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
    assert.match(hrefPath(href, baseUrl), /^\/powers\/[^/]+$/, `a.power-link href ${href}`);
  }

  // A single character.
  const pumps = await search(page, '泵');
  assert.ok(pumps.length >= 1, 'search 泵: no result row');
  await checkPage(page, '/powers?q=泵');

  // Back to 电热毯 and open the first result.
  await search(page, '电热毯');
  const first = resultLinks(page).filter({ hasText: '电热毯' }).first();
  const powerPath = hrefPath(await first.getAttribute('href'), baseUrl);
  await Promise.all([page.waitForURL((u) => u.pathname === powerPath), first.click()]);
  await checkPage(page, powerPath);
  const h1 = await page.locator('h1').first().innerText();
  assert.ok(h1.includes('电热毯'), `${powerPath}: h1 "${h1}" does not contain 电热毯`);
  const history = page.locator('#history');
  await expectVisible(history, `${powerPath}: #history`);
  const historyText = await history.innerText();
  const times = await history.locator('time').count();
  assert.ok(times > 0 || DATE.test(historyText), `${powerPath}: #history lists no dated change:\n${historyText}`);
  await expectVisible(page.locator('#service-items'), `${powerPath}: #service-items`);
  const items = page.locator('#service-items a.item-link');
  assert.ok((await items.count()) >= 1, `${powerPath}: no a.item-link in #service-items`);
  for (const href of await items.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
    assert.match(hrefPath(href, baseUrl), /^\/items\/[^/]+$/, `a.item-link href ${href}`);
  }

  // The service guide of the first item.
  const itemPath = hrefPath(await items.first().getAttribute('href'), baseUrl);
  await Promise.all([page.waitForURL((u) => u.pathname === itemPath), items.first().click()]);
  await checkPage(page, itemPath);
  const guideTitle = (await page.locator('h1').first().innerText()).trim();
  assert.ok(guideTitle.length > 0, `${itemPath}: empty h1`);
  for (const id of ['time-limits', 'fees', 'materials', 'contact']) {
    await expectVisible(page.locator(`#${id}`), `${itemPath}: #${id}`);
  }

  // Printing: no site navigation on paper, and a real A4 PDF.
  const header = page.locator('header.site-header');
  await expectVisible(header, `${itemPath}: header.site-header (on screen)`);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await header.isVisible(), false, `${itemPath}: header.site-header is visible in print`);
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', 'page.pdf() did not give a PDF');
  assert.ok(pdf.length > 10 * 1024, `guide PDF is only ${pdf.length} bytes`);
  fs.writeFileSync(path.join(outDir, 'guide.pdf'), pdf);
  await page.emulateMedia({ media: 'screen' });

  // Language switch.
  await expectLang(page, 'zh-CN', itemPath);
  await page.locator('a#lang-switch').click();
  await waitFor(
    () => page.evaluate(() => document.readyState === 'complete' && document.documentElement.lang === 'en'),
    `${itemPath}: a#lang-switch did not give <html lang="en">`,
  );
  await expectDemoBanner(page, `${itemPath} (en)`);
}
