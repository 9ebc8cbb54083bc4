// count.js on a publisher's listing page in Chromium: every [data-jirga-count] is filled from
// one request, with the page's own wording, and a second visit within a minute asks nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
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

test('a listing page shows each article\'s comment count from one batched request', async () => {
  const host = await hostPage(`<!doctype html><html lang="en"><head><title>Latest news</title></head><body>
    <ul>
      <li><a href="/articles/flood-warnings">Flood warnings</a> <span id="a" data-jirga-count="/articles/flood-warnings">…</span></li>
      <li><a href="/articles/no-comments">Bus timetable</a> <span id="b" data-jirga-count="/articles/no-comments"
          data-jirga-zero="Be the first to comment">…</span></li>
      <li><a href="/articles/unknown">Markets</a> <span id="c" data-jirga-count="/articles/unknown" data-jirga-many="{n} replies">…</span></li>
      <li><a href="/articles/flood-warnings">Flood warnings, again</a> <span id="d" data-jirga-count="/articles/flood-warnings"
          data-jirga-many="{n} comments so far">…</span></li>
    </ul>
    <script src="${jirga.url}/count.js" data-site="demo" async></script>
    </body></html>`);
  try {
    jirga.admin('site', 'origins', 'demo', '--origin', host.url);
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watch(page);
    const asked = [];
    page.on('request', (r) => { if (r.url().includes('/api/v1/counts')) asked.push(r.url()); });
    await page.goto(host.url + '/');
    await page.locator('#a', { hasText: '9 comments' }).waitFor();
    assert.equal(await page.locator('#b').innerText(), 'Be the first to comment');
    assert.equal(await page.locator('#c').innerText(), '0 replies');
    assert.equal(await page.locator('#d').innerText(), '9 comments so far');
    assert.equal(asked.length, 1, `one request for the whole page: ${asked}`);
    assert.equal((asked[0].match(/thread=/g) || []).length, 3, 'each thread once');

    // Back to the listing within a minute: the counts come from the tab's storage.
    await page.reload();
    await page.locator('#a', { hasText: '9 comments' }).waitFor();
    assert.equal(asked.length, 1);
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    host.close();
  }
});
