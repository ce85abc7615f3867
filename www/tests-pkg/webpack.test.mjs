// Packaging test: the `partner-usage` tarball works unchanged with webpack 5
// (`new URL('partner_usage_bg.wasm', import.meta.url)` becomes an asset
// module; no `experiments` needed), and the built page loads in Chromium and
// shows fetched data from the in-wasm simulator.
//
// Run from www/ after `cargo xtask package`: node --test tests-pkg/

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  emittedCopyOf,
  listFiles,
  npmInstall,
  packTarball,
  reportSizes,
  run,
  scenarioInNode,
  servedPage,
  tempDir,
  writeFiles,
} from './helpers.mjs';

// Pinned so the run is reproducible (and served from the npm cache after the first run).
const WEBPACK = 'webpack@5.112.2';
const WEBPACK_CLI = 'webpack-cli@7.3.1';

test('the npm package works unchanged with webpack 5', { timeout: 600_000 }, async (t) => {
  const { tarball } = packTarball(t);
  const app = tempDir(t, 'webpack-app');
  writeFiles(app, {
    'package.json': JSON.stringify({ name: 'partner-usage-webpack-smoke', private: true, type: 'module' }, null, 2),
    // Nothing package-specific: the defaults of a production build.
    'webpack.config.js': `export default {
  mode: 'production',
  entry: './src/main.js',
  output: { path: new URL('./dist', import.meta.url).pathname, filename: 'main.js', clean: true },
};
`,
    'src/scenario.js': readFileSync(join(import.meta.dirname, 'app', 'scenario.js'), 'utf8'),
    'src/main.js': `import init, * as api from 'partner-usage';
import { simulatorWasm } from 'partner-usage/simulator';
import 'partner-usage/dashboard';
import ja from 'partner-usage/dashboard/messages/ja';
import { messagesFor } from 'partner-usage/dashboard/messages';
import { scenario } from './scenario.js';

const out = document.getElementById('out');
init(simulatorWasm)
  .then(() => Promise.all([scenario(api), messagesFor('fr-CA')]))
  .then(([result, fr]) => {
    const dashboard = customElements.get('partner-usage-dashboard') !== undefined;
    out.textContent = JSON.stringify({ result, dashboard, words: [ja.lang, ja.total, fr && fr.lang, fr && fr.total] });
    out.dataset.state = 'done';
  })
  .catch((e) => {
    out.textContent = 'error: ' + (e && e.stack ? e.stack : e);
    out.dataset.state = 'error';
  });
`,
  });
  npmInstall(app, [tarball, WEBPACK, WEBPACK_CLI]);

  run(join(app, 'node_modules', '.bin', 'webpack'), ['--config', 'webpack.config.js'], app);
  writeFiles(join(app, 'dist'), {
    'index.html':
      '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>partner-usage webpack smoke</title></head>' +
      '<body><pre id="out">loading</pre><script src="main.js"></script></body></html>\n',
  });
  const built = listFiles(join(app, 'dist'));
  console.log(`webpack build: ${built.join(', ')}`);
  assert.equal(built.filter((f) => f.endsWith('.wasm')).length, 2, 'webpack emitted both wasm modules as assets');

  const pkgDir = join(app, 'node_modules', 'partner-usage');
  const expected = await scenarioInNode(app);
  const page = await servedPage(t, join(app, 'dist'));
  const { shown } = page;
  assert.deepEqual(shown.result, expected, 'the page shows what the API returns');
  assert.equal(shown.result.customers, 12);
  assert.equal(shown.dashboard, true);
  assert.deepEqual(shown.words, ['ja', '合計', 'fr', 'Total'], 'partner-usage/dashboard/messages/ja and messagesFor');
  assert.deepEqual(page.problems, [], 'no console errors or failed requests');
  assert.equal(page.wasm.length, 1, `the page loads one wasm module: ${page.wasm.join(', ')}`);
  assert.equal(page.wasm[0], emittedCopyOf(join(app, 'dist'), join(pkgDir, 'partner_usage_sim_bg.wasm')), 'the one with the simulator, given to init()');
  reportSizes(pkgDir, 'webpack');
});
