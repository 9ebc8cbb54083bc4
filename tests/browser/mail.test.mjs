// The mail a commenter gets, read from a real SMTP server on loopback and followed in Chromium
// as the reader would: the address confirmed from the first mail, a held comment's outcome
// with the moderator's note and the appeal link, replies by mail until one click stops them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, launchBrowser, smtpSink, startJirga, watch } from './harness.mjs';

let jirga, browser, sink;
before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  sink = await smtpSink();
  jirga = await startJirga({
    JIRGA_SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    JIRGA_REPLY_MAIL_GATHER_SECS: '1',
  });
  browser = await launchBrowser();
  jirga.adminWithInput('a password for the test\n', 'moderator', 'add', '--email', 'mod@example.org', '--name', 'Mo Derator', '--site', 'demo');
});
after(async () => {
  await browser?.close();
  jirga?.stop();
  sink?.close();
});

const comment = (page, author) => page.locator('li.comment', { has: page.locator(`strong.name:text-is("${author}")`) }).first();
const linkIn = (mail, path) => {
  const m = mail.text.match(new RegExp(`(http://[^\\s<>]+${path.replace(/[?/]/g, '\\$&')}[^\\s<>]+)`));
  assert.ok(m, `no ${path} link in ${mail.text}`);
  return m[1];
};

test('a guest confirms their address, hears of a rejection with the note, appeals from the mail, and gets replies until they unsubscribe', async () => {
  const email = 'sana@example.org';
  const reader = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await reader.newPage();
  const problems = watch(page);
  await page.goto(jirga.url + '/');
  const form = page.locator('form[aria-label="Write a comment"]');
  await form.getByLabel('Your comment').fill('The flood gauges should publish their readings every hour, not once a day.');
  await form.getByLabel('Name').fill('Sana Reader');
  await form.getByLabel('Email (optional, never shown)').fill(email);
  await form.getByLabel('Email me when someone replies').check();
  await form.getByRole('button', { name: 'Post comment' }).click();
  await form.locator('.message[data-state="published"]').waitFor();

  // The first mail: where the comment stands, and the link that confirms the address.
  const first = await sink.nthMailTo(email, 0);
  assert.match(first.text, /Subject: Confirm your address for comments on/);
  assert.match(first.text, /It is published/);
  await page.goto(linkIn(first, '/mail/confirm?'));
  await page.getByRole('heading', { name: 'Address confirmed' }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'mail-address-confirmed.png') });

  // A comment the models hold: the mail says so, and why.
  await page.goto(jirga.url + '/');
  await form.getByLabel('Your comment').fill('The councillors are useless idiots, but the gauge plan itself is sound.');
  await form.getByRole('button', { name: 'Post comment' }).click();
  await form.getByRole('button', { name: 'Send for review anyway' }).click();
  await comment(page, 'Sana Reader').locator('.held').waitFor();
  const held = await sink.nthMailTo(email, 1);
  assert.match(held.text, /is waiting for a moderator/);
  assert.match(held.text, /calls someone names/);

  // The moderator rejects it and sends a note with the rejection.
  const modContext = await browser.newContext();
  const mod = await modContext.newPage();
  await mod.goto(jirga.url + '/moderate/login');
  await mod.getByLabel('Email').fill('mod@example.org');
  await mod.getByLabel('Password').fill('a password for the test');
  await mod.getByRole('button', { name: 'Sign in' }).click();
  const card = mod.locator('.card', { hasText: 'useless idiots' });
  await card.getByLabel('Note (optional)').fill('Argue with the plan, not with the people.');
  await card.getByLabel('send the note to the author with a rejection').check();
  await card.getByRole('button', { name: 'Reject' }).click();
  await card.waitFor({ state: 'detached' });

  const rejected = await sink.nthMailTo(email, 2);
  assert.match(rejected.text, /was not published/);
  assert.match(rejected.text, /Argue with the plan, not with the people\./);
  // The widget shows the note on the comment too.
  await page.goto(jirga.url + '/');
  await page.locator('li.comment', { hasText: 'useless idiots' }).locator('.held.rejected').getByText('Argue with the plan').waitFor();

  // The appeal, from the mail's link: the comment is back in the queue as an appeal.
  await page.goto(linkIn(rejected, '/mail/appeal?'));
  await page.getByLabel('Why it should be published').fill('The point was the gauge plan; I have no quarrel with anyone.');
  await page.getByRole('button', { name: 'Send to the moderators' }).click();
  await page.getByRole('heading', { name: 'Sent to the moderators' }).waitFor();
  await mod.goto(jirga.url + '/moderate');
  await mod.locator('.card', { hasText: 'useless idiots' }).getByText('Appeal from the author').waitFor();

  // Another reader replies to Sana's first comment: she is mailed, with a one-click way out.
  const other = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const omar = await other.newPage();
  await omar.goto(jirga.url + '/');
  await omar.locator('.sort button[data-sort="newest"]').click();
  const target = omar.locator('li.comment', { hasText: 'publish their readings every hour' }).first();
  await target.getByRole('button', { name: 'Reply to Sana Reader' }).click();
  const reply = omar.locator('form[aria-label="Reply to Sana Reader"]');
  await reply.getByLabel('Your reply').fill('Hourly readings would have warned the lower village in time.');
  await reply.getByLabel('Name').fill('Omar Reader');
  await reply.getByRole('button', { name: 'Post reply' }).click();
  await target.locator('.replies').getByText('warned the lower village').waitFor();

  const replied = await sink.nthMailTo(email, 3);
  assert.match(replied.text, /Omar Reader replied on/);
  assert.match(replied.text, /warned the lower village/);
  assert.match(replied.text.replace(/\r\n /g, ' '), /List-Unsubscribe: <http:\/\/\S+\/mail\/unsubscribe\?/);
  assert.match(replied.text, /List-Unsubscribe-Post: List-Unsubscribe=One-Click/);
  await page.goto(linkIn(replied, '/mail/unsubscribe?'));
  await page.getByRole('heading', { name: 'No more reply mail' }).waitFor();
  await page.getByRole('button', { name: 'Mail me replies again' }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'mail-unsubscribed.png') });

  // No more reply mail after that.
  await omar.reload();
  await omar.locator('.sort button[data-sort="newest"]').click();
  await target.getByRole('button', { name: 'Reply to Sana Reader' }).click();
  await reply.getByLabel('Your reply').fill('The lower village has asked for the same.');
  await reply.getByRole('button', { name: 'Post reply' }).click();
  await target.locator('.replies').getByText('asked for the same').waitFor();
  await new Promise((ok) => setTimeout(ok, 3000));
  assert.equal(sink.countTo(email), 4);
  assert.deepEqual(problems, []);
  await Promise.all([reader.close(), modContext.close(), other.close()]);
});
