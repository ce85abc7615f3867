// The demo page: the dashboard against the Partner Center simulator.
//
// Two data sources:
// - "server": pc-sim on this origin (`cargo xtask demo`), configured through
//   POST /sim/config; the dashboard fetches /v1/... over real HTTP.
// - "wasm": no server at all; the client runs the simulator in WebAssembly
//   (`init(simulatorWasm)`, then
//   `new PartnerCenterClient({ simulator: { seed, faultRate, latencyMs } })`).
//   Used automatically when /sim/config is not there (any static server).
//
// The page loads one wasm module: the package's own in server mode, the
// build with the simulator inside in wasm mode. Switching from server to
// wasm mode reloads the page to load the other one.
//
// Settings live in the query string (?mode=wasm&seed=7&fault=0.2&latency=300),
// the dashboard's own navigation in the hash.

import init, { PartnerCenterClient } from '../dist/npm/index.js';
import { simulatorWasm } from '../dist/npm/simulator.js';
import '../dist/npm/dashboard.js';

const $ = (id) => document.getElementById(id);
const form = $('settings');
const stage = $('stage');
const dash = document.createElement('partner-usage-dashboard');
dash.id = 'dashboard';
dash.setAttribute('currency-display', 'native');

const params = new URLSearchParams(location.search);
const settings = {
  mode: params.get('mode') === 'wasm' ? 'wasm' : 'server',
  seed: clampInt(params.get('seed'), 7),
  faultRate: clampNum(params.get('fault'), 0, 0, 1),
  latencyMs: clampInt(params.get('latency'), 0, 0, 10_000),
  locale: params.get('locale') || 'en-US',
  theme: ['light', 'dark'].includes(params.get('theme')) ? params.get('theme') : 'auto',
  width: params.get('width') === 'narrow' ? 'narrow' : 'full',
};

// ?embed=1: only the dashboard, edge to edge (used for the README screenshots).
if (params.get('embed') === '1') document.documentElement.classList.add('embed');

function clampInt(v, d, min = 0, max = 999_999) {
  const n = parseInt(v ?? '', 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : d;
}
function clampNum(v, d, min, max) {
  const n = parseFloat(v ?? '');
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : d;
}

function showSettings() {
  form.elements.mode.value = settings.mode;
  $('seed').value = String(settings.seed);
  $('faultRate').value = String(settings.faultRate);
  $('latencyMs').value = String(settings.latencyMs);
  const locale = $('locale');
  if (![...locale.options].some((o) => o.value === settings.locale)) {
    // A locale from the query string that the list lacks (?locale=ar-EG): add it.
    let name = settings.locale;
    try {
      name = new Intl.DisplayNames([settings.locale], { type: 'language' }).of(settings.locale) || name;
    } catch {
      // Not a valid tag: show it as written; the dashboard falls back to the default locale.
    }
    locale.append(new Option(name, settings.locale));
  }
  locale.value = settings.locale;
  $('theme').value = settings.theme;
  $('width').value = settings.width;
  outputs();
}

function outputs() {
  $('faultRateOut').value = `${Math.round(Number($('faultRate').value) * 100)} %`;
  $('latencyOut').value = `${$('latencyMs').value} ms`;
}

function saveQuery() {
  const p = new URLSearchParams();
  if (settings.mode === 'wasm') p.set('mode', 'wasm');
  p.set('seed', String(settings.seed));
  if (settings.faultRate) p.set('fault', String(settings.faultRate));
  if (settings.latencyMs) p.set('latency', String(settings.latencyMs));
  if (settings.locale !== 'en-US') p.set('locale', settings.locale);
  if (settings.theme !== 'auto') p.set('theme', settings.theme);
  if (settings.width !== 'full') p.set('width', settings.width);
  if (params.get('embed') === '1') p.set('embed', '1');
  history.replaceState(history.state, '', `?${p}${location.hash}`);
}

function applyDisplay() {
  dash.setAttribute('locale', settings.locale);
  // The words follow the language: the package's catalogue for it, else English.
  dash.setAttribute('lang', settings.locale);
  if (settings.theme === 'auto') {
    dash.removeAttribute('theme');
    delete document.documentElement.dataset.theme;
  } else {
    dash.setAttribute('theme', settings.theme);
    document.documentElement.dataset.theme = settings.theme;
  }
  stage.classList.toggle('narrow', settings.width === 'narrow');
}

let serverAvailable = false;
/** Which wasm module this page loaded: null (none yet), 'package' or 'simulator'. */
let loaded = null;

/** The simulator server's configuration, or null without one. */
async function probeServer() {
  try {
    const r = await fetch('sim/config', { headers: { Accept: 'application/json' } });
    if (!r.ok) return null;
    const c = await r.json();
    return c && c.mode === 'sim' ? c : null;
  } catch {
    return null;
  }
}

async function applySource() {
  const hint = $('modeHint');
  if (settings.mode === 'server') {
    // Configure the simulator while the wasm module loads.
    const [r] = await Promise.all([
      fetch('sim/config', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ seed: settings.seed, faultRate: settings.faultRate, latencyMs: settings.latencyMs }),
      }),
      init(),
    ]);
    if (!r.ok) throw new Error(`The simulator refused the settings (HTTP ${r.status}).`);
    loaded ??= 'package';
    dash.client = null;
    dash.getToken = async () => 'demo-token';
    dash.setAttribute('base-url', new URL('.', location.href).pathname.replace(/\/$/, '') || '/');
    hint.textContent = `pc-sim: seed ${settings.seed}, ${Math.round(settings.faultRate * 100)} % faults, ${settings.latencyMs} ms latency.`;
  } else {
    if (loaded === 'package') {
      // The module without the simulator is in use: start over with the other.
      location.reload();
      return;
    }
    await init(simulatorWasm);
    loaded = 'simulator';
    dash.client = new PartnerCenterClient({
      simulator: { seed: settings.seed, faultRate: settings.faultRate, latencyMs: settings.latencyMs },
      token: 'demo-token',
    });
    hint.textContent = serverAvailable
      ? 'The simulator runs inside this page: no request leaves it.'
      : 'No simulator server here, so the simulator runs inside this page.';
  }
  if (dash.isConnected) dash.refresh();
  else {
    // The package and its wasm loaded: the note for when they don't goes.
    document.querySelector('.boot-note')?.remove();
    stage.append(dash);
  }
}

form.addEventListener('input', outputs);
form.addEventListener('change', (e) => {
  const name = e.target.name;
  if (name === 'locale' || name === 'theme' || name === 'width') {
    settings[name] = e.target.value;
    applyDisplay();
    saveQuery();
  }
});
form.addEventListener('submit', async (e) => {
  e.preventDefault();
  settings.mode = form.elements.mode.value === 'wasm' || !serverAvailable ? 'wasm' : 'server';
  settings.seed = clampInt($('seed').value, 7);
  settings.faultRate = clampNum($('faultRate').value, 0, 0, 1);
  settings.latencyMs = clampInt($('latencyMs').value, 0, 0, 10_000);
  saveQuery();
  showSettings();
  try {
    await applySource();
  } catch (err) {
    $('modeHint').textContent = err.message;
  }
});

async function start() {
  showSettings();
  applyDisplay();
  const server = await probeServer();
  serverAvailable = !!server;
  // pc-sim may have been configured with more customers than the default 120.
  if (Number.isInteger(server?.customers)) $('customerCount').textContent = server.customers.toLocaleString('en-US');
  if (server && !params.has('seed') && !params.has('fault') && !params.has('latency')) {
    // Start from what the server was started with (`cargo xtask demo --seed 3 ...`).
    settings.seed = server.seed;
    settings.faultRate = server.faultRate;
    settings.latencyMs = server.latencyMs;
    showSettings();
  }
  if (!serverAvailable) {
    settings.mode = 'wasm';
    const radio = form.querySelector('input[value="server"]');
    radio.disabled = true;
    radio.closest('label').title = 'No simulator server on this origin (run `cargo xtask demo`).';
    showSettings();
  }
  try {
    await applySource();
  } catch (err) {
    $('modeHint').textContent = err.message;
  }
}

start();
