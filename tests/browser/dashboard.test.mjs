// A newcomer's moderation round trip in a real browser: a held comment on the demo article,
// a moderator signing in, approving one comment and rejecting another with the keyboard, the
// approved one appearing under the article, and both actions in the modlog.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, launchBrowser, startJirga, watch } from './harness.mjs';

let jirga, browser;
before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  jirga = await startJirga();
  browser = await launchBrowser();
  jirga.adminWithInput('a password for the test\n', 'moderator', 'add', '--email', 'mod@example.org', '--name', 'Mo Derator', '--site', 'demo');
});
after(async () => {
  await browser?.close();
  jirga?.stop();
});

async function postForReview(page, name, text) {
  const form = page.locator('form[aria-label="Write a comment"]');
  await form.getByLabel('Your comment').fill(text);
  await form.getByLabel('Name').fill(name);
  await form.getByRole('button', { name: 'Post comment' }).click();
  await form.getByRole('button', { name: 'Send for review anyway' }).click();
  await page.locator('li.comment', { has: page.locator(`strong.name:text-is("${name}")`) }).locator('.held').waitFor();
}

test('a moderator approves and rejects held comments with the keyboard', async () => {
  const reader = await browser.newContext();
  const article = await reader.newPage();
  await article.goto(jirga.url + '/');
  await article.locator('#jirga-heading').filter({ hasText: 'Comments (9)' }).waitFor();
  await postForReview(article, 'Heated Reader', 'The councillors are stupid idiots for taking this long, but the shared flood office is right.');
  await postForReview(article, 'Wandering Reader', 'My favourite football team lost again on Saturday and the referee was dreadful all afternoon.');

  const modContext = await browser.newContext();
  const mod = await modContext.newPage();
  const problems = watch(mod);
  await mod.goto(jirga.url + '/moderate');
  await mod.waitForURL('**/moderate/login');
  await mod.getByLabel('Email').fill('mod@example.org');
  await mod.getByLabel('Password').fill('a password for the test');
  await mod.getByRole('button', { name: 'Sign in' }).click();
  await mod.getByRole('heading', { name: 'Held comments (2)' }).waitFor();

  const heated = mod.locator('.card', { hasText: 'Heated Reader' });
  await heated.locator('mark', { hasText: 'stupid' }).waitFor();
  await heated.getByText('This calls someone names').waitFor();
  await mod.locator('.card', { hasText: 'Wandering Reader' }).getByText('This may be off-topic').waitFor();
  await mod.screenshot({ path: join(ARTIFACTS, 'moderation-queue.png'), fullPage: true });

  // The first card has focus: "a" approves it; then "j" is not needed, the next card is first.
  await heated.focus();
  await mod.keyboard.press('a');
  await mod.getByRole('status').filter({ hasText: 'Approved.' }).waitFor();
  await mod.getByRole('heading', { name: 'Held comments (1)' }).waitFor();
  const wandering = mod.locator('.card', { hasText: 'Wandering Reader' });
  await wandering.focus();
  await mod.keyboard.press('n');
  await mod.keyboard.type('football is another story');
  await mod.keyboard.press('Escape');
  await mod.keyboard.press('r');
  await mod.getByRole('heading', { name: 'Held comments (0)' }).waitFor();

  await mod.getByRole('link', { name: 'Modlog' }).click();
  const log = mod.locator('table.log tbody');
  await log.locator('tr', { hasText: 'approve' }).waitFor();
  await log.locator('tr', { hasText: 'reject' }).filter({ hasText: 'football is another story' }).waitFor();
  assert.deepEqual(problems, []);

  // A reader who never posted sees the approved comment, and not the rejected one.
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(jirga.url + '/');
  await other.locator('#jirga-heading').filter({ hasText: 'Comments (10)' }).waitFor();
  await other.getByRole('button', { name: 'View more comments' }).click();
  await other.locator('strong.name', { hasText: 'Heated Reader' }).waitFor();
  assert.equal(await other.locator('strong.name', { hasText: 'Wandering Reader' }).count(), 0);
  await Promise.all([reader.close(), modContext.close(), fresh.close()]);
});

// An admin moves a WordPress archive in from the dashboard: picks the file, runs a dry run,
// reads the report, imports for real while the page follows the progress, and finds the
// comments under the article.
test('an admin imports a WordPress export from the dashboard', async () => {
  jirga.adminWithInput('an admin password here\n', 'moderator', 'add', '--email', 'admin@example.org', '--name', 'Ada Min', '--site', 'demo', '--admin');
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(jirga.url + '/moderate/login');
  await page.getByLabel('Email').fill('admin@example.org');
  await page.getByLabel('Password').fill('an admin password here');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Import: demo' }).click();
  await page.getByRole('heading', { name: 'Import comments into demo' }).waitFor();

  const wxr = join(import.meta.dirname, '../../../shared/fixtures/import/wordpress_wxr/isso__wordpress.xml');
  await page.getByLabel('File', { exact: true }).setInputFiles(wxr);
  await page.getByRole('button', { name: 'Upload' }).click();
  const job = page.locator('section.import-job[data-running="false"]');
  await job.waitFor();
  await job.getByText('Would be imported').waitFor();
  await job.getByText('nothing (dry run)').waitFor();

  await page.getByLabel('Dry run: report what would happen, store nothing').uncheck();
  await page.getByLabel('File', { exact: true }).setInputFiles(wxr);
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.locator('section.import-job[data-running="false"] dt', { hasText: 'Batch' }).waitFor();
  const row = page.locator('table.imports tbody tr').first();
  await row.getByRole('cell', { name: 'wxr' }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'dashboard-import.png'), fullPage: true });
  assert.deepEqual(problems, []);

  await row.getByRole('button', { name: /Undo import/ }).click();
  await page.locator('table.imports tbody tr').first().getByText(/^undone /).waitFor();
  await context.close();
});

// A held comment rejected by a moderator: its author, back on the article, is told it was not
// published and why, and asks for another look; the appeal reaches the moderators' queue.
test('the author of a rejected comment learns why and appeals to the moderators', async () => {
  const reader = await browser.newContext();
  const article = await reader.newPage();
  const problems = watch(article);
  await article.goto(jirga.url + '/');
  await article.locator('#jirga-heading').filter({ hasText: /Comments \(\d+\)/ }).waitFor();
  await postForReview(article, 'Appealing Reader', 'The councillors are useless idiots, but the office plan itself is sound.');

  const modContext = await browser.newContext();
  const mod = await modContext.newPage();
  await mod.goto(jirga.url + '/moderate/login');
  await mod.getByLabel('Email').fill('mod@example.org');
  await mod.getByLabel('Password').fill('a password for the test');
  await mod.getByRole('button', { name: 'Sign in' }).click();
  const card = mod.locator('.card', { hasText: 'Appealing Reader' });
  await card.focus();
  await mod.keyboard.press('r');
  await card.waitFor({ state: 'detached' });

  await article.reload();
  const mine = article.locator('li.comment', { has: article.locator('strong.name:text-is("Appealing Reader")') }).first();
  const note = mine.locator('.held.rejected');
  await note.getByText('Not published.').waitFor();
  await note.getByText('calls someone names').waitFor();
  await note.getByRole('button', { name: 'Ask for another look' }).click();
  await note.getByLabel('Why should it be published? The moderators will read this.').fill('It criticises how they worked, and the rest is about the plan.');
  await note.getByRole('button', { name: 'Send to the moderators' }).click();
  await article.getByRole('status').filter({ hasText: 'Your appeal was sent.' }).waitFor();
  await mine.locator('.held').getByText('Awaiting review.').waitFor();

  await mod.goto(jirga.url + '/moderate');
  await mod.locator('.card', { hasText: 'Appealing Reader' }).getByText('Appeal from the author').waitFor();
  assert.deepEqual(problems, []);
  await Promise.all([reader.close(), modContext.close()]);
});

// A moderator signed in to the dashboard reads the article and removes a comment right there;
// a reader in another browser sees no such control, and the comment's author sees it rejected.
test('a moderator removes a comment from inside the thread', async () => {
  const readerContext = await browser.newContext();
  const reader = await readerContext.newPage();
  const problems = watch(reader);
  await reader.goto(jirga.url + '/');
  const form = reader.locator('form[aria-label="Write a comment"]');
  await form.getByLabel('Your comment').fill('The lower weir gauges were installed in 2019 and never serviced since.');
  await form.getByLabel('Name').fill('Gauge Watcher');
  await form.getByRole('button', { name: 'Post comment' }).click();
  await form.locator('.message[data-state="published"]').waitFor();
  assert.equal(await reader.getByRole('button', { name: /^Moderate/ }).count(), 0, 'readers get no moderation controls');

  const modContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const mod = await modContext.newPage();
  problems.push(...watch(mod));
  await mod.goto(jirga.url + '/moderate/login');
  await mod.getByLabel('Email').fill('mod@example.org');
  await mod.getByLabel('Password').fill('a password for the test');
  await mod.getByRole('button', { name: 'Sign in' }).click();
  await mod.waitForURL('**/moderate');
  await mod.goto(jirga.url + '/');
  const heading = mod.locator('#jirga-heading');
  await heading.filter({ hasText: /Comments \(\d+\)/ }).waitFor();
  await mod.locator('.sort button[data-sort="newest"]').click();
  const target = mod.locator('li.comment', { hasText: 'installed in 2019' });
  await target.getByRole('button', { name: 'Moderate comment by Gauge Watcher' }).click();
  const panel = mod.locator('form[aria-label="Moderate comment by Gauge Watcher"]');
  await panel.getByText('Moderating as Mo Derator').waitFor();
  await panel.getByLabel('Note for the modlog (optional)').fill('Checked: the gauges were serviced in 2024.');
  await mod.screenshot({ path: join(ARTIFACTS, 'moderate-in-thread.png') });
  const before = Number((await heading.innerText()).match(/\((\d+)\)/)[1]);
  await panel.getByRole('button', { name: 'Remove comment' }).click();
  await mod.getByRole('status').filter({ hasText: 'Removed. The modlog has it.' }).waitFor();
  await target.waitFor({ state: 'detached' });
  await heading.filter({ hasText: `Comments (${before - 1})` }).waitFor();

  await mod.goto(jirga.url + '/moderate/log');
  await mod.getByText('Checked: the gauges were serviced in 2024.').waitFor();
  // Its author, back on the article, sees it as not published (to them only).
  await reader.reload();
  await reader.locator('li.comment', { hasText: 'installed in 2019' }).locator('.held.rejected').getByText('Not published.').waitFor();
  assert.deepEqual(problems, []);
  await Promise.all([readerContext.close(), modContext.close()]);
});
