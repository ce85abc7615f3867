#!/usr/bin/env node
// Assembles the publishable npm package `partner-usage` into www/dist/npm/
// from the wasm-bindgen output (www/pkg/, made by `cargo xtask package`) and
// the library sources in www/src/. Then `npm pack ./dist/npm` gives the
// tarball (`npm run pack`).
//
//   node scripts/build-package.mjs
//
// Layout: index.js (the API, `export default init`), index.d.ts, errors.js,
// partner_usage.js + partner_usage_bg.wasm (+ snippets/), simulator.js +
// partner_usage_sim_bg.wasm (the same module with the simulator inside; the
// `partner-usage/simulator` entry), dashboard*.js,
// *.css and vendor/ (the <partner-usage-dashboard> component, if present),
// README.md, LICENSE, package.json. There is deliberately no
// `sideEffects: false`: the dashboard module registers a custom element.

import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const www = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(www, '..');
const pkg = join(www, 'pkg');
const src = join(www, 'src');
const out = join(www, 'dist', 'npm');

function fail(message) {
  console.error(`build-package: ${message}`);
  process.exit(1);
}

function read(path) {
  return readFileSync(path, 'utf8');
}

// --- inputs ---------------------------------------------------------------

for (const f of ['partner_usage.js', 'partner_usage_bg.wasm']) {
  if (!existsSync(join(pkg, f))) fail(`www/pkg/${f} is missing: run \`cargo xtask package\` first`);
}
for (const f of ['index.js', 'index.d.ts', 'errors.js']) {
  if (!existsSync(join(src, f))) fail(`www/src/${f} is missing`);
}
// The error class exists twice (see the file's header); the copies must agree.
if (read(join(src, 'errors.js')) !== read(join(root, 'wasm', 'js', 'errors.js'))) {
  fail('www/src/errors.js differs from wasm/js/errors.js: they must be identical (copy one over the other)');
}

const cargo = read(join(root, 'Cargo.toml'));
const version = /\[workspace\.package\][^[]*?\nversion\s*=\s*"([^"]+)"/.exec(cargo)?.[1];
if (!version) fail('no [workspace.package] version in Cargo.toml');
const repository = /\[workspace\.package\][^[]*?\nrepository\s*=\s*"([^"]+)"/.exec(cargo)?.[1];

// --- assemble -------------------------------------------------------------

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const files = [];
function copy(from, to = relative(from.startsWith(pkg) ? pkg : src, from)) {
  cpSync(from, join(out, to), { recursive: true });
  files.push(to.split('\\').join('/') + (statSync(from).isDirectory() ? '/' : ''));
}

// The wasm-bindgen output (its .d.ts files describe the internal glue, not
// the API, so they are left out).
copy(join(pkg, 'partner_usage.js'));
copy(join(pkg, 'partner_usage_bg.wasm'));
if (existsSync(join(pkg, 'snippets'))) copy(join(pkg, 'snippets'));
// The build with the simulator inside (same glue), for partner-usage/simulator.
const hasSimulator = existsSync(join(pkg, 'partner_usage_sim_bg.wasm'));
if (hasSimulator) copy(join(pkg, 'partner_usage_sim_bg.wasm'));

// The modules of www/src that point into ../pkg/ (the wasm-bindgen output)
// in the source tree; in the package they sit side by side with it.
function copyRewritten(name, ...pairs) {
  let text = read(join(src, name));
  for (const [from, to] of pairs) {
    if (!text.includes(from)) fail(`www/src/${name} no longer contains ${from}`);
    text = text.replace(from, to);
  }
  writeFileSync(join(out, name), text);
  files.push(name);
}

copyRewritten('index.js',
  ["from '../pkg/partner_usage.js'", "from './partner_usage.js'"],
  ["'../pkg/partner_usage_bg.wasm'", "'./partner_usage_bg.wasm'"]);
copy(join(src, 'index.d.ts'));
copy(join(src, 'errors.js'));
if (hasSimulator) {
  copyRewritten('simulator.js', ["'../pkg/partner_usage_sim_bg.wasm'", "'./partner_usage_sim_bg.wasm'"]);
  copy(join(src, 'simulator.d.ts'));
}

// The dashboard component, when it exists (another part of www/src).
const dashboard = readdirSync(src).filter(
  (f) => (/^dashboard.*\.(js|d\.ts)$/.test(f) || f.endsWith('.css')) && statSync(join(src, f)).isFile(),
);
for (const f of dashboard.sort()) copy(join(src, f));
if (existsSync(join(src, 'vendor'))) copy(join(src, 'vendor'));
const hasDashboard = dashboard.includes('dashboard.js');
// The element described for tools: the Custom Elements Manifest (package.json's
// `customElements`, read by IDEs, Storybook and framework wrappers), and from it
// VS Code's HTML custom data (attribute completion and hover in .html files).
const hasManifest = hasDashboard && existsSync(join(src, 'custom-elements.json'));
if (hasManifest) {
  copy(join(src, 'custom-elements.json'));
  const cem = JSON.parse(read(join(src, 'custom-elements.json')));
  const tags = cem.modules.flatMap((m) => m.declarations.filter((d) => d.customElement)).map((d) => ({
    name: d.tagName,
    description: `${d.summary}\n\n${d.description}`,
    attributes: d.attributes.map((a) => ({
      name: a.name,
      description: a.default ? `${a.description} Default: ${a.default.replace(/'/g, '')}.` : a.description,
      // A union of string literals becomes the values to complete.
      ...(/^'[^']*'( \| '[^']*')*$/.test(a.type.text) ? { values: a.type.text.split(' | ').map((v) => ({ name: v.slice(1, -1) })) } : {}),
    })),
  }));
  writeFileSync(join(out, 'vscode.html-custom-data.json'), JSON.stringify({ $schema: 'https://raw.githubusercontent.com/microsoft/vscode-html-languageservice/main/docs/customData.schema.json', version: 1.1, tags }, null, 2) + '\n');
  files.push('vscode.html-custom-data.json');
}

for (const f of ['README.md', 'LICENSE']) {
  if (!existsSync(join(www, f))) fail(`www/${f} is missing`);
  cpSync(join(www, f), join(out, f));
  files.push(f);
}

const exportsMap = {
  '.': { types: './index.d.ts', default: './index.js' },
  ...(hasDashboard
    ? {
        './dashboard': dashboard.includes('dashboard.d.ts')
          ? { types: './dashboard.d.ts', default: './dashboard.js' }
          : './dashboard.js',
      }
    : {}),
  // The dashboard's word catalogues: dashboard-messages.js (English) and
  // dashboard-messages-<lang>.js, as partner-usage/dashboard/messages/<lang>;
  // messagesFor(tag) of dashboard-words.js as partner-usage/dashboard/messages.
  ...(dashboard.includes('dashboard-words.js')
    ? { './dashboard/messages': { types: './dashboard-words.d.ts', default: './dashboard-words.js' } }
    : {}),
  ...Object.fromEntries(
    dashboard
      .filter((f) => /^dashboard-messages(-[A-Za-z-]+)?\.js$/.test(f))
      .map((f) => [
        `./dashboard/messages/${f.slice('dashboard-messages-'.length, -3) || 'en'}`,
        { types: './dashboard-messages.d.ts', default: `./${f}` },
      ]),
  ),
  ...(hasSimulator
    ? {
        './simulator': { types: './simulator.d.ts', default: './simulator.js' },
        './partner_usage_sim_bg.wasm': './partner_usage_sim_bg.wasm',
      }
    : {}),
  './partner_usage_bg.wasm': './partner_usage_bg.wasm',
  './package.json': './package.json',
  ...(hasManifest
    ? { './custom-elements.json': './custom-elements.json', './vscode.html-custom-data.json': './vscode.html-custom-data.json' }
    : {}),
};

const manifest = {
  name: 'partner-usage',
  version,
  description:
    "Microsoft Partner Center usage for a CSP partner's own portal: customer, resource and Azure utilization usage fetched, paged, retried and summarised in WebAssembly, with exact money.",
  license: 'MIT OR Apache-2.0',
  type: 'module',
  main: './index.js',
  module: './index.js',
  types: './index.d.ts',
  ...(hasManifest ? { customElements: './custom-elements.json' } : {}),
  exports: exportsMap,
  files: files.sort(),
  keywords: ['partner-center', 'csp', 'azure', 'usage', 'billing', 'wasm', 'webassembly'],
  ...(repository ? { repository: { type: 'git', url: `git+${repository}.git` } } : {}),
  engines: { node: '>=18' },
};
writeFileSync(join(out, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');

// --- report ---------------------------------------------------------------

function size(f) {
  const bytes = readFileSync(join(out, f));
  return { f, raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
}
const fmt = (n) => n.toLocaleString('en-US');
console.log(`partner-usage ${version} assembled in ${relative(process.cwd(), out) || '.'}/`);
console.log(`${'file'.padEnd(28)} ${'bytes'.padStart(12)} ${'gzip -9'.padStart(10)}`);
for (const s of ['partner_usage_bg.wasm', ...(hasSimulator ? ['partner_usage_sim_bg.wasm'] : []), 'partner_usage.js', 'index.js', 'errors.js'].map(size)) {
  console.log(`${s.f.padEnd(28)} ${fmt(s.raw).padStart(12)} ${fmt(s.gz).padStart(10)}`);
}
const wasmSha = createHash('sha256').update(readFileSync(join(out, 'partner_usage_bg.wasm'))).digest('hex');
console.log(`partner_usage_bg.wasm sha256 ${wasmSha.slice(0, 16)}…`);
