// Packaging test: the `partner-usage` tarball installs into a fresh Vite app
// (made in a temp dir), its types compile under `tsc --strict`, `vite build`
// succeeds, and the built page (and the dev server's) loads in Chromium and
// shows fetched data
// (from the in-wasm simulator: no server needed). Prints the gzip sizes of
// the wasm and the JS glue.
//
// Run from www/ after `cargo xtask package` (which also runs `npm run build`):
//   node --test tests-pkg/
// Set KEEP_TMP=1 to keep the temp app.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  emittedCopyOf,
  freePort,
  listFiles,
  loadInChromium,
  npmInstall,
  packTarball,
  reportSizes,
  run,
  scenarioInNode,
  servedPage,
  startServer,
  tempDir,
  writeFiles,
  wwwVersion,
} from './helpers.mjs';

const appSrc = join(import.meta.dirname, 'app');

test('the npm package works unchanged in a fresh Vite app', { timeout: 600_000 }, async (t) => {
  const { tarball, info } = packTarball(t);

  // The tarball: the files and the manifest the issue asks for.
  const files = info.files.map((f) => f.path);
  for (const f of ['package.json', 'index.js', 'index.d.ts', 'errors.js', 'partner_usage.js', 'partner_usage_bg.wasm', 'README.md', 'LICENSE']) {
    assert.ok(files.includes(f), `the tarball lacks ${f}: ${files.join(', ')}`);
  }
  assert.ok(files.some((f) => f.startsWith('snippets/')), 'the wasm-bindgen snippets are missing');

  const app = tempDir(t, 'vite-app');
  writeFiles(app, {
    'package.json': JSON.stringify({ name: 'partner-usage-vite-smoke', private: true, type: 'module' }, null, 2),
    'index.html':
      '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>partner-usage smoke</title></head>' +
      '<body><pre id="out">loading</pre><script type="module" src="/src/main.ts"></script></body></html>\n',
  });
  const fixture = (f) => readFileSync(join(appSrc, f), 'utf8');
  writeFiles(app, {
    'tsconfig.json': fixture('tsconfig.json'),
    'src/scenario.js': fixture('scenario.js'),
    'src/typed.ts': fixture('typed.ts'),
  });
  npmInstall(app, [tarball, `vite@${wwwVersion('vite')}`, `typescript@${wwwVersion('typescript')}`]);

  const pkgDir = join(app, 'node_modules', 'partner-usage');
  const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  assert.equal(manifest.name, 'partner-usage');
  assert.equal(manifest.type, 'module');
  assert.equal('sideEffects' in manifest, false, 'sideEffects must not be declared');
  assert.deepEqual(manifest.exports['.'], { types: './index.d.ts', default: './index.js' });
  assert.equal(manifest.exports['./partner_usage_bg.wasm'], './partner_usage_bg.wasm');
  assert.deepEqual(manifest.exports['./simulator'], { types: './simulator.d.ts', default: './simulator.js' });
  assert.equal(manifest.exports['./package.json'], './package.json');
  const dashboard = manifest.exports['./dashboard'];
  const dashboardTypes = typeof dashboard === 'object' && dashboard?.types;

  writeFiles(app, {
    'src/main.ts': `import init, * as api from 'partner-usage';
import { simulatorWasm } from 'partner-usage/simulator';
import { scenario } from './scenario.js';
import { typedUsage } from './typed';
${dashboard ? `import 'partner-usage/dashboard';
import type { DashboardMessages } from 'partner-usage/dashboard';
import ko from 'partner-usage/dashboard/messages/ko';
import { messagesFor } from 'partner-usage/dashboard/messages';` : ''}

const out = document.getElementById('out') as HTMLElement;
async function main(): Promise<void> {
  await Promise.all([init(simulatorWasm), init(simulatorWasm)]);
  const result = await scenario(api);
  const typed = await typedUsage();
  const dashboard = ${dashboard ? "customElements.get('partner-usage-dashboard') !== undefined" : 'null'};
  ${dashboard ? `// A catalogue and a few words of one's own, typed (not connected: nothing loads).
  const own: Partial<DashboardMessages> = { budgets: 'Budget status', showMore: ({ count, n }) => \`\${count} more (\${n})\` };
  const el = document.createElement('partner-usage-dashboard');
  el.messages = { ...ko, ...own };
  // A catalogue by language tag: a chunk of its own, fetched on demand.
  const zh = await messagesFor('zh-TW');
  const words = [el.messages?.lang, ko.total, el.messages?.budgets, own.showMore?.({ count: '1,000', n: 1000 }), zh?.lang ?? null, zh?.total ?? null];` : 'const words = null;'}
  out.textContent = JSON.stringify({ result, typed, dashboard, words });
  out.dataset.state = 'done';
}
main().catch((e: unknown) => {
  out.textContent = 'error: ' + (e instanceof Error ? e.stack ?? e.message : String(e));
  out.dataset.state = 'error';
});
`,
    ...(dashboard && !dashboardTypes ? { 'src/dashboard-shim.d.ts': "declare module 'partner-usage/dashboard';\n" } : {}),
  });

  // Types: tsc --strict over the app (main.ts, typed.ts), including the package's index.d.ts.
  run(join(app, 'node_modules', '.bin', 'tsc'), ['-p', '.'], app);

  run(join(app, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], app);
  const built = listFiles(join(app, 'dist'));
  // The package's module (referenced by the glue) and the simulator's (this
  // app imports partner-usage/simulator); the page loads only the latter.
  const wasmAssets = built.filter((f) => f.endsWith('.wasm'));
  assert.equal(wasmAssets.length, 2, `vite emitted ${wasmAssets.length} wasm files: ${built.join(', ')}`);
  console.log(`vite build: ${built.join(', ')}`);

  // The expected result: the same scenario in Node, with the installed package.
  const expected = await scenarioInNode(app);
  assert.equal(expected.customers, 12);
  assert.equal(expected.typedArrays, true);
  assert.deepEqual(expected.errors.invalid, [true, true, 'invalid-input']);
  assert.deepEqual(expected.errors.abort, [true, 'AbortError', 'aborted']);
  assert.deepEqual(expected.errors.http, ['http', 404, '800011', 'string']);
  assert.equal(expected.usd, expected.streamedUsd);
  assert.equal(expected.resourceUsd, expected.manyUsd);
  assert.ok(/^\d+\.\d+$/.test(expected.firstTotalCost), expected.firstTotalCost);
  assert.ok(expected.rawUtilization > 50, `utilization took more than one page: ${JSON.stringify(expected)}`);

  const page = await servedPage(t, join(app, 'dist'));
  const { shown } = page;
  assert.deepEqual(shown.result, expected, 'the page shows what the API returns');
  assert.deepEqual(shown.typed.slice(1), ['true', 'invalid-input', '0', 'true', '1', 'true', 'true']);
  if (dashboard) {
    assert.equal(shown.dashboard, true, 'partner-usage/dashboard defines <partner-usage-dashboard>');
    assert.deepEqual(shown.words, ['ko', '합계', 'Budget status', '1,000 more (1000)', 'zh-Hant', '總計'], 'partner-usage/dashboard/messages/ko and messagesFor');
  }
  assert.deepEqual(page.problems, [], 'no console errors or failed requests');
  assert.equal(page.wasm.length, 1, `the page loads one wasm module: ${page.wasm.join(', ')}`);
  assert.equal(page.wasm[0], emittedCopyOf(join(app, 'dist'), join(pkgDir, 'partner_usage_sim_bg.wasm')), 'the one with the simulator, given to init()');

  // The dev server too, with no configuration (Vite pre-bundles the dependency).
  const port = await freePort();
  await startServer(t, join(app, 'node_modules', '.bin', 'vite'), ['--port', String(port), '--strictPort', '--host', '127.0.0.1'], app, 'ready in');
  const dev = await loadInChromium(`http://127.0.0.1:${port}/`);
  assert.equal(dev.state, 'done', dev.text);
  assert.deepEqual(JSON.parse(dev.text).result, expected, 'the dev server page shows the same');
  assert.deepEqual(dev.problems, [], 'no console errors or failed requests in dev');

  const sizes = reportSizes(pkgDir, 'vite');
  assert.ok(existsSync(join(pkgDir, 'partner_usage_bg.wasm')));
  assert.ok(sizes['partner_usage_bg.wasm'].gzip > 0);
});
