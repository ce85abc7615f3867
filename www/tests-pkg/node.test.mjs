// The package in Node, imported straight from www/dist/npm: what a server-side
// script or a test runner gets. Node has no page to resolve a relative
// `baseUrl` against, so that is a clear error; the rest runs against the
// in-wasm simulator.
//
// Run from www/ after `cargo xtask package`: node --test tests-pkg/

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { dist, run, tempDir, writeFiles, www } from './helpers.mjs';

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
  // A mistyped absolute URL is said to be one, not a relative path.
  for (const baseUrl of ['ht!tp://portal.example/pc', '://portal.example']) {
    assert.throws(
      () => new PartnerCenterClient({ baseUrl, token: 't' }),
      (e) => e instanceof PartnerCenterError && e.kind === 'invalid-input'
        && e.message.includes(`${JSON.stringify(baseUrl)} is not a valid URL`),
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

  // A rejection's stack names the app's line that made the call (not only wasm and the event loop).
  async function loadTenantsForReport() {
    return client.subscriptions('../not-an-id');
  }
  await assert.rejects(loadTenantsForReport(),
    (e) => e instanceof PartnerCenterError && /--- the call ---[\s\S]*loadTenantsForReport/.test(e.stack));

  // After free(), calls reject with a PartnerCenterError, and a second free() is harmless.
  client.free();
  client.free();
  await assert.rejects(client.customerUsageRecords(),
    (e) => e instanceof PartnerCenterError && e.kind === 'invalid-input' && /freed/.test(e.message));
});

test('toCsv(data) tells each kind by its shape, as toCsv(kind, data) would write it; an empty listing gives no text', async () => {
  const api = await import(pathToFileURL(join(dist, 'index.js')).href);
  const { default: init, PartnerCenterClient, PartnerCenterError, summarizeCustomerUsage, summarizeResourceUsage, summarizeUtilization, toCsv } = api;
  await init({ module_or_path: readFileSync(join(dist, 'partner_usage_sim_bg.wasm')) });
  const client = new PartnerCenterClient({ simulator: { seed: 3, customers: 12, now: '2026-11-25T00:00:00Z' }, token: 't' });
  const customers = await client.customerUsageRecords();
  let plan;
  let utilization = [];
  for (const c of customers) {
    for (const s of await client.subscriptions(c.id)) {
      if (!plan && s.subscriptionKind === 'azure-plan') plan = [c.id, s.id];
      // The default window: counted back from the simulator's "now", not
      // the real clock (which would ask for days after its data).
      if (!utilization.length && s.subscriptionKind === 'legacy-azure') {
        utilization = await client.azureUtilization(c.id, s.id);
      }
    }
  }
  assert.ok(plan, 'an Azure plan subscription');
  const resources = await client.resourceUsageRecords(...plan);
  const multi = await client.resourceUsageSummaries([plan]);
  const cases = {
    customerUsageRecords: customers,
    resourceUsageRecords: resources,
    azureUtilization: utilization,
    customerUsageSummary: summarizeCustomerUsage(customers),
    resourceUsageSummary: summarizeResourceUsage(resources),
    utilizationSummary: summarizeUtilization(utilization),
  };
  for (const [kind, data] of Object.entries(cases)) {
    assert.ok(!Array.isArray(data) || data.length > 0, `${kind}: some records`);
    const csv = toCsv(kind, data);
    assert.ok(csv.split('\r\n').length > 2, `${kind}: a header and rows`);
    assert.equal(toCsv(data), csv, kind);
    // Columns put first, the same with the kind named or not.
    const lead = toCsv(data, { columns: { source: 'tenant A' } });
    assert.equal(lead, toCsv(kind, data, { columns: { source: 'tenant A' } }), kind);
    const rows = csv.split('\r\n');
    assert.deepEqual(lead.split('\r\n'), rows.map((r, i) => (r === '' ? r : `${i ? 'tenant A' : 'source'},${r}`)), kind);
  }
  for (const bad of [{ column: {} }, 'x', null]) {
    assert.throws(() => toCsv('customerUsageRecords', customers, bad),
      (e) => e instanceof PartnerCenterError && e.kind === 'invalid-input' && /toCsv/.test(e.message), JSON.stringify(bad));
  }
  // Data of another kind is refused, not written as a file of empty cells.
  for (const [kind, data] of Object.entries(cases)) {
    const other = Object.keys(cases).find((k) => k !== kind);
    assert.throws(() => toCsv(other, data),
      (e) => e instanceof PartnerCenterError && e.kind === 'invalid-input'
        && e.message === `toCsv("${other}"): the data looks like ${kind}, not ${other}`,
      `${kind} as ${other}`);
  }
  // The client's other listings (customers, subscriptions) have no CSV and
  // no summary: refused, named, not exported or summed as empty records.
  const tenants = await client.customers();
  const subs = await client.subscriptions(customers[0].id);
  const refused = (re) => (e) => e instanceof PartnerCenterError && e.kind === 'invalid-input' && re.test(e.message);
  for (const [name, data] of [['customers', tenants], ['subscriptions', subs]]) {
    const from = new RegExp(`${name} \\(from client\\.${name}\\(\\)\\)`);
    assert.throws(() => toCsv(data), refused(new RegExp(`^toCsv doesn't export ${from.source}`)), name);
    assert.throws(() => toCsv('customerUsageRecords', data), refused(new RegExp(`looks like ${from.source}, not customerUsageRecords`)), name);
    assert.throws(() => summarizeCustomerUsage(data), refused(new RegExp(`^summarizeCustomerUsage: the records look like ${from.source}`)), name);
  }
  assert.throws(() => summarizeUtilization(resources), refused(/^summarizeUtilization: the records look like resourceUsageRecords, not azureUtilization$/));
  assert.throws(() => summarizeResourceUsage({ items: utilization }), refused(/look like azureUtilization, not resourceUsageRecords/));
  // JSON text needs its kind named.
  assert.throws(() => toCsv(JSON.stringify(resources)), refused(/for JSON text, name it: toCsv\(kind, text\)/));
  assert.equal(toCsv('resourceUsageRecords', JSON.stringify(resources)), toCsv(resources));
  // A multi-subscription result exports its merged summary.
  assert.equal(toCsv(multi), toCsv('resourceUsageSummary', multi.summary));
  // A listing that came back empty (a 204) has no shape: no text, while the kind gives the header.
  assert.equal(toCsv([]), '');
  assert.match(toCsv('azureUtilization', []), /^[^\r\n]+\r\n$/);
  for (const data of [{ rows: [] }, [{ planet: 'Mars' }], [null]]) {
    assert.throws(() => toCsv(data),
      (e) => e instanceof PartnerCenterError && e.kind === 'invalid-input' && /toCsv\(kind, data\)/.test(e.message),
      JSON.stringify(data));
  }
});

// Each in a fresh process: init() loads one module per process.
for (const [what, call] of [['no argument (the package\'s module)', 'init()'], ['simulatorWasm (a file: URL)', 'init(simulatorWasm)']]) {
  test(`in Node: init with ${what} reads the .wasm from disk (Node's fetch can't read file: URLs)`, () => {
    const script = `
      import init, { PartnerCenterClient } from ${JSON.stringify(pathToFileURL(join(dist, 'index.js')).href)};
      import { simulatorWasm } from ${JSON.stringify(pathToFileURL(join(dist, 'simulator.js')).href)};
      await ${call};
      await init(); // a second call is harmless
      const client = new PartnerCenterClient({ baseUrl: 'https://portal.example/pc', token: 't' });
      console.log(typeof client.customerUsageSummary);`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(out.trim(), 'function');
  });
}

test('init() refuses what is no wasm source, says how Node takes a path, and reads file: URLs under a test runner\'s DOM (jsdom sets document)', () => {
  const script = `
    globalThis.document = {}; // as jsdom and happy-dom do
    const { default: init, PartnerCenterClient } = await import(${JSON.stringify(pathToFileURL(join(dist, 'index.js')).href)});
    const out = [];
    for (const input of [42, null, true, { path: 'x' }, 'node_modules/partner-usage/pkg/partner_usage_bg.wasm', 'C:/app/x.wasm']) {
      try { await init(input); out.push('loaded'); } catch (e) { out.push([e.kind, e.message]); }
    }
    await init();
    out.push(typeof new PartnerCenterClient({ baseUrl: 'https://portal.example/pc', token: 't' }).customers);
    process.stdout.write(JSON.stringify(out));`;
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
  assert.deepEqual(out.slice(0, 4).map((x) => x[0]), ['invalid-input', 'invalid-input', 'invalid-input', 'invalid-input']);
  assert.match(out[0][1], /^init\(\): expected the \.wasm's URL.*not number$/);
  assert.match(out[3][1], /module_or_path/);
  assert.equal(out[4][0], 'invalid-input');
  assert.match(out[4][1], /in Node, "node_modules\/partner-usage\/pkg\/partner_usage_bg\.wasm" is not a URL: pass a file: URL/);
  assert.equal(out[5][0], 'invalid-input');
  assert.match(out[5][1], /in Node, "C:.*" is not a URL/);
  assert.equal(out[6], 'function');
});

test('init() then init(simulatorWasm): the second module is not loaded, said once on the console and again by a simulator client', () => {
  const script = `
    import init, { PartnerCenterClient } from ${JSON.stringify(pathToFileURL(join(dist, 'index.js')).href)};
    import { simulatorWasm } from ${JSON.stringify(pathToFileURL(join(dist, 'simulator.js')).href)};
    const warned = [];
    console.warn = (m) => warned.push(m);
    const own = new URL('partner_usage_bg.wasm', ${JSON.stringify(pathToFileURL(join(dist, 'index.js')).href)});
    await init(own);
    await init({ module_or_path: own.href }); // the same module, named again
    await init();
    const before = warned.length;
    await init(simulatorWasm);
    await init(new URL(simulatorWasm.href));
    let error;
    try { new PartnerCenterClient({ simulator: { seed: 1 }, token: 't' }); } catch (e) { error = e; }
    process.stdout.write(JSON.stringify({ before, warned, kind: error?.kind, message: error?.message }));`;
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
  assert.equal(out.before, 0, out.warned.join('\n'));
  assert.equal(out.warned.length, 1, out.warned.join('\n'));
  assert.match(out.warned[0], /first init\(\) call decides the module/);
  assert.equal(out.kind, 'invalid-input');
  assert.match(out.message, /has no simulator.*before anything else calls init\(\)/);
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

test('custom-elements.json describes the element as it is: attributes, properties, methods, events, parts and custom properties', async () => {
  const pkg = JSON.parse(readFileSync(join(dist, 'package.json'), 'utf8'));
  assert.equal(pkg.customElements, './custom-elements.json');
  assert.ok(pkg.files.includes('custom-elements.json') && pkg.files.includes('vscode.html-custom-data.json'));
  const cem = JSON.parse(readFileSync(join(dist, 'custom-elements.json'), 'utf8'));
  const [el] = cem.modules.flatMap((m) => m.declarations.filter((d) => d.customElement));
  assert.equal(el.tagName, 'partner-usage-dashboard');
  const { PartnerUsageDashboard } = await import(pathToFileURL(join(dist, 'dashboard.js')).href);
  const source = ['dashboard.js', 'dashboard-views.js', 'dashboard-chart.js'].map((f) => readFileSync(join(dist, f), 'utf8')).join('\n');
  const sorted = (xs) => [...new Set(xs)].sort();

  assert.deepEqual(sorted(el.attributes.map((a) => a.name)), sorted(PartnerUsageDashboard.observedAttributes));
  // Every public accessor and method of the class (the ones without a leading underscore, past the lifecycle callbacks).
  const proto = PartnerUsageDashboard.prototype;
  const descriptors = Object.getOwnPropertyDescriptors(proto);
  const accessors = Object.keys(descriptors).filter((k) => descriptors[k].get);
  assert.deepEqual(sorted(el.members.filter((m) => m.kind === 'field').map((m) => m.name)), sorted(accessors));
  for (const m of el.members) {
    if (m.kind === 'method') assert.equal(typeof proto[m.name], 'function', m.name);
    if (m.readonly) assert.equal(descriptors[m.name].set, undefined, `${m.name} is read-only`);
    if (m.kind === 'field' && !m.readonly) assert.equal(typeof descriptors[m.name].set, 'function', `${m.name} can be set`);
  }
  for (const a of el.attributes.filter((a) => a.fieldName)) assert.ok(accessors.includes(a.fieldName), a.fieldName);
  // Events: every CustomEvent the element dispatches.
  assert.deepEqual(sorted(el.events.map((e) => e.name)), sorted([...source.matchAll(/new CustomEvent\('([a-z-]+)'/g)].map((m) => m[1])));
  // Parts: every name given to a part attribute.
  const parts = [...source.matchAll(/part: ([^,}]+)/g)].flatMap((m) => [...m[1].matchAll(/'([a-z-]+)'/g)].map((q) => q[1]));
  assert.deepEqual(sorted(el.cssParts.map((p) => p.name)), sorted(parts));
  // Custom properties: every --pu-* the styles give a default or read
  // (the chart series are read by the charts, from the defaults).
  const style = readFileSync(join(dist, 'dashboard-style.js'), 'utf8');
  const custom = [...style.matchAll(/(--pu-[a-z0-9-]+):|var\((--pu-[a-z0-9-]+)/g)].map((m) => m[1] ?? m[2]);
  assert.ok(custom.includes('--pu-series-8') && custom.includes('--pu-font'));
  assert.deepEqual(sorted(el.cssProperties.map((p) => p.name)), sorted(custom));

  // VS Code's data: the same attributes, and the values of the enumerated ones.
  const vscode = JSON.parse(readFileSync(join(dist, 'vscode.html-custom-data.json'), 'utf8'));
  const [tag] = vscode.tags;
  assert.equal(tag.name, 'partner-usage-dashboard');
  assert.deepEqual(tag.attributes.map((a) => a.name), el.attributes.map((a) => a.name));
  assert.deepEqual(tag.attributes.find((a) => a.name === 'currency-display').values.map((v) => v.name), ['native', 'usd']);
  assert.equal(tag.attributes.find((a) => a.name === 'base-url').values, undefined);
});

test('the types compile in a Node-only TypeScript project (ES2022 and @types/node, no DOM library)', (t) => {
  const app = tempDir(t, 'node-ts');
  // The package as installed: node_modules/partner-usage is the built package.
  mkdirSync(join(app, 'node_modules'));
  symlinkSync(dist, join(app, 'node_modules', 'partner-usage'), 'dir');
  writeFiles(app, {
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2022'],
        types: ['node'],
        typeRoots: [join(www, 'node_modules', '@types')],
        skipLibCheck: false,
      },
      include: ['main.mts'],
    }),
    'main.mts': `
      import { readFileSync } from 'node:fs';
      import init, { PartnerCenterClient, PartnerCenterError, toCsv, type CustomerSummary } from 'partner-usage';
      import { simulatorWasm } from 'partner-usage/simulator';
      const bytes: Buffer = readFileSync(new URL(simulatorWasm));
      await init(bytes);
      await init({ module_or_path: bytes.buffer });
      await init(Promise.resolve(new Uint8Array(bytes)));
      // @ts-expect-error a number is no wasm source
      await init(42);
      const client = new PartnerCenterClient({ simulator: { seed: 1 }, token: 't' });
      const summary: CustomerSummary = await client.customerUsageSummary({ signal: AbortSignal.timeout(5000) });
      const csv: string = toCsv('customerUsageSummary', summary);
      try { await client.subscriptions('x'); } catch (e) {
        if (e instanceof PartnerCenterError) console.log(e.kind, e.status ?? '', e.cause);
      }
      console.log(csv.length);
    `,
  });
  run(join(www, 'node_modules', '.bin', 'tsc'), ['-p', '.'], app);
});
