// Packaging tests: <partner-usage-dashboard> in React and in Vue, as the
// README's "In a framework" shows it, each in a fresh Vite app with the
// tarball: in React (JSX, no plugin) properties set in a ref callback, and the
// README's JSX typing of the tag under tsc --strict; in Vue a `.prop` binding
// and `isCustomElement`. The built pages load in Chromium, the dashboard shows
// the in-wasm simulator's customers, and re-rendering reloads nothing.
//
// Run from www/ after `cargo xtask package`: node --test tests-pkg/

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadInChromium, npmInstall, packTarball, run, serve, tempDir, writeFiles, wwwVersion } from './helpers.mjs';

// Pinned so the run is reproducible (and served from the npm cache after the first run).
const REACT = ['react@19.3.1', 'react-dom@19.3.1', '@types/react@19.3.0'];
const VUE = 'vue@3.5.45';

test('the dashboard in a React app: properties from a ref callback, and re-renders reload nothing', { timeout: 600_000 }, async (t) => {
  const { tarball } = packTarball(t);
  const app = tempDir(t, 'react-app');
  writeFiles(app, {
    'package.json': JSON.stringify({ name: 'partner-usage-react-smoke', private: true, type: 'module' }, null, 2),
    'index.html':
      '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>partner-usage in React</title></head>' +
      '<body><div id="root"></div><pre id="out">loading</pre><script type="module" src="/src/main.jsx"></script></body></html>\n',
    'src/main.jsx': `import React, { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import init, { PartnerCenterClient } from 'partner-usage';
import { simulatorWasm } from 'partner-usage/simulator';
import 'partner-usage/dashboard';

const out = document.getElementById('out');
const frames = (n) => new Promise((resolve) => {
  const step = () => (n-- > 0 ? requestAnimationFrame(step) : setTimeout(resolve, 200));
  step();
});
let loads = 0;
let loaded;
const firstLoad = new Promise((resolve) => { loaded = resolve; });
document.addEventListener('pu-load', () => { loads += 1; loaded(); });

function Usage({ client }) {
  // The README's pattern: a ref callback, called again on every render.
  return <partner-usage-dashboard routing="none" currency-display="usd" ref={(el) => { if (el) el.client = client; }} />;
}

function App({ client }) {
  const [renders, setRenders] = useState(0);
  useEffect(() => {
    if (renders === 0) return;
    if (renders < 3) { setRenders(renders + 1); return; }
    frames(2).then(() => {
      const el = document.querySelector('partner-usage-dashboard');
      const vd = el.viewData;
      out.textContent = JSON.stringify({ loads, renders, view: vd.view, customers: vd.summary?.customers?.length ?? null,
        currencyDisplay: el.currencyDisplay });
      out.dataset.state = 'done';
    });
  }, [renders]);
  useEffect(() => { firstLoad.then(() => setRenders(1)); }, []);
  return <main data-renders={renders}><Usage client={client} /></main>;
}

async function main() {
  await init(simulatorWasm);
  const client = new PartnerCenterClient({ simulator: { seed: 7, customers: 12, now: '2026-11-25T00:00:00Z' }, token: 't' });
  createRoot(document.getElementById('root')).render(<App client={client} />);
}
main().catch((e) => {
  out.textContent = 'error: ' + (e instanceof Error ? e.stack ?? e.message : String(e));
  out.dataset.state = 'error';
});
`,
  });
  // The README's JSX typing of the tag, checked by tsc --strict (the page itself is JSX).
  writeFiles(app, {
    'tsconfig.json': JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', jsx: 'react-jsx', strict: true, noEmit: true, lib: ['ES2022', 'DOM'] },
      include: ['src/**/*.tsx'],
    }, null, 2),
    'src/typed.tsx': `import type { DashboardAttributes, PartnerUsageDashboard } from 'partner-usage/dashboard';
import 'partner-usage/dashboard';

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'partner-usage-dashboard': DashboardAttributes & React.HTMLAttributes<PartnerUsageDashboard> & React.RefAttributes<PartnerUsageDashboard>;
    }
  }
}

const getToken = async ({ refresh }: { refresh: boolean }): Promise<string> => (refresh ? 'fresh' : 'cached');

export function Usage() {
  return <partner-usage-dashboard base-url="/pc" top-n={5} currency-display="usd" className="usage"
    ref={(el) => { if (el) el.getToken = getToken; }} />;
}

// @ts-expect-error: not a currency display
export const wrong = <partner-usage-dashboard currency-display="eur" />;
`,
  });
  npmInstall(app, [tarball, `vite@${wwwVersion('vite')}`, `typescript@${wwwVersion('typescript')}`, ...REACT]);
  run(join(app, 'node_modules', '.bin', 'tsc'), ['-p', '.'], app);
  run(join(app, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], app);

  const server = await serve(join(app, 'dist'));
  t.after(server.close);
  const page = await loadInChromium(server.url);
  assert.equal(page.state, 'done', page.text);
  assert.deepEqual(JSON.parse(page.text), { loads: 1, renders: 3, view: 'customers', customers: 12, currencyDisplay: 'usd' },
    'one load, the simulator\'s 12 customers, the attribute React set, however often React renders');
  assert.deepEqual(page.problems, [], 'no console errors or failed requests');
});

test('the dashboard in a Vue app: a .prop binding, and re-renders reload nothing', { timeout: 600_000 }, async (t) => {
  const { tarball } = packTarball(t);
  const app = tempDir(t, 'vue-app');
  writeFiles(app, {
    'package.json': JSON.stringify({ name: 'partner-usage-vue-smoke', private: true, type: 'module' }, null, 2),
    'index.html':
      '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>partner-usage in Vue</title></head>' +
      '<body><div id="app"></div><pre id="out">loading</pre><script type="module" src="/src/main.js"></script></body></html>\n',
    // The template is compiled in the page (Vue's full build), with the
    // compiler option the README gives for the Vue plugin.
    'src/main.js': `import { createApp, ref } from 'vue/dist/vue.esm-bundler.js';
import init, { PartnerCenterClient } from 'partner-usage';
import { simulatorWasm } from 'partner-usage/simulator';
import 'partner-usage/dashboard';

const out = document.getElementById('out');
let loads = 0;
let loaded;
const firstLoad = new Promise((resolve) => { loaded = resolve; });
document.addEventListener('pu-load', () => { loads += 1; loaded(); });
const settle = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 200))));

async function main() {
  await init(simulatorWasm);
  const client = new PartnerCenterClient({ simulator: { seed: 7, customers: 12, now: '2026-11-25T00:00:00Z' }, token: 't' });
  const renders = ref(0);
  const app = createApp({
    setup: () => ({ client, renders }),
    template: '<p :data-renders="renders">{{ renders }}</p><partner-usage-dashboard routing="none" currency-display="usd" :client.prop="client" />',
  });
  app.config.compilerOptions.isCustomElement = (tag) => tag.startsWith('partner-usage-');
  app.mount('#app');
  await firstLoad;
  for (let i = 0; i < 3; i++) {
    renders.value += 1;
    await settle();
  }
  const el = document.querySelector('partner-usage-dashboard');
  out.textContent = JSON.stringify({ loads, renders: renders.value, view: el.viewData.view,
    customers: el.viewData.summary?.customers?.length ?? null, currencyDisplay: el.currencyDisplay, client: el.client === client });
  out.dataset.state = 'done';
}
main().catch((e) => {
  out.textContent = 'error: ' + (e instanceof Error ? e.stack ?? e.message : String(e));
  out.dataset.state = 'error';
});
`,
  });
  npmInstall(app, [tarball, `vite@${wwwVersion('vite')}`, VUE]);
  run(join(app, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], app);

  const server = await serve(join(app, 'dist'));
  t.after(server.close);
  const page = await loadInChromium(server.url);
  assert.equal(page.state, 'done', page.text);
  assert.deepEqual(JSON.parse(page.text), { loads: 1, renders: 3, view: 'customers', customers: 12, currencyDisplay: 'usd', client: true },
    'one load, the simulator\'s 12 customers, the attribute Vue set, the client it set as a property');
  assert.deepEqual(page.problems, [], 'no console errors or failed requests');
});
