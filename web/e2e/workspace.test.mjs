// The workspace in a real headless Chromium, driven by Playwright. WorkspaceTest (JUnit) starts
// the server with the "gate" engine, makes the keys and a history, runs this file and reads its
// TAP report; it opens the engine's gate when asked on stderr ("@refrain gate open") and answers
// "ok" on stdin, so a task can be watched while it is held in processing.
//
// Environment: REFRAIN_BASE, REFRAIN_USER_KEY (limited, with 13 tasks behind it: 10 completed
// txt2audio, 3 failed audio2audio), REFRAIN_ADMIN_KEY, REFRAIN_AUDIO_FILE (a short WAV),
// REFRAIN_OUT (where the screenshot goes), REFRAIN_CHROMIUM, REFRAIN_ADDRESSES (other URLs the
// workspace is served at, comma-separated: 127.0.0.1, localhost, a loopback proxy's prefix) and
// REFRAIN_DONE_TASK (a completed task of the user's).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: WorkspaceTest sets it`);
  return v;
};
const BASE = env('REFRAIN_BASE');
const USER_KEY = env('REFRAIN_USER_KEY');
const ADMIN_KEY = env('REFRAIN_ADMIN_KEY');
const OUT = env('REFRAIN_OUT');
const ADDRESSES = env('REFRAIN_ADDRESSES').split(',');
const DONE_TASK = env('REFRAIN_DONE_TASK');

// The JUnit side's answers, a line each.
const answers = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
async function control(command) {
  process.stderr.write(`@refrain ${command}\n`);
  const { value } = await answers.next();
  assert.equal(value, 'ok', `the test's answer to ${command}`);
}

let browser;
let page;
const problems = [];
const eventStreams = [];

before(async () => {
  browser = await chromium.launch({
    executablePath: env('REFRAIN_CHROMIUM'),
    headless: true,
    // No sandbox as root; nothing that reaches out to the network (this machine has none).
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, colorScheme: 'light' });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
  // A CSP violation, an uncaught error or a failed script load would each be a bug of the bundle.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 40[0-4]/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('request', (r) => {
    if (r.url().includes('/events')) eventStreams.push(r.url());
  });
});

after(async () => {
  await browser?.close();
  process.stdin.destroy(); // the answers' reader would keep the process alive
});

/** A view, loaded afresh: no state carried over from the scenario before. */
async function open(view) {
  await page.goto(`${BASE}/#/${view}`);
  await page.reload();
}

const alert = () => page.getByRole('alert').first();

async function signIn(key, base = BASE) {
  await page.goto(base + '/');
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('account').waitFor();
}

async function signOut() {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('API key').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'signing out forgets the key');
}

/** Pixels of a canvas that anything was drawn on, out of all of them. */
function inkedShare(canvas) {
  return canvas.evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let inked = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) inked++;
    return inked / (c.width * c.height);
  });
}

test('signing in takes a key, keeps it for the tab only, and refuses a wrong one', async () => {
  await page.goto(BASE + '/');
  await page.getByLabel('API key').fill('rk_not-a-key');
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert.equal(await alert().textContent(), 'invalid API key');

  await signIn(USER_KEY);
  assert.match(await page.getByTestId('account').textContent(), /^alice · \$\d/);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('refrain.key')), USER_KEY);
  assert.equal(await page.evaluate(() => document.cookie), '');
  await page.reload();
  await page.getByTestId('account').waitFor();
  assert.equal(await page.getByRole('link', { name: 'Keys' }).count(), 0, 'no key management for a plain key');
});

test('a txt2audio task shows its live progress, then plays with a waveform', async () => {
  await control('gate close');
  await open('create');
  await page.getByLabel('Style', { exact: true }).fill('calm piano, 90 bpm');

  const lyrics = page.getByLabel('Lyrics', { exact: true });
  await lyrics.fill('[verze]\nwalking down the road\n');
  await page.getByText('Line 1: unknown section tag [verze]').waitFor();
  assert.equal(await page.locator('mark.tag.unknown').count(), 1);
  await page.screenshot({ path: join(OUT, 'workspace-create.png'), fullPage: true });
  await lyrics.fill('[verse]\nwalking down the road\n');
  await lyrics.press('Control+End');
  await page.getByRole('button', { name: '[chorus]' }).click();
  assert.equal(await lyrics.inputValue(), '[verse]\nwalking down the road\n[chorus]\n');
  assert.equal(await page.locator('mark.tag:not(.unknown)').count(), 2, 'both tags highlighted');
  assert.equal(await page.locator('.warning').count(), 0);

  await page.getByLabel('Duration').fill('10');
  assert.equal(await page.locator('output').textContent(), '10 s');
  await page.getByRole('button', { name: 'Create', exact: true }).click();

  await page.waitForURL(/#\/task\/[0-9a-f-]{36}$/);
  const id = page.url().split('/').pop();
  // Held at the gate: processing, half way, the engine's stage, and its log so far.
  await page.locator('[data-testid=status]', { hasText: 'processing' }).waitFor();
  await page.locator('[data-testid=stage]', { hasText: '50% waiting at the gate' }).waitFor();
  assert.equal(await page.getByRole('progressbar').getAttribute('aria-valuenow'), '50');
  assert.ok(eventStreams.some((u) => u.endsWith(`/api/v1/task/${id}/events`)), 'the page follows the task by its event stream');

  await control('gate open');
  await page.locator('[data-testid=status]', { hasText: 'completed' }).waitFor();
  assert.ok((await page.getByTestId('logs').locator('li').count()) > 0, 'the log lines arrived');

  const task = await (await fetch(`${BASE}/api/v1/task/${id}`, { headers: { 'x-api-key': USER_KEY } })).json();
  const audioUrl = task.data.output.audio_url;
  const audio = page.locator('audio');
  // Resolved against the page: the same URL, as the page is opened at the server's own base here.
  assert.equal(await audio.evaluate((a) => a.src), audioUrl);
  // Playable: the browser reads the file's length, and playing moves the clock.
  const played = await audio.evaluate(async (a) => {
    if (a.readyState < 1) await new Promise((r) => a.addEventListener('loadedmetadata', r, { once: true }));
    await a.play();
    // A loaded machine's browser may take a while to start its audio clock.
    for (const until = Date.now() + 5000; a.currentTime === 0 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
    a.pause();
    return { duration: a.duration, time: a.currentTime };
  });
  assert.ok(Math.abs(played.duration - 10) < 0.2, `duration ${played.duration}`);
  assert.ok(played.time > 0, 'the audio played');
  assert.equal(await page.getByTestId('download').evaluate((a) => a.href), audioUrl);

  const waveform = page.locator('canvas.waveform.drawn');
  await waveform.waitFor();
  assert.ok((await inkedShare(waveform)) > 0.05, 'the waveform is drawn');
  // Clicking three quarters along seeks there.
  const box = await waveform.boundingBox();
  await page.mouse.click(box.x + box.width * 0.75, box.y + box.height / 2);
  const at = await audio.evaluate((a) => a.currentTime);
  assert.ok(Math.abs(at - 7.5) < 0.3, `seeked to ${at}`);

  // The results page, for WorkspaceTest to look at.
  await page.mouse.move(0, 0);
  await page.evaluate(() => document.activeElement?.blur());
  await page.screenshot({ path: join(OUT, 'workspace-results.png') });
  writeFileSync(join(OUT, 'workspace-results.json'), JSON.stringify({ waveform: box }));
});

test('an extend task takes a dropped audio file', async () => {
  await control('gate open'); // whatever became of the scenario before
  await open('create');
  await page.getByText('Extend a track').click();
  const bytes = readFileSync(env('REFRAIN_AUDIO_FILE')).toString('base64');
  const dataTransfer = await page.evaluateHandle((b64) => {
    const raw = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([raw], 'take.wav', { type: 'audio/wav' }));
    return dt;
  }, bytes);
  const drop = page.getByTestId('drop-audio');
  await drop.dispatchEvent('dragover', { dataTransfer });
  await drop.dispatchEvent('drop', { dataTransfer });
  await page.getByText('✓ take.wav').waitFor();
  const url = await page.getByLabel('Audio URL').inputValue();
  assert.ok(url.startsWith(`${BASE}/files/uploads/`), url);

  await page.getByLabel('Add before').fill('2');
  await page.getByLabel('Add after').fill('5');
  await page.getByLabel('Style', { exact: true }).fill('piano');
  await page.getByLabel('Format').selectOption('wav');
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.waitForURL(/#\/task\//);
  await page.locator('[data-testid=status]', { hasText: 'completed' }).waitFor();
  assert.match(await page.getByTestId('download').textContent(), /Download WAV/);
  const id = page.url().split('/').pop();
  const task = await (await fetch(`${BASE}/api/v1/task/${id}`, { headers: { 'x-api-key': USER_KEY } })).json();
  assert.equal(task.data.task_type, 'extend');
  assert.equal(task.data.input.audio, url);
  assert.equal(task.data.input.left_extend_duration, 2);
  assert.equal(task.data.input.right_extend_duration, 5);
});

test('bad input is answered with the server\'s own message', async () => {
  await open('create');
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  assert.equal(await alert().textContent(), 'input.style_prompt is required and must not be empty');

  await page.getByLabel('Style', { exact: true }).fill('piano');
  await page.getByLabel('Seed (optional)').fill('soon');
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: 'input.seed must be an integer' }).waitFor();
  assert.match(page.url(), /#\/create$/, 'no task was made');
});

test('history pages through the tasks and filters them', async () => {
  await open('history');
  const info = page.getByTestId('page-info');
  await info.filter({ hasText: 'Page 1 of 2 · 15 tasks' }).waitFor();
  const rows = page.getByTestId('history').locator('tbody tr');
  assert.equal(await rows.count(), 10);
  // Newest first: the extend made above, then the txt2audio.
  assert.deepEqual(await rows.locator('td:nth-child(2)').allTextContents().then((t) => t.slice(0, 2)), ['extend', 'txt2audio']);

  await page.getByRole('button', { name: 'Older →' }).click();
  await info.filter({ hasText: 'Page 2 of 2' }).waitFor();
  assert.equal(await rows.count(), 5);

  await page.screenshot({ path: join(OUT, 'workspace-history.png'), fullPage: true });
  await page.getByLabel('Status').selectOption('failed');
  await info.filter({ hasText: 'Page 1 of 1 · 3 tasks' }).waitFor();
  assert.deepEqual(await rows.locator('.status').allTextContents(), ['failed', 'failed', 'failed']);

  await page.getByLabel('Status').selectOption('');
  await page.getByLabel('Type').selectOption('extend');
  await info.filter({ hasText: 'Page 1 of 1 · 1 task' }).waitFor();
  await rows.first().getByRole('link').click();
  await page.locator('[data-testid=status]', { hasText: 'completed' }).waitFor();
  assert.match(await page.locator('h1').textContent(), /^extend/);
});

test('usage shows the spending of the days as a chart', async () => {
  await open('usage');
  const summary = page.getByTestId('usage-summary');
  // Eleven tasks of 10 s at $0.0005 a second, at least; the extend's added seconds on top.
  await summary.filter({ hasText: 'on 15 tasks in 30 days' }).waitFor();
  const spent = Number((await summary.textContent()).match(/^Spent \$([\d.]+) /)[1]);
  assert.ok(spent >= 0.055 && spent < 0.06, `spent ${spent}`);
  assert.match(await summary.textContent(), / · balance \$4\.9\d$/);
  const chart = page.getByTestId('usage-chart');
  assert.ok((await inkedShare(chart)) > 0.005, 'the chart is drawn');
  const today = new Date().toISOString().slice(0, 10);
  assert.equal(await page.getByTestId('usage-days').locator('tbody tr td').first().textContent(), today);
  await page.screenshot({ path: join(OUT, 'workspace-usage.png'), fullPage: true });

  await page.getByText('7 days').click();
  await summary.filter({ hasText: 'in 7 days' }).waitFor();
});

test('an admin key manages keys', async () => {
  await signOut();
  await signIn(ADMIN_KEY);
  await page.getByRole('link', { name: 'Keys' }).click();
  const table = page.getByTestId('keys');
  await table.locator('tr[data-key-name=alice]').waitFor();

  const form = page.getByTestId('new-key');
  await form.getByLabel('Name').fill('bob');
  await form.getByLabel(/^Credits/).fill('-1');
  await form.getByRole('button', { name: 'Create key' }).click();
  assert.match(await alert().textContent(), /^credits must be an amount in USD/);

  await form.getByLabel(/^Credits/).fill('2');
  await form.getByLabel(/^Max concurrent/).fill('2');
  await form.getByRole('button', { name: 'Create key' }).click();
  const secret = await page.getByTestId('secret').locator('code').textContent();
  assert.match(secret, /^rk_/);
  const bob = table.locator('tr[data-key-name=bob]');
  await bob.waitFor();
  assert.equal(await bob.getByTestId('key-balance').textContent(), '$2.00');
  const info = () => fetch(`${BASE}/account/info`, { headers: { 'x-api-key': secret } }).then((r) => r.status);
  assert.equal(await info(), 200, 'the new key works');

  await bob.getByRole('button', { name: 'Disable' }).click();
  await bob.getByTestId('key-state').filter({ hasText: 'disabled' }).waitFor();
  assert.equal(await info(), 403, 'a disabled key is refused');
  await bob.getByRole('button', { name: 'Enable' }).click();
  await bob.getByTestId('key-state').filter({ hasText: 'enabled' }).waitFor();
  assert.equal(await info(), 200);

  await bob.getByLabel('USD to add to bob').fill('1');
  await bob.getByRole('button', { name: 'Add' }).click();
  await bob.getByTestId('key-balance').filter({ hasText: '$3.00' }).waitFor();
  await page.screenshot({ path: join(OUT, 'workspace-keys.png'), fullPage: true });
  await page.getByRole('button', { name: 'Done' }).click();
  assert.equal(await page.getByTestId('secret').count(), 0, 'the secret is gone once dismissed');
  assert.ok(!(await page.content()).includes(secret));
});

test('a key that is not an admin key sees no key management', async () => {
  await signOut();
  await signIn(USER_KEY);
  assert.equal(await page.getByRole('link', { name: 'Keys' }).count(), 0);
  await open('keys');
  await page.getByText('Key management needs an admin key.').waitFor();
  assert.equal(await page.getByTestId('keys').count(), 0);
});

test('the waveform is drawn at every address the server answers on', async () => {
  for (const base of ADDRESSES) {
    // Each origin keeps its own sign-in; the scenario before may have left one at BASE.
    await page.goto(base + '/');
    await page.getByLabel('API key').or(page.getByRole('button', { name: 'Sign out' })).waitFor();
    if (await page.getByRole('button', { name: 'Sign out' }).count()) await signOut();
    await signIn(USER_KEY, base);
    await page.goto(`${base}/#/task/${DONE_TASK}`);
    await page.locator('[data-testid=status]', { hasText: 'completed' }).waitFor();
    const waveform = page.locator('canvas.waveform.drawn');
    await waveform.waitFor();
    assert.ok((await inkedShare(waveform)) > 0.05, `the waveform is drawn at ${base}`);
    // Its audio comes from the page's own origin, whatever the base the server names files under.
    const src = await page.locator('audio').evaluate((a) => a.src);
    assert.ok(src.startsWith(`${base}/files/outputs/`), `${src} is under ${base}`);
    assert.equal(await page.getByText('No waveform').count(), 0);
    await signOut();
  }
});

test('the page ran without errors or policy violations', () => {
  assert.deepEqual(problems, []);
});
