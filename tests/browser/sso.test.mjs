// Publisher single sign-on in Chromium: the publisher's page gives the widget a token its own
// backend signed (here, with the README's Node function); the reader comments as themselves,
// with the publisher's badge; the page signs them out and in again through jirga.logout() and
// jirga.login(token).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARTIFACTS, hostPage, launchBrowser, startJirga, watch } from './harness.mjs';

const SECRET = 'a shared secret for the browser test';

// The README's example, as a publisher would paste it.
function jirgaToken(user, secret, kid, site) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg: 'HS256', typ: 'JWT', kid });
  const body = b64({ aud: site, iat: now, exp: now + 3600, jti: crypto.randomUUID(), user });
  const sig = crypto.createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

let jirga, browser;
before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'jirga-sso-'));
  const config = join(dir, 'jirga.toml');
  writeFileSync(config, `[[sso]]\nsite = "demo"\nsecrets = [{ kid = "web-1", secret = "${SECRET}" }]\n`);
  jirga = await startJirga({ JIRGA_CONFIG: config });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  jirga?.stop();
});

const comment = (page, author) => page.locator('li.comment', { has: page.locator(`strong.name:text-is("${author}")`) }).first();

test("a publisher's signed-in reader comments as themselves, and the page signs them out and in", async () => {
  const reader = { id: 'p-17', username: 'Zara Ahmed', email: 'zara@example.org', role: 'staff', badges: ['Weather desk'] };
  const token = jirgaToken(reader, SECRET, 'web-1', 'demo');
  const host = await hostPage(`<!doctype html><html lang="en"><head><title>Publisher page</title></head><body>
    <h1>Flood warnings</h1><div id="jirga"></div>
    <script src="${jirga.url}/widget.js" data-site="demo" data-thread="/articles/flood-warnings"
            data-jirga-token="${token}" async></script>
    </body></html>`);
  try {
    jirga.admin('site', 'origins', 'demo', '--origin', host.url);
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const problems = watch(page);
    await page.goto(host.url + '/');
    const form = page.locator('form[aria-label="Write a comment"]');
    await form.locator('strong.me', { hasText: 'Zara Ahmed' }).waitFor();
    assert.equal(await form.getByLabel('Name').isVisible(), false, 'no name to type');

    await form.getByLabel('Your comment').fill('The gauge at the weir rose faster than the warning said; the desk is checking the readings.');
    await form.getByRole('button', { name: 'Post comment' }).click();
    const mine = comment(page, 'Zara Ahmed');
    await mine.waitFor();
    assert.match(await mine.innerText(), /Weather desk/);
    await page.screenshot({ path: join(ARTIFACTS, 'sso-signed-in.png') });

    // The publisher's page signs the reader out: the widget offers guest commenting again,
    // and the same token cannot sign in again (it was revoked).
    await page.evaluate(() => window.jirga.logout());
    await form.locator('a.sign-in').waitFor();
    const again = await page.evaluate((t) => window.jirga.login(t).then(() => 'in', (e) => e.code), token);
    assert.equal(again, 'sso_revoked');

    // A fresh token from the publisher signs them in again.
    const fresh = jirgaToken(reader, SECRET, 'web-1', 'demo');
    await page.evaluate((t) => window.jirga.login(t), fresh);
    await form.locator('strong.me', { hasText: 'Zara Ahmed' }).waitFor();
    // The refused login showed in the console as a failed request; nothing else went wrong.
    assert.deepEqual(problems.filter((p) => !/401/.test(p)), []);
    await page.close();
  } finally {
    host.close();
  }
});
