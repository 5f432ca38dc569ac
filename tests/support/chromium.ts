// The headless Chromium the browser tests drive: Debian's `chromium` by default; TEST_CHROMIUM_PATH
// names another build (the GitHub workflow uses the runner's Chrome).

export const CHROMIUM = process.env.TEST_CHROMIUM_PATH || '/usr/bin/chromium';

/** No sandbox (CI runs as root), no GPU, and nothing that phones home or updates itself mid-test. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
