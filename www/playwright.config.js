// Browser tests of <partner-usage-dashboard> and the demo page, in Debian's
// Chromium (never `npx playwright install`: the machines have no internet).
//
// The web server is pc-sim serving this directory (the demo page and the
// built package in dist/npm/) and the simulated Partner Center API on one
// origin. Build first: `cargo xtask package` (or `cargo xtask test`, which
// does it and then runs this suite).
import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.mjs';

// PU_TEST_PORT lets two runs (e.g. two worktrees) share a machine.
const PORT = Number(process.env.PU_TEST_PORT) || 8791;
const simArgs = `--port ${PORT} --seed 7 --site .`;
// Built by `cargo xtask demo`/`package`; otherwise cargo builds it (slow the first time).
const prebuilt = fileURLToPath(new URL('../target/release/pc-sim', import.meta.url));
const command = existsSync(prebuilt)
  ? `'${prebuilt}' ${simArgs}`
  : `cargo run --release -p partner-usage-tests --bin pc-sim -- ${simArgs}`;

for (const f of ['dist/npm/index.js', 'dist/npm/dashboard.js', 'dist/npm/partner_usage_bg.wasm']) {
  if (!existsSync(fileURLToPath(new URL(f, import.meta.url)))) {
    throw new Error(`www/${f} is missing: build the package first (\`cargo xtask package\`, or \`npm run build\` in www/ after it)`);
  }
}

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  // One worker: the tests reconfigure the one simulator (seed, faults, latency).
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: process.env.PU_TEST_PORT ? `./test-results-${process.env.PU_TEST_PORT}` : './test-results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    command,
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    url: `http://127.0.0.1:${PORT}/sim/config`,
    reuseExistingServer: false,
    timeout: 600_000,
    stdout: 'ignore',
    stderr: 'ignore',
  },
});
