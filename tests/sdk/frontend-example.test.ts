import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { build } from 'esbuild';
import { chromium, type Browser, type Page, type Request as BrowserRequest } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS } from '../support/chromium.js';
import { createClient } from '../../sdk/src/index.js';
import type { ProbeResult } from './support/browser-cancellation-probe.js';
import { startSandbox, type Sandbox } from './support/sandbox-process.js';
import { serveFolder, type StaticSite } from './support/static-site.js';

// The example frontend app (sdk/examples/frontend), built with its esbuild script, served from its
// own origin and driven in a real headless Chromium against `npm run sandbox`: what a frontend
// developer gets. One sandbox, one browser, one page for the app's flow in order.

const available = fs.existsSync(CHROMIUM);
if (!available) {
  // CI installs it (.ci/run) and sets TEST_BROWSER=require, so there this is a failure, never a skip
  if (process.env.TEST_BROWSER === 'require') throw new Error(`${CHROMIUM} is missing and TEST_BROWSER=require: apt-get install -y chromium`);
  process.stdout.write(`SKIPPED frontend-example: ${CHROMIUM} is absent (apt-get install -y chromium to run it)\n`);
}

const isSearchFor = (q: string) => (request: BrowserRequest) => new URL(request.url()).searchParams.get('q') === q;

(available ? describe : describe.skip)('the example frontend app in Chromium against the sandbox', () => {
  let outdir: string;
  let site: StaticSite;
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const text = (selector: string) => page.locator(selector).innerText();

  beforeAll(async () => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcr-frontend-'));
    execFileSync(process.execPath, ['sdk/examples/frontend/build.mjs', outdir], { stdio: 'ignore', env: { ...process.env, NODE_OPTIONS: '' } });
    await build({
      entryPoints: ['tests/sdk/support/browser-cancellation-probe.ts'],
      outfile: path.join(outdir, 'probe.js'),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: ['es2022'],
    });
    fs.writeFileSync(path.join(outdir, 'probe.html'), '<!doctype html><script type="module" src="./probe.js"></script>');
    site = await serveFolder(outdir);
    sandbox = await startSandbox([site.origin]);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true, timeout: 0 });
    page = await browser.newPage();
    page.setDefaultTimeout(0); // a loaded machine is slow, not broken: each wait ends when its element appears
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${site.origin}/index.html?api=${encodeURIComponent(sandbox.baseUrl)}`);
  });
  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
    await site?.close();
    if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('when the app opens, then it lists the newest published reviews of the demo catalog', async () => {
    await page.locator('#search-status', { hasText: 'found' }).waitFor();

    expect(await page.locator('#results li').count()).toBeGreaterThanOrEqual(2);
    expect(await text('#search-status')).toMatch(/^\d+ found; 0 earlier searches cancelled$/);
  });

  test('when a newer search starts while one is in flight, then the older request is cancelled in the browser and only the newer results show', async () => {
    // hold the first search at the network layer, so that it is certainly in flight when the next one starts
    let heldRequestArrived!: () => void;
    const firstSearchHeld = new Promise<void>((resolve) => (heldRequestArrived = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route(
      (url) => url.searchParams.get('q') === 'fujifilm',
      async (route) => {
        heldRequestArrived();
        await released;
        await route.continue().catch(() => undefined); // the page has cancelled it meanwhile
      },
    );
    const firstFailed = page.waitForEvent('requestfailed', isSearchFor('fujifilm'));

    await page.locator('#search').fill('fujifilm');
    await firstSearchHeld;
    await page.locator('#search').fill('sony');
    const failure = await firstFailed;
    await page.locator('#search-status', { hasText: 'for "sony"' }).waitFor();
    release();

    expect(failure.failure()?.errorText).toMatch(/ERR_ABORTED|cancel/i);
    expect(await text('#search-status')).toMatch(/^\d+ found for "sony"; 1 earlier searches cancelled$/);
    const sonyPage = await createClient({ baseUrl: sandbox.baseUrl }).content.list({ q: 'sony', limit: 10 });
    expect(sonyPage.items.length).toBeGreaterThan(0);
    expect(await page.locator('#results li').evaluateAll((items) => items.map((li) => li.getAttribute('data-slug')))).toEqual(
      sonyPage.items.map((i) => i.slug),
    );
    await page.unroute((url) => url.searchParams.get('q') === 'fujifilm');
  });

  test('when two reviews are checked and compared, then their products show side by side with aligned specs', async () => {
    await page.locator('#search').fill('review');
    await page.locator('#search-status', { hasText: 'for "review"' }).waitFor();
    const boxes = page.locator('#results input[type=checkbox]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();

    await page.locator('#compare').click();
    await page.locator('#comparison table').waitFor();

    expect(await page.locator('#comparison th').count()).toBe(3);
    expect(await page.locator('#comparison td', { hasText: 'sensor_format' }).count()).toBe(1);
  });

  test('when the demo editor signs in, then the app shows their name and the publish form', async () => {
    await page.locator('#signin [name=email]').fill(sandbox.editor.email);
    await page.locator('#signin [name=password]').fill(sandbox.editor.password);
    await page.locator('#signin button').click();

    await page.locator('#who', { hasText: 'signed in as' }).waitFor();
    expect(await text('#who')).toBe('signed in as Demo Editor');
    await page.locator('#publish').waitFor();
  });

  test('when the editor publishes a review, then it is read back from the public content', async () => {
    await page.locator('#publish [name=title]').fill('Ricoh GR III after a year in the pocket');
    await page.locator('#publish [name=summary]').fill('Still the camera that is always with me.');
    await page.locator('#publish [name=body]').fill('## Handling\n\nSmall enough to forget.');
    await page.locator('#publish [name=verdict_score]').fill('8.5');
    await page.locator('#publish button').click();

    await page.locator('#published', { hasText: 'published' }).waitFor();
    expect(await text('#published')).toMatch(/^published ricoh-gr-iii-after-a-year-in-the-pocket-\w+ \(version 1\)$/);
  });

  test('when the editor edits with the ETag, then it saves; when someone changed it meanwhile, then 412 and nothing is overwritten', async () => {
    await page.locator('#edit [name=title]').fill('Ricoh GR III: a year in the pocket');
    await page.locator('#edit button').click();
    await page.locator('#edit-status', { hasText: 'version 2' }).waitFor();
    expect(await text('#edit-status')).toBe('saved "Ricoh GR III: a year in the pocket" (version 2)');

    // someone else (the same editor on another device) changes it
    const slug = (await text('#published')).split(' ')[1] as string;
    const elsewhere = createClient({ baseUrl: sandbox.baseUrl, credentials: sandbox.editor });
    const { id } = await elsewhere.content.get(slug);
    const { etag = '' } = await elsewhere.reviews.get(id).withResponse();
    await elsewhere.reviews.update(id, { summary: 'Changed on the phone.' }, { ifMatch: etag });

    await page.locator('#edit [name=title]').fill('A title that would overwrite the phone edit');
    await page.locator('#edit button').click();
    await page.locator('#edit-status', { hasText: 'not saved' }).waitFor();

    expect(await text('#edit-status')).toBe('not saved: 412 precondition_failed');
    expect(await elsewhere.reviews.get(id)).toMatchObject({ title: 'Ricoh GR III: a year in the pocket', summary: 'Changed on the phone.', version: 3 });
    expect(pageErrors).toEqual([]);
  });

  test('when the SDK bundle cancels in the browser, then an aborted call sends nothing more and rejects with the reason at every stage', async () => {
    const probePage = await browser.newPage();
    probePage.setDefaultTimeout(0);
    await probePage.goto(`${site.origin}/probe.html`);
    await probePage.waitForFunction('typeof globalThis.cancellationProbes === "function"');

    const results = await probePage.evaluate<Record<string, ProbeResult>>(`globalThis.cancellationProbes(${JSON.stringify(sandbox.baseUrl)})`);
    await probePage.close();

    expect(results).toEqual({
      alreadyAborted: { rejectedWith: 'AbortError: signal is aborted without reason', sent: [] },
      onTheWire: { rejectedWith: 'Error: route changed', sent: ['/v1/content'] },
      betweenPages: { rejectedWith: 'Error: enough', sent: ['/v1/content'] },
      retryWait: { rejectedWith: 'Error: gave up', sent: ['/v1/content'] },
      tokenWait: { rejectedWith: 'Error: signed out meanwhile', sent: ['/v1/auth/login'] },
    });
  });

  test('when createClient and one call are bundled for the browser, then they weigh at most 8 kB gzip', () => {
    const output = execFileSync(process.execPath, ['sdk/scripts/bundle-size.mjs'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });

    const gzip = Number(/(\d+) bytes gzip/.exec(output)?.[1]);
    expect(gzip).toBeGreaterThan(1_000);
    expect(gzip).toBeLessThanOrEqual(8 * 1024);
  });
});
