// Debian's Chromium, as every browser run here launches it: the Playwright
// suite (playwright.config.js), the packaging tests (tests-pkg/) and the
// benchmarks (bench/run.mjs). Never `npx playwright install`: the machines
// have no internet, and `cargo xtask test` apt-installs chromium.

/** Where Debian's package puts the browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless in a container, with nothing that phones home or varies between runs. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
