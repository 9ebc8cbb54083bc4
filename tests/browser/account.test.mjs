// A newcomer's account, end to end in Chromium, with the mail read from a real SMTP server on
// loopback: sign up from the widget, confirm by the mailed link, sign in, comment as the
// account, download their data, delete the account.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, hostPage, launchBrowser, smtpSink, startJirga, watch } from './harness.mjs';

let jirga, browser, sink;
before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  sink = await smtpSink();
  jirga = await startJirga({ JIRGA_SMTP_URL: `smtp://127.0.0.1:${sink.port}` });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  jirga?.stop();
  sink?.close();
});

test('a newcomer signs up, confirms by mail, signs in, comments, downloads their data and deletes the account', async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const problems = watch(page);
  const email = 'newcomer@example.org';
  const password = 'river walk at dawn';
  await page.goto(jirga.url + '/');
  const compose = page.locator('form[aria-label="Write a comment"]');
  await compose.locator('a.sign-in').waitFor();

  // From the widget to the sign-up form.
  await compose.getByRole('link', { name: 'create an account' }).click();
  await page.getByLabel('Name shown with your comments').fill('Newcomer Reader');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password (10 characters or more)').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Check your mail' }).waitFor();

  // The mail, from the sink: its link confirms the address.
  const mail = await sink.mailTo(email);
  assert.match(mail.text, /Subject: Confirm your email address/);
  const link = mail.text.match(/(http:\/\/\S+\/account\/verify\?token=\S+)/)[1];
  await page.goto(link);
  await page.getByRole('heading', { name: 'Email confirmed' }).waitFor();

  // Sign in, back to the article: the widget posts as the account, with no name to type.
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#account-name', { hasText: 'Newcomer Reader' }).waitFor();
  await page.goto(jirga.url + '/');
  await compose.locator('strong.me', { hasText: 'Newcomer Reader' }).waitFor();
  assert.equal(await compose.locator('input[name="name"]').isVisible(), false);
  await compose.getByLabel('Your comment').fill('Will the new flood gauges also report river temperature?');
  await compose.getByRole('button', { name: 'Post comment' }).click();
  await page.locator('#jirga-heading').filter({ hasText: 'Comments (10)' }).waitFor();
  const mine = page.locator('li.comment', { has: page.locator('strong.name:text-is("Newcomer Reader")') }).first();
  await mine.waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'account-comment.png'), fullPage: false });

  // The same reader on the publisher's own page (another origin of the same site): the widget
  // there knows them too (the session cookie goes with its credentialed CORS requests).
  const host = await hostPage(`<!doctype html><html><head><title>Publisher page</title></head><body>
    <div id="jirga"></div>
    <script src="${jirga.url}/widget.js" data-site="demo" data-thread="/articles/flood-warnings" async></script>
    </body></html>`);
  try {
    jirga.admin('site', 'origins', 'demo', '--origin', host.url);
    await page.goto(host.url + '/');
    await compose.locator('strong.me', { hasText: 'Newcomer Reader' }).waitFor();
    await compose.getByLabel('Your comment').fill('And will the gauge readings be kept as open data?');
    await compose.getByRole('button', { name: 'Post comment' }).click();
    await page.locator('#jirga-heading').filter({ hasText: 'Comments (11)' }).waitFor();
  } finally {
    host.close();
  }

  // The data download from the account page.
  await page.goto(jirga.url + '/account');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export').click()]);
  const data = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(data.account.email, email);
  assert.equal(data.comments.length, 2);
  assert.equal(data.comments[0].body_markdown, 'Will the new flood gauges also report river temperature?');
  assert.equal(data.comments[1].body_markdown, 'And will the gauge readings be kept as open data?');
  await page.screenshot({ path: join(ARTIFACTS, 'account-page.png'), fullPage: true });

  // Deletion: the demo site keeps the comment under "deleted user"; the session is gone.
  await page.getByLabel('Type delete to confirm').fill('delete');
  await page.locator('#delete-account').click();
  await page.getByRole('heading', { name: 'Account deleted' }).waitFor();
  await page.goto(jirga.url + '/');
  await compose.locator('a.sign-in').waitFor();
  await page.locator('.sort button[data-sort="newest"]').click();
  await page.locator('strong.name:text-is("deleted user")').first().waitFor();
  assert.equal(await page.locator('strong.name:text-is("Newcomer Reader")').count(), 0);
  assert.deepEqual(problems, []);
});
