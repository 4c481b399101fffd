// Journey: the public overview page shows the headline figures of the reform.
import { expectDemoBanner, expectLang, expectVisible, open, parseNumber } from '../lib/helpers.mjs';

export const name = 'overview';

const FIGURES = [
  'powers_total',
  'received_from_province',
  'cancelled',
  'delegated_down',
  'fees_cancelled',
  'fees_reduced',
];

export async function run({ page, baseUrl, assert }) {
  await open(page, baseUrl, '/overview');
  await expectDemoBanner(page, '/overview');
  await expectLang(page, 'zh-CN', '/overview');
  const values = {};
  for (const figure of FIGURES) {
    const el = page.locator(`[data-figure="${figure}"]`).first();
    await expectVisible(el, `/overview: [data-figure="${figure}"]`);
    const text = (await el.innerText()).trim();
    const value = parseNumber(text);
    assert.ok(value !== null, `/overview: [data-figure="${figure}"] shows "${text}", not a number`);
    values[figure] = value;
  }
  assert.ok(values.powers_total >= 100, `/overview: powers_total is ${values.powers_total}, expected ≥ 100`);
}
