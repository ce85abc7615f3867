// Shared steps of the packaging tests: pack the npm package, make a fresh
// app in a temp dir that installs the tarball, serve a built site, and load
// it in Chromium.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.mjs';

export const www = join(dirname(fileURLToPath(import.meta.url)), '..');
export const dist = join(www, 'dist', 'npm');

/** Runs a command, echoing it, and returns its stdout. */
export function run(cmd, args, cwd, env = {}) {
  console.log(`$ (${relative(www, cwd) || '.'}) ${cmd} ${args.join(' ')}`);
  try {
    return execFileSync(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${e.status}):\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** The package's version of a devDependency installed in www/. */
export function wwwVersion(name) {
  return JSON.parse(readFileSync(join(www, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/**
 * Assembles www/dist/npm if needed (needs www/pkg from `cargo xtask
 * package`), packs it into a temp dir and returns the tarball's path.
 */
export function packTarball(t) {
  if (!existsSync(join(dist, 'package.json'))) {
    if (!existsSync(join(www, 'pkg', 'partner_usage_bg.wasm'))) {
      throw new Error('www/pkg is missing: run `cargo xtask package` first (it builds the wasm and runs `npm run build`)');
    }
    run('node', ['scripts/build-package.mjs'], www);
  }
  const dir = tempDir(t, 'pack');
  const json = run('npm', ['pack', dist, '--pack-destination', dir, '--json'], www);
  const [info] = JSON.parse(json);
  return { tarball: join(dir, info.filename), info };
}

/** A temp dir removed when the test ends (kept with KEEP_TMP=1). */
export function tempDir(t, name) {
  const dir = mkdtempSync(join(tmpdir(), `partner-usage-${name}-`));
  t.after(() => {
    if (process.env.KEEP_TMP) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Writes files (path → text) under `dir`. */
export function writeFiles(dir, files) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** `npm install` into an app dir, offline-first (the registry mirror fills gaps). */
export function npmInstall(dir, specs) {
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs], dir);
}

/** Raw and gzip -9 sizes of a file. */
export function sizes(path) {
  const bytes = readFileSync(path);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

const fmt = (n) => n.toLocaleString('en-US');

/** Prints the sizes of the shipped wasm and JS glue (as installed). */
export function reportSizes(pkgDir, label) {
  console.log(`\n${label}: sizes of the published files`);
  console.log(`${'file'.padEnd(26)} ${'bytes'.padStart(11)} ${'gzip -9'.padStart(10)}`);
  const rows = {};
  for (const f of ['partner_usage_bg.wasm', 'partner_usage.js', 'index.js']) {
    const s = sizes(join(pkgDir, f));
    rows[f] = s;
    console.log(`${f.padEnd(26)} ${fmt(s.raw).padStart(11)} ${fmt(s.gzip).padStart(10)}`);
  }
  const goal = 120 * 1024;
  const wasm = rows['partner_usage_bg.wasm'].gzip;
  console.log(
    `wasm gzip ${fmt(wasm)} bytes (${(wasm / 1024).toFixed(1)} KiB): ${wasm <= goal ? 'within' : 'OVER'} the 120 KiB goal\n`,
  );
  return rows;
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/** Serves a directory on 127.0.0.1 (random port); returns { url, close }. */
export async function serve(dir) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = join(dir, path);
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) };
}

/**
 * Loads `url` in headless Chromium and waits for `#out[data-state]`;
 * returns { state, text, problems } (console errors and page errors).
 */
export async function loadInChromium(url) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
    const wasm = [];
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
      if (new URL(r.url()).pathname.endsWith('.wasm')) wasm.push(new URL(r.url()).pathname.split('/').pop());
    });
    await page.goto(url);
    await page.waitForSelector('#out[data-state]', { timeout: 60_000 });
    const state = await page.getAttribute('#out', 'data-state');
    const text = await page.textContent('#out');
    return { state, text, problems, wasm };
  } finally {
    await browser.close();
  }
}

/** The files of a directory tree, relative, sorted. */
export function listFiles(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name), base) : [relative(base, join(dir, e.name))]))
    .sort();
}

/** The file name under `dir` whose bytes equal `original`'s (bundlers rename assets). */
export function emittedCopyOf(dir, original) {
  const want = readFileSync(original);
  const hit = listFiles(dir).find((f) => readFileSync(join(dir, f)).equals(want));
  if (!hit) throw new Error(`no copy of ${original} under ${dir}`);
  return hit.split('/').pop();
}

/** Imports the installed package in Node, initialised from the wasm bytes. */
export async function importInNode(pkgDir) {
  const api = await import(pathToFileURL(join(pkgDir, 'index.js')).href);
  // The scenario uses the in-wasm simulator: the build that has it.
  await api.default(readFileSync(join(pkgDir, 'partner_usage_sim_bg.wasm')));
  return api;
}

/**
 * What an app's page must show: the scenario (app/scenario.js, as copied to
 * the app's src/) run in Node against the package the app installed.
 */
export async function scenarioInNode(app) {
  const api = await importInNode(join(app, 'node_modules', 'partner-usage'));
  const { scenario } = await import(pathToFileURL(join(app, 'src', 'scenario.js')).href);
  return scenario(api);
}

/**
 * Serves `dir` for the rest of the test and loads it in Chromium; the page
 * must have finished (`#out[data-state="done"]`). Adds `shown`, its report.
 */
export async function servedPage(t, dir) {
  const server = await serve(dir);
  t.after(server.close);
  const page = await loadInChromium(server.url);
  assert.equal(page.state, 'done', page.text);
  return { ...page, shown: JSON.parse(page.text) };
}

/** A free TCP port on 127.0.0.1. */
export async function freePort() {
  const srv = createNetServer();
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/**
 * Starts a long-running command and resolves once its output contains
 * `ready` (a string); the process is killed when the test ends.
 */
export async function startServer(t, cmd, args, cwd, ready, timeoutMs = 60_000) {
  console.log(`$ (${relative(www, cwd) || '.'}) ${cmd} ${args.join(' ')} &`);
  const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => child.kill());
  let log = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} did not get ready:\n${log}`)), timeoutMs);
    const onData = (d) => {
      log += d;
      if (log.includes(ready)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${cmd} exited with ${code}:\n${log}`)));
  });
  return child;
}
