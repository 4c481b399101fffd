// What journeys through a case do again and again: sign in as a demo account, make a move on
// the case page, open a case, and the material file they upload.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectVisible, open } from './helpers.mjs';

/** A small PDF every journey uploads as a material. */
export const MATERIAL = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'material.pdf');

/** Signs in as the demo account `user` (password as printed at start-up) and lands on `next`. */
export async function signIn(page, context, baseUrl, user, next) {
  await context.clearCookies();
  await open(page, baseUrl, `/admin/login?next=${encodeURIComponent(next)}`);
  await page.fill('#username', user);
  await page.fill('#password', `${user}-demo-2026`);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/admin/login"] button[type="submit"]')]);
  const url = new URL(page.url());
  if (url.pathname === '/admin/login') throw new Error(`sign-in as ${user} failed: ${await page.innerText('main')}`);
}

/** Makes the move `key` (`step/outcome`) on the case page with the given field values. */
export async function move(page, assert, key, fields = {}) {
  const form = page.locator(`form[data-move="${key}"]`);
  await expectVisible(form, `the move ${key} is offered`);
  for (const [field, value] of Object.entries(fields)) {
    const input = form.locator(`[data-field="${field}"]`);
    const tag = await input.evaluate((el) => el.tagName.toLowerCase());
    if (tag === 'select') await input.selectOption(value);
    else await input.fill(value);
  }
  await Promise.all([page.waitForNavigation(), form.locator('button[type="submit"]').click()]);
  const problem = page.locator('#problem');
  if (await problem.isVisible()) assert.fail(`${key} refused: ${await problem.innerText()}`);
}

/** Opens a case's page and waits for its status. */
export async function openCase(page, baseUrl, number) {
  await open(page, baseUrl, `/cases/${number}`);
  await expectVisible(page.locator('#case-status'), `case ${number} opens`);
}
