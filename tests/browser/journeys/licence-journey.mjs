// Journey (issue 4, "Done when"): an enterprise applies from the guide → the clerk sends the one
// supplement notice → the enterprise supplements → the clerk accepts → two inspectors pass the
// site → the reviewer's review hands the samples to the institute → the institute reports the
// test → the signatory grants → the clerk issues the licence → the public verification page
// says the licence is valid. Each person signs in with the demo account printed at start-up.
import { MATERIAL, move, signIn, openCase } from '../lib/case-pages.mjs';
import { expectVisible, open, waitFor } from '../lib/helpers.mjs';

export const name = 'licence-journey';

const ITEM = 'BS-XK-0101-002-XB';

export async function run({ page, context, baseUrl, assert }) {
  // The enterprise starts from the service guide.
  await signIn(page, context, baseUrl, 'enterprise', `/items/${ITEM}`);
  await Promise.all([page.waitForNavigation(), page.click('#apply-online')]);
  const inputs = page.locator('#apply-form input[type="file"]');
  const count = await inputs.count();
  assert.ok(count >= 6, `the apply form has a file input per material (found ${count})`);
  for (let i = 0; i < count; i += 1) {
    const material = await inputs.nth(i).getAttribute('data-material');
    if (material !== '营业执照') await inputs.nth(i).setInputFiles(MATERIAL);
  }
  await Promise.all([page.waitForNavigation(), page.click('#submit-application')]);
  const number = (await page.innerText('#case-number')).trim();
  assert.match(number, /^\d{4}-\d{6}$/, `a case number, got "${number}"`);
  assert.match(await page.innerText('#case-status'), /待受理/);

  // The clerk's one-time supplement notice.
  await signIn(page, context, baseUrl, 'clerk', '/workbench');
  await expectVisible(page.locator(`tr[data-case="${number}"]`), 'the new case is in the clerk\'s queue');
  await openCase(page, baseUrl, number);
  await move(page, assert, 'acceptance/request_supplement', { items: '营业执照副本（加盖公章）' });
  assert.match(await page.innerText('#case-status'), /待补正/);

  // The enterprise supplements the one listed material.
  await signIn(page, context, baseUrl, 'enterprise', `/cases/${number}`);
  const form = page.locator('form[data-move="supplement/supplemented"]');
  await expectVisible(form, 'the supplement form');
  await form.locator('input[type="file"]').first().setInputFiles(MATERIAL);
  await Promise.all([page.waitForNavigation(), form.locator('button[type="submit"]').click()]);
  assert.match(await page.innerText('#case-status'), /待受理/);

  // The clerk accepts: the legal clock starts.
  await signIn(page, context, baseUrl, 'clerk', `/cases/${number}`);
  await move(page, assert, 'acceptance/accept');
  await expectVisible(page.locator('#clock'), 'the clock panel after acceptance');

  // Two inspectors on site (art. 34).
  await signIn(page, context, baseUrl, 'inspector', `/cases/${number}`);
  await move(page, assert, 'onsite_verification/pass', { inspectors: 'inspector\ninspector.wang' });

  // The reviewer's review hands the samples to the provincial institute.
  await signIn(page, context, baseUrl, 'reviewer', `/cases/${number}`);
  await move(page, assert, 'document_review/conforms', {
    opinion: '材料齐全，符合法定形式',
    'hand_over:issuance_testing': '210200-ZJY',
  });
  assert.match(await page.innerText('#case-status'), /特别程序/);

  // The institute reports the test; it still sees the case it worked on, read-only.
  await signIn(page, context, baseUrl, 'institute', `/cases/${number}`);
  await move(page, assert, 'issuance_testing/pass', { result: '抽样检验合格' });
  assert.match(await page.innerText('#case-status'), /待决定/);
  assert.equal(await page.locator('#moves').count(), 0, 'no moves are left for the institute');

  // The signatory grants; the clerk issues the certificate.
  await signIn(page, context, baseUrl, 'signatory', '/workbench');
  await expectVisible(page.locator(`tr[data-case="${number}"]`), 'the case waits for signature');
  await openCase(page, baseUrl, number);
  await move(page, assert, 'decision/grant');
  await signIn(page, context, baseUrl, 'clerk', `/cases/${number}`);
  await move(page, assert, 'certificate/issue');
  const licence = page.locator('#licence-link');
  await expectVisible(licence, 'the licence number on the case page');
  const href = await licence.getAttribute('href');

  // Anyone can verify the licence.
  await context.clearCookies();
  await open(page, baseUrl, href);
  const verdict = page.locator('#verdict');
  await expectVisible(verdict, 'the verification verdict');
  await waitFor(async () => (await verdict.getAttribute('class')).includes('valid') && !(await verdict.getAttribute('class')).includes('invalid'),
    `the licence ${href} is reported valid`);
}
