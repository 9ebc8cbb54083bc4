// The widget in a real browser: reading, paging, posting, replying, by mouse and by keyboard,
// on the demo page and embedded in another origin's page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, hostPage, launchBrowser, startJirga, watch } from './harness.mjs';

let jirga, browser;
before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  jirga = await startJirga();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  jirga?.stop();
});

const heading = (page) => page.locator('#jirga-heading');
// Locators below pierce the widget's open shadow root.
const comment = (page, author) => page.locator('li.comment', { has: page.locator(`strong.name:text-is("${author}")`) }).first();

test('the demo article shows its comments, pages on, and takes a comment and a reply', async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const problems = watch(page);
  await page.goto(jirga.url + '/');
  await assert.doesNotReject(heading(page).filter({ hasText: 'Comments (9)' }).waitFor());
  assert.match(await page.locator('h1').innerText(), /flood warnings/);

  // First page: 5 top-level comments with their replies; the rest behind "View more comments".
  const more = page.getByRole('button', { name: 'View more comments' });
  await more.waitFor();
  assert.equal(await page.locator('ol.list > li.comment').count(), 5);
  assert.equal(await page.locator('strong.name', { hasText: 'Kwame Asante' }).count(), 0);
  await more.click();
  await page.locator('strong.name', { hasText: 'Kwame Asante' }).waitFor();
  assert.equal(await page.locator('ol.list > li.comment').count(), 7);
  assert.equal(await more.isHidden(), true);

  // The organisation's verified account, its affiliation and relative times.
  const org = comment(page, 'Valley Water Board');
  await org.locator('.verified').first().waitFor();
  assert.equal(await org.locator('.affiliation').first().innerText(), 'Public Information Office, Valley Water Board');
  const when = org.locator('time').first();
  assert.match(await when.innerText(), /^\d+ days? ago$/);
  assert.ok((await when.getAttribute('title')).length > 8, 'exact date on hover');

  // A new top-level comment.
  const form = page.locator('form[aria-label="Write a comment"]');
  await form.getByLabel('Your comment').fill('Will the **text alerts** also reach landlines?');
  await form.getByLabel('Name').fill('Browser Tester');
  await form.getByRole('button', { name: 'Post comment' }).click();
  await heading(page).filter({ hasText: 'Comments (10)' }).waitFor();
  const mine = comment(page, 'Browser Tester');
  await mine.locator('strong', { hasText: 'text alerts' }).waitFor();
  assert.equal(await mine.locator('time').first().innerText(), 'just now');

  // A reply: the form says whom it answers.
  await comment(page, 'Tomasz Kowal').getByRole('button', { name: 'Reply to Tomasz Kowal' }).click();
  const reply = page.locator('form[aria-label="Reply to Tomasz Kowal"]');
  await reply.getByText('Replying to Tomasz Kowal').waitFor();
  await reply.getByLabel('Your reply').fill('The 2028 review is the date to watch.');
  await reply.getByRole('button', { name: 'Post reply' }).click();
  await heading(page).filter({ hasText: 'Comments (11)' }).waitFor();
  const thread = comment(page, 'Tomasz Kowal');
  await thread.locator('.replies').getByText('The 2028 review is the date to watch.').waitFor();

  await page.screenshot({ path: join(ARTIFACTS, 'demo-after-posting.png'), fullPage: true });

  // Both survive a reload, and the reply sits under its parent.
  await page.reload();
  await heading(page).filter({ hasText: 'Comments (11)' }).waitFor();
  await comment(page, 'Tomasz Kowal').locator('.replies').getByText('The 2028 review is the date to watch.').waitFor();
  assert.deepEqual(problems, []);
  await page.close();
});

// The README's pictures of the comment section, at a desktop width and a phone's, taken here
// so they always show the widget as it is.
test('the comment section at 1280 and 390 pixels, light and dark', async () => {
  const shots = join(import.meta.dirname, '../../docs/screenshots');
  mkdirSync(shots, { recursive: true });
  for (const [width, name] of [[1280, 'widget-1280.png'], [390, 'widget-390.png']]) {
    const page = await browser.newPage({ viewport: { width, height: 900 }, deviceScaleFactor: width < 500 ? 2 : 1 });
    await page.goto(jirga.url + '/');
    await heading(page).filter({ hasText: /Comments \(\d+\)/ }).waitFor();
    await comment(page, 'Valley Water Board').waitFor();
    const section = page.locator('#jirga');
    await section.scrollIntoViewIfNeeded();
    if (width > 500) {
      // Without JavaScript the page draws the same avatar (initials and colour) for a name.
      const ssr = await (await fetch(jirga.url + '/')).text();
      const drawn = await comment(page, 'Marta Lindqvist').locator('.avatar').first().getAttribute('class');
      assert.ok(ssr.includes(`class="${drawn}" aria-hidden="true">ML</span>`), drawn);
    }
    if (width < 500) {
      // Every control a finger meets is at least 44 pixels tall and wide (a moderator's
      // control is not drawn for readers).
      for (const box of await page.locator('.actions button:visible, .sort button:visible').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.width, r.height]))) {
        assert.ok(box[0] >= 44 && box[1] >= 44, `touch target ${box}`);
      }
    }
    await page.screenshot({ path: join(shots, name), fullPage: true, clip: await clipOf(section, 1300) });
    await page.close();
  }
  const plain = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1000, height: 900 } });
  const noscript = await plain.newPage();
  await noscript.goto(jirga.url + '/');
  await noscript.locator('.ssr .avatar').first().waitFor();
  await noscript.screenshot({ path: join(ARTIFACTS, 'no-javascript.png'), fullPage: true });
  await plain.close();
  const dark = await hostPage(`<body style="background:#111;margin:0;padding:24px"><div id="jirga"></div>
    <script src="${jirga.url}/widget.js" data-site="demo" data-thread="/articles/flood-warnings" data-theme="dark" async></script></body>`);
  try {
    jirga.admin('site', 'origins', 'demo', '--origin', dark.url);
    const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
    await page.goto(dark.url);
    await comment(page, 'Valley Water Board').waitFor();
    await page.screenshot({ path: join(shots, 'widget-dark.png'), fullPage: true, clip: await clipOf(page.locator('#jirga'), 1100) });
    await page.close();
  } finally {
    dark.close();
  }
});

/** The box of `locator` in page coordinates, at most `tallest` pixels high. */
async function clipOf(locator, tallest) {
  const b = await locator.boundingBox();
  const top = await locator.evaluate((e) => e.getBoundingClientRect().top + window.scrollY);
  return { x: Math.max(0, b.x - 16), y: Math.max(0, top - 16), width: b.width + 32, height: Math.min(tallest, b.height + 32) };
}

test('a reader can comment with the keyboard alone', async () => {
  const page = await browser.newPage();
  await page.goto(jirga.url + '/');
  await heading(page).filter({ hasText: /Comments \(\d+\)/ }).waitFor();
  const focused = () => page.evaluate(() => {
    const inner = document.getElementById('jirga').shadowRoot.activeElement;
    return inner ? inner.id : null;
  });
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = (await focused()) === 'jirga-new-body';
  }
  assert.ok(reached, 'Tab reaches the comment box');
  await page.keyboard.type('Typed without a mouse.');
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'jirga-new-name');
  await page.keyboard.type('Keyboard Reader');
  await page.keyboard.press('Enter');
  await comment(page, 'Keyboard Reader').getByText('Typed without a mouse.').waitFor();
  await page.getByRole('status').filter({ hasText: 'Your comment was published.' }).waitFor();
  await page.close();
});

test('embedded on another origin it renders, posts, and neither styles the other', async () => {
  const host = await hostPage(`<!doctype html><html><head><title>Publisher page</title>
    <style>* { color: rgb(255, 0, 0) !important; } button { display: none !important; } h2 { font-size: 60px; }</style>
    </head><body><h1 id="own">The publisher's own headline</h1>
    <div id="jirga"></div>
    <script src="${jirga.url}/widget.js" data-site="demo" data-thread="/articles/flood-warnings" async></script>
    </body></html>`);
  try {
    jirga.admin('site', 'origins', 'demo', '--origin', host.url);
    const page = await browser.newPage();
    const problems = watch(page);
    await page.goto(host.url + '/');
    await heading(page).filter({ hasText: /Comments \(\d+\)/ }).waitFor();
    // The page's rules do not reach inside the widget...
    const post = page.getByRole('button', { name: 'Post comment' });
    assert.equal(await post.isVisible(), true);
    const nameColour = await page.locator('strong.name').first().evaluate((el) => getComputedStyle(el).color);
    assert.notEqual(nameColour, 'rgb(255, 0, 0)');
    // ...and the widget's rules do not reach the page.
    const own = await page.locator('#own').evaluate((el) => getComputedStyle(el).fontFamily);
    assert.doesNotMatch(own, /system-ui/);

    const form = page.locator('form[aria-label="Write a comment"]');
    await form.getByLabel('Your comment').fill('Posted from the publisher\'s own page.');
    await form.getByLabel('Name').fill('Cross Origin');
    await post.click();
    await comment(page, 'Cross Origin').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'embedded-on-publisher-page.png'), fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    host.close();
  }
});

test('a held comment tells its author why, and stays visible to them only', async () => {
  const host = await hostPage(`<!doctype html><html><head><title>Strict paper</title></head><body>
    <div id="jirga"></div>
    <script src="${jirga.url}/widget.js" data-site="strict" data-thread="/held-story" async></script>
    </body></html>`);
  try {
    jirga.admin('site', 'add', 'strict', '--name', 'Strict Paper', '--premoderate', '--origin', host.url);
    const page = await browser.newPage();
    const problems = watch(page);
    await page.goto(host.url + '/');
    await heading(page).filter({ hasText: 'Comments (0)' }).waitFor();
    const form = page.locator('form[aria-label="Write a comment"]');
    await form.getByLabel('Your comment').fill('Please read this first.');
    await form.getByLabel('Name').fill('Patient Reader');
    await form.getByRole('button', { name: 'Post comment' }).click();
    await page.getByRole('status').filter({ hasText: 'awaiting review' }).waitFor();
    await comment(page, 'Patient Reader').locator('.held').getByText('Awaiting review.').waitFor();
    await heading(page).filter({ hasText: 'Comments (0)' }).waitFor();

    // After a reload the author still sees it as awaiting review...
    await page.reload();
    await comment(page, 'Patient Reader').locator('.held').waitFor();
    // ...and another reader (a fresh browser profile) does not see it at all.
    const stranger = await browser.newContext();
    const other = await stranger.newPage();
    await other.goto(host.url + '/');
    await heading(other).filter({ hasText: 'Comments (0)' }).waitFor();
    assert.equal(await other.getByText('Please read this first.').count(), 0);
    await stranger.close();
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    host.close();
  }
});

test('before posting, the widget says why a comment would be held, and the author decides', async () => {
  const page = await browser.newPage();
  await page.goto(jirga.url + '/');
  await heading(page).filter({ hasText: /Comments \(\d+\)/ }).waitFor();
  const count = await heading(page).innerText();
  const form = page.locator('form[aria-label="Write a comment"]');
  await form.getByLabel('Name').fill('Angry Reader');

  // Abusive: warned, edits it away... then sends a version that is still abusive, for review.
  await form.getByLabel('Your comment').fill('You are all stupid idiots and morons.');
  await form.getByRole('button', { name: 'Post comment' }).click();
  const warning = form.locator('.warning');
  await warning.getByText('calls someone names').waitFor();
  await warning.getByRole('button', { name: 'Edit my comment' }).click();
  assert.equal(await warning.isHidden(), true);
  await form.getByRole('button', { name: 'Post comment' }).click();
  await warning.getByRole('button', { name: 'Send for review anyway' }).click();
  await page.getByRole('status').filter({ hasText: 'awaiting review' }).waitFor();
  await comment(page, 'Angry Reader').locator('.held').waitFor();
  assert.equal(await heading(page).innerText(), count, 'a held comment is not counted');

  // Off-topic for this article about flood warnings.
  await form.getByLabel('Your comment').fill('My favourite football team lost again on Saturday and the referee was dreadful all afternoon.');
  await form.getByRole('button', { name: 'Post comment' }).click();
  await warning.getByText('may be off-topic for this article').waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'held-before-posting.png'), fullPage: false });
  await page.close();
});

test('the composer shows one message at a time, in readers\' words', async () => {
  const page = await browser.newPage();
  const problems = watch(page);
  await page.goto(jirga.url + '/');
  await heading(page).filter({ hasText: /Comments \(\d+\)/ }).waitFor();
  const form = page.locator('form[aria-label="Write a comment"]');
  const state = (s) => form.locator(`.message[data-state="${s}"]`);
  const shown = () => page.locator('.message:not([hidden]), p.status:not(:empty)').count();
  await form.getByLabel('Name').fill('One Message');

  await form.getByLabel('Your comment').fill('Will the gauges on the lower river be read every fifteen minutes too?');
  await form.getByRole('button', { name: 'Post comment' }).click();
  await state('published').getByText('Your comment was published.').waitFor();
  assert.equal(await shown(), 1);

  // The server cannot be reached: the published message goes; the error says so plainly.
  await page.route('**/api/v1/comments/check', (route) => route.abort());
  await form.getByLabel('Your comment').fill('And the gauges on the upper river, will they be read as often?');
  await form.getByRole('button', { name: 'Post comment' }).click();
  await state('error').getByText('could not be reached').waitFor();
  assert.equal(await shown(), 1);
  await page.unroute('**/api/v1/comments/check');

  // A nudge replaces the error; sending it for review anyway replaces the nudge, and the
  // reasons are told once, on the held comment, not again in the message.
  await form.getByLabel('Your comment').fill('You are all stupid idiots and morons.');
  await form.getByRole('button', { name: 'Post comment' }).click();
  await state('nudge').getByText('calls someone names').waitFor();
  assert.equal(await shown(), 1);
  await form.getByRole('button', { name: 'Send for review anyway' }).click();
  await state('held').getByText('awaiting review').waitFor();
  assert.equal(await shown(), 1);
  assert.equal(await state('held').getByText('calls someone names').count(), 0);

  // Typing again clears it; an API refusal comes in readers' words, not the API's.
  await form.getByLabel('Your comment').fill('The water board says the new gauges are accurate.');
  assert.equal(await shown(), 0);
  await form.getByLabel('Name').fill('Valley Water Board');
  await form.getByRole('button', { name: 'Post comment' }).click();
  await state('error').getByText('belongs to a verified account').waitFor();
  assert.equal(await shown(), 1);
  // The browser logs the aborted request and the 409 it was told to expect; nothing else.
  assert.deepEqual(problems.filter((p) => !p.includes('net::ERR_FAILED') && !p.includes('409 (Conflict)')), []);
  await page.close();
});

test('a link to one comment opens the thread at it, even on a later page; your own comment stays in view', async () => {
  const api = `${jirga.url}/api/v1/comments?site=demo&thread=/articles/flood-warnings&limit=50`;
  const all = (await (await fetch(api)).json()).comments;
  const kwame = all.find((c) => c.author && c.author.name === 'Kwame Asante');
  const page = await browser.newPage();
  const problems = watch(page);
  await page.goto(`${jirga.url}/#comment-${kwame.id}`);
  // Kwame's comment is on the second page (five a page), yet it is shown, marked and focused.
  const linked = page.locator(`li#comment-${kwame.id} > article.linked`);
  await linked.waitFor();
  assert.equal(await page.evaluate(() => document.querySelector('#jirga').shadowRoot.activeElement?.closest('li')?.id), `comment-${kwame.id}`);
  assert.equal(await page.getByRole('button', { name: 'View more comments' }).isVisible(), true, 'the rest of the thread is still paged');

  // Each comment carries its own link, on its time.
  const marta = all.find((c) => c.author && c.author.name === 'Marta Lindqvist');
  assert.equal(await comment(page, 'Marta Lindqvist').locator('a.permalink').first().getAttribute('href'), `${jirga.url}/#comment-${marta.id}`);
  await comment(page, 'Marta Lindqvist').locator('a.permalink').first().click();
  await page.locator(`li#comment-${marta.id} > article.linked`).waitFor();

  // A comment posted now sits last in the oldest-first order, on a later page; after a reload
  // its author still sees it.
  await page.goto(jirga.url + '/');
  const form = page.locator('form[aria-label="Write a comment"]');
  await form.getByLabel('Your comment').fill('Will the alert office publish its response times each month?');
  await form.getByLabel('Name').fill('Returning Reader');
  await form.getByRole('button', { name: 'Post comment' }).click();
  await form.locator('.message[data-state="published"]').waitFor();
  await page.reload();
  await comment(page, 'Returning Reader').getByText('publish its response times').waitFor();
  assert.equal(await page.getByRole('button', { name: 'View more comments' }).isVisible(), true);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a reader sees "1 new comment" when another reader posts, and it appears on click without a reload', async () => {
  const host = await hostPage(`<!doctype html><html><head><title>Live article</title></head><body>
    <h1>Live article</h1><div id="jirga"></div>
    <script src="${jirga.url}/widget.js" data-site="demo" data-thread="/articles/live-desk" async></script>
    </body></html>`);
  try {
    jirga.admin('site', 'origins', 'demo', '--origin', host.url);
    const reader = await browser.newPage();
    const writer = await browser.newPage();
    const problems = watch(reader);
    await reader.goto(host.url + '/');
    await writer.goto(host.url + '/');
    await heading(reader).filter({ hasText: 'Comments (0)' }).waitFor();
    await heading(writer).filter({ hasText: 'Comments (0)' }).waitFor();
    await reader.evaluate(() => { window.__sameDocument = true; });

    const form = writer.locator('form[aria-label="Write a comment"]');
    await form.getByLabel('Your comment').fill('The live desk says the river crest passed at noon.');
    await form.getByLabel('Name').fill('Live Writer');
    await form.getByRole('button', { name: 'Post comment' }).click();
    await comment(writer, 'Live Writer').waitFor();

    // The reader's list does not move under them: a button says what arrived.
    const news = reader.getByRole('button', { name: '1 new comment' });
    await news.waitFor();
    await heading(reader).filter({ hasText: 'Comments (1)' }).waitFor();
    assert.equal(await comment(reader, 'Live Writer').count(), 0);
    await news.click();
    await comment(reader, 'Live Writer').locator('.body', { hasText: 'river crest passed at noon' }).waitFor();
    assert.equal(await news.isHidden(), true);
    assert.equal(await reader.evaluate(() => window.__sameDocument), true, 'no reload');
    await reader.screenshot({ path: join(ARTIFACTS, 'live-new-comment.png'), fullPage: true });
    assert.deepEqual(problems, []);
    await reader.close();
    await writer.close();
  } finally {
    host.close();
  }
});
