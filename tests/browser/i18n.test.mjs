// The widget and the dashboard in Urdu: right to left, Urdu words, relative times and plurals
// from the catalogues, an English name kept in place inside Urdu, and the reader's switch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, launchBrowser, startJirga, watch } from './harness.mjs';

const SHOTS = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
let jirga, browser;
before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  mkdirSync(SHOTS, { recursive: true });
  jirga = await startJirga();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  jirga?.stop();
});

const heading = (page) => page.locator('#jirga-heading');
const comment = (page, author) => page.locator('li.comment', { has: page.locator(`strong.name:text-is("${author}")`) }).first();

test('the Urdu edition draws the widget right to left, in Urdu', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const problems = watch(page);
  await page.goto(jirga.url + '/ur');
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  await heading(page).filter({ hasText: 'تبصرے (4)' }).waitFor();
  const section = page.locator('section.jirga');
  assert.equal(await section.getAttribute('dir'), 'rtl');
  assert.equal(await section.getAttribute('lang'), 'ur');

  // Two top-level comments a page: the rest behind "View more comments", in Urdu.
  assert.equal(await page.locator('ol.list > li.comment').count(), 2);
  const more = page.getByRole('button', { name: 'مزید تبصرے دیکھیں' });
  await more.click();
  await comment(page, 'Sana').waitFor();
  assert.equal(await page.locator('ol.list > li.comment').count(), 3);

  // Urdu relative times from the browser's Intl ("3 گھنٹے پہلے").
  const first = comment(page, 'عائشہ ملک');
  assert.match(await first.locator('time').first().innerText(), /پہلے$/);

  // The action row reads right to left: Reply is rightmost, then Like to its left.
  const reply = first.getByRole('button', { name: /^جواب دیں/ }).first();
  const like = first.locator('.actions button.like').first();
  const [r, l] = [await reply.boundingBox(), await like.boundingBox()];
  assert.ok(r.x > l.x, `Reply (${r.x}) is right of Like (${l.x})`);

  // The reply by Bilal Ahmed keeps its English name and "Gareth Lloyd" in place: the name is
  // isolated (dir=auto) and the body takes its direction from its own text.
  const bilal = page.locator('li.reply > article', { has: page.locator('strong.name:text-is("Bilal Ahmed")') });
  assert.equal(await bilal.locator('strong.name').getAttribute('dir'), 'auto');
  assert.equal(await bilal.locator('.body').getAttribute('dir'), 'auto');
  const body = bilal.locator('.body p');
  assert.equal(await body.evaluate((p) => getComputedStyle(p).direction), 'rtl');
  assert.match(await body.innerText(), /Gareth Lloyd/);

  // A reply: the form says whom it answers, in Urdu.
  await reply.click();
  const replyForm = page.locator('form.compose.panel');
  await replyForm.locator('.replying', { hasText: 'عائشہ ملک کو جواب' }).waitFor();
  await replyForm.getByRole('button', { name: 'منسوخ' }).click();

  // The composer: an Urdu comment is checked, and the nudge says in Urdu that a person reads
  // it (the models cannot); sent anyway, it waits, shown to its author only.
  const form = page.locator('form.compose').first();
  await form.getByLabel('آپ کا تبصرہ').fill('یہ دفتر جنوری تک کھل جانا چاہیے، برسات سے پہلے۔');
  await form.getByLabel('نام').fill('زینب');
  await form.getByRole('button', { name: 'تبصرہ شائع کریں' }).click();
  const nudge = form.locator('.message[data-state="nudge"]');
  await nudge.filter({ hasText: 'یہ تبصرہ نگران کا منتظر رہے گا۔' }).waitFor();
  assert.match(await nudge.innerText(), /خودکار جانچ ابھی یہ زبان نہیں پڑھ سکتی/);
  await page.screenshot({ path: join(SHOTS, 'widget-ur-composer.png'), fullPage: false,
    clip: await form.boundingBox().then((b) => ({ x: 0, y: Math.max(0, b.y - 20), width: 1280, height: Math.min(600, b.height + 80) })) });
  await nudge.getByRole('button', { name: 'پھر بھی جائزے کے لیے بھیجیں' }).click();
  await form.locator('.message[data-state="held"]').waitFor();
  await comment(page, 'زینب').locator('.held', { hasText: 'جائزے کا منتظر۔' }).waitFor();

  await page.locator('#jirga').scrollIntoViewIfNeeded();
  await page.locator('#jirga').screenshot({ path: join(SHOTS, 'widget-ur-1280.png') });

  // The reader switches the widget to English; the choice is kept.
  await page.locator('#jirga-lang').selectOption('en');
  await heading(page).filter({ hasText: 'Comments (4)' }).waitFor();
  assert.equal(await page.locator('section.jirga').getAttribute('dir'), 'ltr');
  await page.reload();
  await heading(page).filter({ hasText: 'Comments (4)' }).waitFor();
  await page.locator('#jirga-lang').selectOption('ur');
  await heading(page).filter({ hasText: 'تبصرے (4)' }).waitFor();
  assert.deepEqual(problems, []);
  await page.close();
});

test('a moderator works in Urdu: the dashboard right to left, the held Urdu comment and its reason', async () => {
  jirga.adminWithInput('a password for the test\n', 'moderator', 'add', '--email', 'urdu@example.org', '--name', 'نگران صاحب', '--site', 'demo');
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = watch(page);
  await page.goto(jirga.url + '/moderate/login');
  await page.getByRole('link', { name: 'اردو' }).click();
  await page.getByRole('heading', { name: 'سائن ان' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  await page.getByLabel('ای میل').fill('urdu@example.org');
  await page.getByLabel('پاس ورڈ').fill('a password for the test');
  await page.getByRole('button', { name: 'سائن ان' }).click();
  await page.getByRole('heading', { name: /^روکے گئے تبصرے/ }).waitFor();
  const card = page.locator('li.card').filter({ hasText: 'زینب' });
  await card.locator('.reasons', { hasText: 'خودکار جانچ ابھی یہ زبان نہیں پڑھ سکتی' }).waitFor();
  await page.screenshot({ path: join(SHOTS, 'dashboard-ur.png') });
  await card.getByRole('button', { name: 'منظور کریں' }).click();
  await page.getByRole('status').filter({ hasText: 'منظور ہو گیا۔' }).waitFor();
  assert.deepEqual(problems, []);
  await page.close();
});
