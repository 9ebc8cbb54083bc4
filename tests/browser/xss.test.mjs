// Every payload of data/xss-payloads.jsonl, in every place text from users or publishers is
// shown (comment bodies, author names, affiliations, site names, article titles, modlog
// notes, moderator names), rendered by the widget on a publisher's page that has no CSP of its
// own and by the moderators' dashboard with its CSP removed, so only Jirga's escaping and
// sanitising stand between the payload and the page. A hook records any call to alert,
// confirm, prompt or print; there must be none.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchBrowser, startServe } from './harness.mjs';

const ROOT = resolve(import.meta.dirname, '..', '..');
const FIXTURE = process.env.JIRGA_XSS_FIXTURE || join(ROOT, 'target', 'debug', 'examples', 'xss_fixture');
const CORPUS = join(import.meta.dirname, 'data', 'xss-payloads.jsonl');
const payloads = readFileSync(CORPUS, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

// Records what a payload would call, in every frame, before any page script runs.
const HOOK = `(() => {
  const hits = [];
  Object.defineProperty(window, '__xssHits', { value: hits });
  for (const f of ['alert', 'confirm', 'prompt', 'print']) {
    window[f] = (...a) => { hits.push(f + '(' + a.join(',') + ') at ' + location.href); if (window !== window.top) { try { window.top.__xssHits.push(f + ' in a frame'); } catch (e) {} } };
  }
})();`;

let server, browser, host, fixture;
before(async () => {
  host = createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><title>Publisher page without CSP</title></head><body>
      <div id="jirga"></div>
      <script src="${server.url}/widget.js" data-site="${u.searchParams.get('site')}"
        data-thread="${u.searchParams.get('thread')}" data-page-size="50" async></script></body></html>`);
  });
  await new Promise((ok) => host.listen(0, '127.0.0.1', ok));
  host.url = `http://127.0.0.1:${host.address().port}`;
  const data = mkdtempSync(join(tmpdir(), 'jirga-xss-'));
  fixture = JSON.parse(execFileSync(FIXTURE, [data, CORPUS, host.url], { encoding: 'utf8' }));
  server = await startServe(data);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.stop();
  host?.close();
});

/** A browser context with the hook, where requests leave only for Jirga and the publisher. */
async function widgetContext() {
  const ctx = await browser.newContext();
  await ctx.addInitScript(HOOK);
  await ctx.route('**/*', (route) => {
    const url = route.request().url();
    return url.startsWith(server.url) || url.startsWith(host.url) ? route.continue() : route.abort();
  });
  return ctx;
}

async function hitsOf(page) {
  await page.waitForTimeout(300); // image errors and autofocus fire after load
  return page.evaluate(() => window.__xssHits.slice());
}

test('the hook sees a payload that does run (the check can fail)', async () => {
  const ctx = await browser.newContext();
  await ctx.addInitScript(HOOK);
  const page = await ctx.newPage();
  await page.goto(host.url + '/?site=xss0&thread=/none');
  await page.evaluate(() => { document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=alert(1)>'); });
  assert.deepEqual((await hitsOf(page)).length, 1);
  await ctx.close();
});

test('payloads posted through the API as bodies and names: stored or refused, never run', async () => {
  let stored = 0;
  let refused = 0;
  for (const [i, p] of payloads.entries()) {
    const resp = await fetch(`${server.url}/api/v1/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ site: 'xss0', thread: `/api${Math.floor(i / 50)}`, body: p, author: { name: p.slice(0, 80) }, title: p }),
    });
    if (resp.status === 201) stored += 1;
    else { refused += 1; assert.ok([409, 422].includes(resp.status), `payload ${i}: ${resp.status}`); }
  }
  console.log(`# API: ${stored} payload comments stored, ${refused} refused by validation`);
  const ctx = await widgetContext();
  const page = await ctx.newPage();
  let hits = [];
  let shown = 0;
  for (let k = 0; k * 50 < payloads.length; k++) {
    await page.goto(`${host.url}/?site=xss0&thread=/api${k}`);
    await page.locator('#jirga-heading').filter({ hasText: /Comments \(\d+\)/ }).waitFor();
    await page.locator('li.comment').first().waitFor({ timeout: 10000 }).catch(() => {});
    shown += await page.locator('li.comment').count();
    hits = hits.concat(await hitsOf(page));
  }
  console.log(`# widget: ${shown} API-posted payload comments rendered`);
  assert.ok(shown > 0);
  assert.deepEqual(hits, []);
  await ctx.close();
});

test('every payload as body, author name and affiliation in the widget: nothing runs', async () => {
  const ctx = await widgetContext();
  const page = await ctx.newPage();
  let hits = [];
  let shown = 0;
  for (const { site, thread } of fixture.pages) {
    await page.goto(`${host.url}/?site=${site}&thread=${thread}`);
    await page.locator('#jirga-heading').filter({ hasText: /Comments \([1-9]\d*\)/ }).waitFor();
    await page.locator('li.comment').first().waitFor();
    const n = await page.locator('li.comment').count();
    assert.equal(await page.locator('.affiliation').count(), n, 'every comment shows its affiliation');
    shown += n;
    hits = hits.concat(await hitsOf(page));
  }
  assert.equal(shown, payloads.length, 'every payload comment was rendered');
  console.log(`# widget: ${shown} payloads rendered as body, name and affiliation`);
  assert.deepEqual(hits, []);
  await ctx.close();
});

test('every payload in the dashboard (held and reported comments, titles, names, affiliations, modlog, site names): nothing runs', { timeout: 300000 }, async () => {
  const ctx = await browser.newContext();
  await ctx.addInitScript(HOOK);
  // Take Jirga's CSP away: the escaping must hold on its own.
  await ctx.route('**/*', async (route) => {
    if (!route.request().url().startsWith(server.url)) return route.abort(); // no network here
    // Redirects pass to the browser as they are (the sign-in's 303 sets the session cookie).
    const resp = await route.fetch({ maxRedirects: 0 });
    const headers = { ...resp.headers() };
    delete headers['content-security-policy'];
    await route.fulfill({ response: resp, headers });
  });
  const page = await ctx.newPage();
  let hits = [];
  let pages = 0;
  for (const m of fixture.moderators) {
    await ctx.clearCookies();
    await page.goto(server.url + '/moderate/login');
    await page.getByLabel('Email').fill(m.email);
    await page.getByLabel('Password').fill(m.password);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.waitForURL(/\/moderate$/);
    // A redirect's target is not intercepted: load the queue again, through the route.
    await page.goto(server.url + '/moderate');
    const cards = await page.locator('li.card').count();
    assert.ok(cards > 0, 'the held queue shows the payload comments');
    if (m === fixture.moderators[0]) {
      // Control: with the CSP gone, an inline handler put into this page does run and is seen.
      await page.evaluate(() => { document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=alert(1)>'); });
      assert.equal((await hitsOf(page)).length, 1, 'the CSP was removed and the hook works here');
      await page.evaluate(() => { window.__xssHits.length = 0; });
    }
    hits = hits.concat(await hitsOf(page));
    for (const path of ['/moderate/reports', '/moderate/log', '/moderate/charts']) {
      await page.goto(server.url + path);
      hits = hits.concat(await hitsOf(page));
      pages += 1;
    }
    for (const site of m.sites) {
      await page.goto(`${server.url}/moderate/settings/${site}`);
      hits = hits.concat(await page.evaluate(() => window.__xssHits.slice()));
      pages += 1;
    }
    for (const site of m.admin_of) {
      await page.goto(`${server.url}/moderate/authors/${site}`);
      assert.ok((await page.locator('tr[data-author]').count()) > 0, 'the authors page lists the payload authors');
      hits = hits.concat(await hitsOf(page));
      pages += 1;
    }
    pages += 1;
  }

  await page.waitForTimeout(300);
  console.log(`# dashboard: ${pages} pages rendered with every payload in place`);
  assert.deepEqual(hits, []);
  await ctx.close();
});

test('every payload on the account page (as granted affiliations, and as names): nothing runs', async () => {
  const host = new URL(server.url).hostname;
  // Chromium told to ignore Jirga's CSP: the escaping must hold on its own.
  const ctx = await browser.newContext({ bypassCSP: true });
  await ctx.addInitScript(HOOK);
  const page = await ctx.newPage();
  await page.goto(server.url + '/account/sign-in');
  // Control: with the CSP ignored, an inline handler put into the page does run and is seen.
  await page.evaluate(() => { document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=alert(1)>'); });
  assert.equal((await hitsOf(page)).length, 1, 'the CSP is bypassed and the hook works here');
  let hits = [];
  // One reader with every payload as an affiliation granted on one of the named sites.
  await ctx.addCookies([{ name: 'jirga_session', value: fixture.bulk_account_session, domain: host, path: '/' }]);
  await page.goto(server.url + '/account');
  assert.equal(await page.locator('dl.account dt').filter({ hasText: /^On named/ }).count(), fixture.payloads);
  hits = hits.concat(await hitsOf(page));
  // Payloads as account names: every one is on the admins' Authors pages (the dashboard test);
  // here the account page of the first 25, each signed in as itself.
  for (const token of fixture.account_sessions.slice(0, 25)) {
    await ctx.clearCookies();
    await ctx.addCookies([{ name: 'jirga_session', value: token, domain: host, path: '/' }]);
    await page.goto(server.url + '/account');
    await page.locator('#account-name').waitFor();
    hits = hits.concat(await hitsOf(page));
  }
  console.log(`# account pages: ${fixture.payloads} payloads as affiliations on one page, 25 as names`);
  assert.deepEqual(hits, []);
  await ctx.close();
});
