import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS } from '../support/chromium.js';
import { createEditor, createProduct, reviewInput } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// /docs as a reader uses it: Swagger UI in a real headless Chromium (Debian's `chromium` package),
// authorized with a bearer token, executing a public read and an editor's write against the real app.
// Screenshots of each executed operation land in test-artifacts/ (git-ignored) for a human to look at.

const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts');
const SLOW = 180_000; // a browser and a database on a loaded machine; each step waits for what it needs, not for a time

const available = fs.existsSync(CHROMIUM);
if (!available) {
  // CI installs it (.ci/run) and sets TEST_BROWSER=require, so there this is a failure, never a skip
  if (process.env.TEST_BROWSER === 'require') throw new Error(`${CHROMIUM} is missing and TEST_BROWSER=require: apt-get install -y chromium`);
  process.stdout.write(`SKIPPED docs-in-browser: ${CHROMIUM} is absent (apt-get install -y chromium to run it)\n`);
}

/**
 * Expands one operation, presses "Try it out", optionally replaces its JSON body, executes, saves a
 * screenshot from the operation's title to the server's response, and returns the status shown.
 */
async function execute(page: Page, operationId: string, tag: string, input: { body?: unknown; clear?: string[] } = {}) {
  const operation = page.locator(`#operations-${tag}-${operationId}`);
  await operation.locator('.opblock-summary').first().click();
  await operation.locator('button.try-out__btn').click();
  // Swagger UI fills in the contract's example values; clear the ones that would filter everything out
  for (const name of input.clear ?? []) await operation.locator(`tr[data-param-name="${name}"] input`).fill('');
  if (input.body !== undefined) await operation.locator('textarea.body-param__text').fill(JSON.stringify(input.body, null, 2));
  await operation.locator('button.execute').click();
  const response = operation.locator('.live-responses-table').first();
  const status = response.locator('.response .response-col_status').first();
  await status.waitFor();
  await screenshotBetween(page, operation, response, path.join(ARTIFACTS, `docs-${operationId}.png`));
  return { status: (await status.innerText()).trim(), body: await response.locator('.response-col_description pre').first().innerText() };
}

/** The page from the top of `from` to the bottom of `to`: the request as filled in, and its response. */
async function screenshotBetween(page: Page, from: Locator, to: Locator, file: string): Promise<void> {
  const [top, bottom] = [await from.boundingBox(), await to.boundingBox()];
  if (!top || !bottom) throw new Error(`nothing to screenshot for ${file}`);
  const scrollY = await page.evaluate<number>('window.scrollY'); // boxes are relative to the viewport, clips to the page
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({
    path: file,
    fullPage: true,
    clip: { x: top.x, y: top.y + scrollY, width: top.width, height: bottom.y + bottom.height - top.y },
  });
}

(available ? describe : describe.skip)('GET /docs in a real browser', () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    app = await startTestApp();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true, timeout: 0 });
  }, SLOW);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  test(
    'when a reader authorizes with a bearer token and executes POST /v1/reviews and GET /v1/content, then Swagger UI shows 201 and 200 with the new review listed',
    async () => {
      const editor = await createEditor(app);
      const product = await createProduct(app);
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.setDefaultTimeout(0); // a loaded machine is slow, not broken: each wait ends when its element appears
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));

      await page.goto(`${app.baseUrl}/docs/`);
      await page.locator('button.authorize').first().click();
      await page.locator('.modal-ux input').first().fill(editor.token);
      await page.locator('.modal-ux button.authorize').click();
      await page.locator('.modal-ux button.btn-done').click();
      const created = await execute(page, 'createReview', 'reviews', { body: reviewInput(product.id, { title: 'Written from the docs page' }) });
      const listed = await execute(page, 'listContent', 'content', { clear: ['q', 'brand', 'mount'] });

      expect(created).toMatchObject({ status: '201', body: expect.stringContaining('"slug": "written-from-the-docs-page') });
      expect(listed).toMatchObject({ status: '200', body: expect.stringContaining('"title": "Written from the docs page"') });
      expect(pageErrors).toEqual([]);
    },
    SLOW,
  );
});
