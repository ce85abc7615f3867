// The package in Node, imported straight from www/dist/npm: what a server-side
// script or a test runner gets. Node has no page to resolve a relative
// `baseUrl` against, so that is a clear error; the rest runs against the
// in-wasm simulator.
//
// Run from www/ after `cargo xtask package`: node --test tests-pkg/

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { dist } from './helpers.mjs';

test('in Node: init takes bytes in wasm-bindgen\'s object form, and a relative baseUrl is a clear error', async () => {
  const api = await import(pathToFileURL(join(dist, 'index.js')).href);
  const { default: init, PartnerCenterClient, PartnerCenterError } = api;
  await init({ module_or_path: readFileSync(join(dist, 'partner_usage_sim_bg.wasm')) });

  for (const baseUrl of ['/pc', 'pc/', './pc']) {
    assert.throws(
      () => new PartnerCenterClient({ baseUrl, token: 't' }),
      (e) => e instanceof PartnerCenterError && e.kind === 'invalid-input'
        && e.message.includes(JSON.stringify(baseUrl)) && e.message.includes('absolute URL'),
      baseUrl,
    );
  }
  // Absolute URLs (a string with a trailing /v1, or a URL object) are taken as they are.
  for (const baseUrl of ['https://portal.example/pc/v1', new URL('https://portal.example/pc')]) {
    assert.ok(new PartnerCenterClient({ baseUrl, token: 't' }), String(baseUrl));
  }

  const client = new PartnerCenterClient({ simulator: { seed: 7, customers: 5, now: '2026-11-25T00:00:00Z' }, token: 't' });
  const records = await client.customerUsageRecords();
  assert.equal(records.length, 5);
  assert.match(records[0].totalCost, /^\d+(\.\d+)?$/);
});

test('in Node, as server-side rendering imports it: the dashboard module loads without a DOM and registers nothing', async () => {
  assert.equal(globalThis.HTMLElement, undefined, 'this test needs a Node without a DOM');
  const mod = await import(pathToFileURL(join(dist, 'dashboard.js')).href);
  assert.equal(typeof mod.PartnerUsageDashboard, 'function');
  assert.equal(mod.default, mod.PartnerUsageDashboard);
  assert.deepEqual(mod.PartnerUsageDashboard.observedAttributes.slice(0, 2), ['base-url', 'customer-id']);
  assert.equal(globalThis.customElements, undefined);
  // The word catalogues a server may pick for the page load as well.
  const { messagesFor } = await import(pathToFileURL(join(dist, 'dashboard-words.js')).href);
  const ko = await messagesFor('ko-KR');
  assert.equal(ko.lang, 'ko');
});
