// Journey (issue 4, a case on an existing licence, art. 49): the demo enterprise opens its
// licences; on the one with a renewal under review a change is refused under the licence
// number field, naming the open case (one open case per licence); on the other it applies for a
// change of production address → the clerk accepts → the reviewer finds it conforms → the
// signatory grants (PROC-LICENCE-CHANGE) → the licence page shows the new address under the
// same number, also signed out (the public verification page), and the case lists the change
// notice. Each person signs in with the demo account printed at start-up.
import path from 'node:path';
import { MATERIAL, move, signIn } from '../lib/case-pages.mjs';
import { expectVisible, open, waitFor } from '../lib/helpers.mjs';

export const name = 'licence-change';

/** The demo enterprise (大连海通阀门制造有限公司) and the address it moves to. */
const HOLDER = '91210211MA0Y4K7P';
const NEW_ADDRESS = '辽宁省大连市金州区海通路 88 号';

/** On a licence page: follow its change application and hand it in with a new address. */
async function applyForChange(page, baseUrl, href) {
  await open(page, baseUrl, href);
  const change = page.locator('#licence-applications a[href*="-BG"]');
  await expectVisible(change, `the change application is offered on ${href}`);
  await Promise.all([page.waitForNavigation(), change.click()]);
  await page.fill('#production_address', NEW_ADDRESS);
  const inputs = page.locator('#apply-form input[type="file"]');
  for (let i = 0; i < (await inputs.count()); i += 1) await inputs.nth(i).setInputFiles(MATERIAL);
  await Promise.all([page.waitForNavigation(), page.click('#submit-application')]);
}

export async function run({ page, context, baseUrl, assert, outDir }) {
  await signIn(page, context, baseUrl, 'enterprise', `/licences?q=${HOLDER}`);
  const hrefs = await page.locator('#licence-list a.licence-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.equal(hrefs.length, 2, `the demo enterprise holds two licences (found ${hrefs.length})`);

  // One licence has a renewal under review: a change on it is refused, under its field.
  let number = null;
  let licenceHref = null;
  for (const href of hrefs) {
    await applyForChange(page, baseUrl, href);
    const fieldError = page.locator('[data-error-for="licence_number"]');
    if (await fieldError.isVisible()) {
      assert.match(await fieldError.innerText(), /已有办理中的申请（案件 \d{4}-\d{6}）/);
      await page.screenshot({ path: path.join(outDir, 'licence-change-refused.png'), fullPage: true });
      continue;
    }
    number = (await page.innerText('#case-number')).trim();
    licenceHref = href;
  }
  assert.ok(number, 'the change was accepted on the licence without an open case');
  assert.match(number, /^\d{4}-\d{6}$/);
  const before = await page.locator('#case-status').innerText();
  assert.match(before, /待受理/);

  // The clerk accepts, the reviewer finds it conforms, the signatory grants.
  await signIn(page, context, baseUrl, 'clerk', `/cases/${number}`);
  await move(page, assert, 'acceptance/accept');
  await signIn(page, context, baseUrl, 'reviewer', `/cases/${number}`);
  await move(page, assert, 'document_review/conforms', { opinion: '生产条件未变化，变更事项属实' });
  await signIn(page, context, baseUrl, 'signatory', `/cases/${number}`);
  await move(page, assert, 'decision/grant');

  // The case lists the change notice (made in the background: look again until it is there).
  await waitFor(async () => {
    await open(page, baseUrl, `/cases/${number}`);
    return (await page.locator('#documents').innerText()).includes('许可证变更通知书');
  }, `case ${number} lists the change notice`, { timeout: 60_000, interval: 1000 });

  // The holder's licence page: the new address, the same number.
  const licenceNumber = decodeURIComponent(licenceHref.split('/').pop());
  await signIn(page, context, baseUrl, 'enterprise', licenceHref);
  assert.equal((await page.innerText('#licence-number')).trim(), licenceNumber);
  assert.match(await page.innerText('#licence-facts'), new RegExp(NEW_ADDRESS));

  // Anyone verifying it sees the same.
  await context.clearCookies();
  await open(page, baseUrl, licenceHref);
  assert.equal((await page.innerText('#licence-number')).trim(), licenceNumber);
  assert.match(await page.innerText('#licence-facts'), new RegExp(NEW_ADDRESS));
  const verdict = await page.locator('#verdict').getAttribute('class');
  assert.ok(verdict.includes('valid') && !verdict.includes('invalid'), `still valid: ${verdict}`);
}
