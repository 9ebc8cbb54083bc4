// Accessibility, checked by axe-core in Chromium: the demo article with the widget (and a reply
// form and a nudge open), the comments as the server draws them without the widget, and the
// moderators' dashboard pages. No serious or
// critical violation may stand; each one found is printed with where it is.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { launchBrowser, startJirga } from './harness.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let jirga, browser;
before(async () => {
  jirga = await startJirga();
  browser = await launchBrowser();
  jirga.adminWithInput('an admin password here\n', 'moderator', 'add', '--email', 'a11y@example.org', '--name', 'Ally Checker', '--site', 'demo', '--admin');
});
after(async () => {
  await browser?.close();
  jirga?.stop();
});

/** Serious and critical violations on the page as it is now (open shadow roots included). */
async function violations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' > ')).join(' | ')}`);
  });
}

test('the article page and the widget', async () => {
  // The pages' CSP allows only their own scripts: axe is injected around it.
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(jirga.url + '/');
  await page.locator('#jirga-heading').filter({ hasText: /Comments \(\d+\)/ }).waitFor();
  assert.deepEqual(await violations(page), [], 'article page with the widget');
  await page.locator('li.comment').first().getByRole('button', { name: /^Reply to/ }).click();
  await page.locator('form.panel').waitFor();
  const form = page.locator('form[aria-label="Write a comment"]');
  await form.getByLabel('Your comment').fill('You are all stupid idiots and morons.');
  await form.getByLabel('Name').fill('Axe Reader');
  await form.getByRole('button', { name: 'Post comment' }).click();
  await form.locator('.message[data-state="nudge"]').waitFor();
  assert.deepEqual(await violations(page), [], 'a reply form open and a nudge shown');
  // As a reader without the widget sees it (its script blocked): the server-drawn comments.
  const bare = await context.newPage();
  await bare.route('**/widget.js', (route) => route.abort());
  await bare.goto(jirga.url + '/');
  await bare.locator('.ssr .comment').first().waitFor();
  assert.deepEqual(await violations(bare), [], 'the comments without the widget');
  await context.close();
});

test('the dashboard', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(jirga.url + '/moderate/login');
  assert.deepEqual(await violations(page), [], 'sign-in page');
  await page.getByLabel('Email').fill('a11y@example.org');
  await page.getByLabel('Password').fill('an admin password here');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: /Held comments/ }).waitFor();
  for (const path of ['/moderate', '/moderate/reports', '/moderate/log', '/moderate/settings/demo', '/moderate/charts',
    '/moderate/authors/demo', '/moderate/webhooks/demo', '/moderate/imports/demo']) {
    await page.goto(jirga.url + path);
    assert.deepEqual(await violations(page), [], path);
  }
  await context.close();
});
