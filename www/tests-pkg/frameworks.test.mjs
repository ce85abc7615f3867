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
import { npmInstall, packTarball, run, servedPage, tempDir, writeFiles, wwwVersion } from './helpers.mjs';

// Pinned so the run is reproducible (and served from the npm cache after the first run).
const REACT = ['react@19.3.1', 'react-dom@19.3.1', '@types/react@19.3.0'];
const VUE = 'vue@3.5.45';

/**
 * What both pages share: the in-wasm simulator's client, a count of the
 * dashboard's loads, and the report the test reads from #out.
 */
const SHARED = `import init, { PartnerCenterClient } from 'partner-usage';
import { simulatorWasm } from 'partner-usage/simulator';
import 'partner-usage/dashboard';

const out = document.getElementById('out');
let loads = 0;
let loaded;
const firstLoad = new Promise((resolve) => { loaded = resolve; });
document.addEventListener('pu-load', () => { loads += 1; loaded(); });
// Two frames and 200 ms: time enough for a reload to finish (the simulator answers at once).
const settle = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 200))));

async function simulatorClient() {
  await init(simulatorWasm);
  return new PartnerCenterClient({ simulator: { seed: 7, customers: 12, now: '2026-11-25T00:00:00Z' }, token: 't' });
}

function report(extra) {
  const el = document.querySelector('partner-usage-dashboard');
  out.textContent = JSON.stringify({ loads, view: el.viewData.view, customers: el.viewData.summary?.customers?.length ?? null,
    currencyDisplay: el.currencyDisplay, ...extra });
  out.dataset.state = 'done';
}

function failed(e) {
  out.textContent = 'error: ' + (e instanceof Error ? e.stack ?? e.message : String(e));
  out.dataset.state = 'error';
}
`;

/**
 * A fresh Vite app with the tarball, `deps` and `files` (its page in
 * src/main.js or src/main.jsx, after SHARED), checked with `tsc` when it has a
 * tsconfig, built, and loaded in Chromium: the page's report and problems.
 */
async function appPage(t, name, { deps, main, files = {} }) {
  const { tarball } = packTarball(t);
  const app = tempDir(t, `${name}-app`);
  writeFiles(app, {
    'package.json': JSON.stringify({ name: `partner-usage-${name}-smoke`, private: true, type: 'module' }, null, 2),
    'index.html':
      `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>partner-usage in ${name}</title></head>` +
      `<body><div id="app"></div><pre id="out">loading</pre><script type="module" src="/src/${main.file}"></script></body></html>\n`,
    [`src/${main.file}`]: main.imports + SHARED + main.code,
    ...files,
  });
  const typed = 'tsconfig.json' in files;
  npmInstall(app, [tarball, `vite@${wwwVersion('vite')}`, ...(typed ? [`typescript@${wwwVersion('typescript')}`] : []), ...deps]);
  if (typed) run(join(app, 'node_modules', '.bin', 'tsc'), ['-p', '.'], app);
  run(join(app, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], app);
  const page = await servedPage(t, join(app, 'dist'));
  assert.deepEqual(page.problems, [], 'no console errors or warnings, no failed requests');
  return page.shown;
}

test('the dashboard in a React app: properties from a ref callback, and re-renders reload nothing', { timeout: 600_000 }, async (t) => {
  const shown = await appPage(t, 'react', {
    deps: REACT,
    main: {
      file: 'main.jsx',
      imports: "import React, { useEffect, useState } from 'react';\nimport { createRoot } from 'react-dom/client';\n",
      code: `
function Usage({ client }) {
  // The README's pattern: a ref callback, called again on every render.
  return <partner-usage-dashboard routing="none" currency-display="usd" ref={(el) => { if (el) el.client = client; }} />;
}

function App({ client }) {
  const [renders, setRenders] = useState(0);
  useEffect(() => { firstLoad.then(() => setRenders(1)); }, []);
  useEffect(() => {
    if (renders === 0) return;
    if (renders < 3) setRenders(renders + 1);
    else settle().then(() => report({ renders }));
  }, [renders]);
  return <main data-renders={renders}><Usage client={client} /></main>;
}

simulatorClient().then((client) => createRoot(document.getElementById('app')).render(<App client={client} />)).catch(failed);
`,
    },
    // The README's JSX typing of the tag, checked by tsc --strict.
    files: {
      'tsconfig.json': JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', jsx: 'react-jsx', strict: true, noEmit: true, lib: ['ES2022', 'DOM'] },
        include: ['src/**/*.tsx'],
      }, null, 2),
      'src/typed.tsx': `import type { DashboardJsxProps, DashboardNavigateDetail, PartnerUsageDashboard } from 'partner-usage/dashboard';
import 'partner-usage/dashboard';

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'partner-usage-dashboard': DashboardJsxProps & React.HTMLAttributes<PartnerUsageDashboard> & React.RefAttributes<PartnerUsageDashboard>;
    }
  }
}

const getToken = async ({ refresh }: { refresh: boolean }): Promise<string> => (refresh ? 'fresh' : 'cached');

export function Usage() {
  return <partner-usage-dashboard base-url="/pc" top-n={5} currency-display="usd" className="usage"
    ref={(el) => { if (el) el.getToken = getToken; }} />;
}

// React 19 sets properties and adds onpu-* listeners on a custom element.
export function UsageWithProps() {
  return <partner-usage-dashboard base-url="/pc" getToken={getToken} clientOptions={{ maxRetries: 2 }}
    onpu-navigate={(e) => { const to: string = e.detail.view; void to; }}
    onpu-error={(e) => { const message: string = e.detail.error.message; void message; }} />;
}

// @ts-expect-error: not a currency display
export const wrong = <partner-usage-dashboard currency-display="eur" />;
// @ts-expect-error: pu-load's detail has no customerId
export const wrongDetail = <partner-usage-dashboard onpu-load={(e) => e.detail.customerId} />;

// The events bubble: typed on the document and any element, and removable.
document.addEventListener('pu-load', (e) => { const view: string = e.detail.view; void view; });
const onNavigate = (e: CustomEvent<DashboardNavigateDetail>) => { void e.detail.customerId; };
const el = document.querySelector('partner-usage-dashboard');
el?.addEventListener('pu-navigate', onNavigate);
el?.removeEventListener('pu-navigate', onNavigate);
`,
    },
  });
  assert.deepEqual(shown, { loads: 1, renders: 3, view: 'customers', customers: 12, currencyDisplay: 'usd' },
    'one load, the simulator\'s 12 customers, the attribute React set, however often React renders');
});

test('the dashboard in a Vue app: a .prop binding, and re-renders reload nothing', { timeout: 600_000 }, async (t) => {
  const shown = await appPage(t, 'vue', {
    deps: [VUE],
    main: {
      file: 'main.js',
      // The template is compiled in the page (Vue's full build), with the
      // compiler option the README gives for the Vue plugin.
      imports: "import { createApp, ref } from 'vue/dist/vue.esm-bundler.js';\n",
      code: `
async function main() {
  const client = await simulatorClient();
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
  report({ renders: renders.value, client: document.querySelector('partner-usage-dashboard').client === client });
}
main().catch(failed);
`,
    },
  });
  assert.deepEqual(shown, { loads: 1, renders: 3, view: 'customers', customers: 12, currencyDisplay: 'usd', client: true },
    'one load, the simulator\'s 12 customers, the attribute Vue set, the client it set as a property');
});
