// Small waiting and reading helpers for journeys (playwright-core has no `expect`).
import assert from 'node:assert/strict';

/** Default time a `waitFor` polls before failing. */
export const WAIT_MS = 15_000;

/**
 * Poll `check` (sync or async) until it returns a truthy value, and return that value.
 * Exceptions inside `check` (e.g. "execution context was destroyed" while a page navigates)
 * count as "not yet". Fails with `message` and the last value or error seen.
 */
export async function waitFor(check, message, { timeout = WAIT_MS, interval = 150 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      assert.fail(`${message} (waited ${timeout} ms; last: ${detail})`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Wait until `locator` is visible. */
export async function expectVisible(locator, message) {
  await waitFor(() => locator.isVisible(), `${message}: not visible`);
}

/** Texts of the visible elements that `locator` matches, trimmed. */
export async function visibleTexts(locator) {
  const texts = [];
  for (const el of await locator.all()) {
    if (await el.isVisible()) texts.push((await el.innerText()).trim());
  }
  return texts;
}

/** The path of `href` (relative or absolute), e.g. "/powers/ABC". */
export function hrefPath(href, baseUrl) {
  return new URL(href, baseUrl).pathname;
}

/**
 * The first number in `text`: digits with optional thousands separators (`,` or thin spaces)
 * and decimals; null if there is none.
 */
export function parseNumber(text) {
  const m = String(text).match(/-?\d[\d,\u2009\u202f ]*(?:\.\d+)?/);
  if (!m) return null;
  const n = Number(m[0].replace(/[,\u2009\u202f ]/g, ''));
  return Number.isFinite(n) ? n : null;
}

/** Wait until the document has finished loading and the lang attribute is `lang`. */
export async function expectLang(page, lang, where) {
  await waitFor(
    () => page.evaluate(() => document.readyState === 'complete' && document.documentElement.lang),
    `${where}: document never finished loading`,
  );
  const actual = await page.evaluate(() => document.documentElement.lang);
  assert.equal(actual, lang, `${where}: expected <html lang="${lang}">, got lang="${actual}"`);
}

/** Checks every page of the site must pass: the demo banner shows. */
export async function expectDemoBanner(page, where) {
  await expectVisible(page.locator('.demo-banner').first(), `${where}: .demo-banner`);
}

/** Go to `path` and require a 200. */
export async function open(page, baseUrl, path) {
  const response = await page.goto(new URL(path, baseUrl).href, { waitUntil: 'load' });
  assert.ok(response, `GET ${path}: no response`);
  assert.equal(response.status(), 200, `GET ${path}: HTTP ${response.status()}`);
  return response;
}
