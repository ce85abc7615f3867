// Packaging test: the `partner-usage` tarball with esbuild, which leaves
// `new URL('partner_usage_bg.wasm', import.meta.url)` as it is and emits no
// file for it: the wasm modules are copied next to the bundle, as the README
// says. The built page loads in Chromium and shows fetched data from the
// in-wasm simulator, as the Vite and webpack apps do.
//
// Run from www/ after `cargo xtask package`: node --test tests-pkg/

import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { listFiles, npmInstall, packTarball, run, scenarioInNode, servedPage, tempDir, writeFiles } from './helpers.mjs';

// Pinned so the run is reproducible (and served from the npm cache after the first run).
const ESBUILD = 'esbuild@0.28.2';

test('the npm package works with esbuild, its wasm copied next to the bundle', { timeout: 600_000 }, async (t) => {
  const { tarball } = packTarball(t);
  const app = tempDir(t, 'esbuild-app');
  writeFiles(app, {
    'package.json': JSON.stringify({ name: 'partner-usage-esbuild-smoke', private: true, type: 'module' }, null, 2),
    'src/scenario.js': readFileSync(join(import.meta.dirname, 'app', 'scenario.js'), 'utf8'),
    'src/main.js': `import init, * as api from 'partner-usage';
import { simulatorWasm } from 'partner-usage/simulator';
import 'partner-usage/dashboard';
import { messagesFor } from 'partner-usage/dashboard/messages';
import { scenario } from './scenario.js';

const out = document.getElementById('out');
init(simulatorWasm)
  .then(() => Promise.all([scenario(api), messagesFor('ko-KR')]))
  .then(([result, ko]) => {
    out.textContent = JSON.stringify({ result, dashboard: customElements.get('partner-usage-dashboard') !== undefined, words: [ko && ko.lang] });
    out.dataset.state = 'done';
  })
  .catch((e) => {
    out.textContent = 'error: ' + (e && e.stack ? e.stack : e);
    out.dataset.state = 'error';
  });
`,
  });
  npmInstall(app, [tarball, ESBUILD]);
  run(join(app, 'node_modules', '.bin', 'esbuild'), ['src/main.js', '--bundle', '--format=esm', '--splitting', '--outdir=dist'], app);
  const pkgDir = join(app, 'node_modules', 'partner-usage');
  const bundle = readFileSync(join(app, 'dist', 'main.js'), 'utf8');
  assert.match(bundle, /new URL\("(\.\/)?partner_usage_sim_bg\.wasm", import\.meta\.url\)/, 'esbuild keeps the URL as written');
  assert.equal(listFiles(join(app, 'dist')).filter((f) => f.endsWith('.wasm')).length, 0, 'and emits no wasm file');
  // The README's step for esbuild.
  for (const f of ['partner_usage_bg.wasm', 'partner_usage_sim_bg.wasm']) copyFileSync(join(pkgDir, f), join(app, 'dist', f));
  writeFiles(join(app, 'dist'), {
    'index.html':
      '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>partner-usage esbuild smoke</title></head>' +
      '<body><pre id="out">loading</pre><script type="module" src="main.js"></script></body></html>\n',
  });

  const expected = await scenarioInNode(app);
  const page = await servedPage(t, join(app, 'dist'));
  const { shown } = page;
  assert.deepEqual(shown.result, expected, 'the page shows what the API returns');
  assert.equal(shown.dashboard, true);
  assert.deepEqual(shown.words, ['ko'], 'a catalogue loads from its own chunk');
  assert.deepEqual(page.problems, [], 'no console errors or failed requests');
  assert.deepEqual(page.wasm, ['partner_usage_sim_bg.wasm'], 'the page loads the module given to init()');
});
