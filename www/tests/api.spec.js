// The JS API (index.js) in a page, against pc-sim (seed 7): what a portal
// developer writes by hand, without the dashboard. The page
// (tests/pages/blank.html) sits under a sub-path and has the demo's CSP.
import { test, expect, sim, listing, TOKEN } from './helpers.js';

test.beforeEach(async ({ request }) => {
  await sim(request);
});

test('baseUrl: a relative URL resolves against the page, a URL object and a trailing /v1 work, init takes { module_or_path }', async ({ page, request }) => {
  const api = [];
  const wasm = [];
  page.on('request', (r) => {
    const p = new URL(r.url()).pathname;
    if (p.includes('/v1/')) api.push(p);
    if (p.endsWith('.wasm')) wasm.push(p);
  });
  await page.goto('/tests/pages/blank.html');
  const expected = (await listing(request, '/v1/customers/usagerecords')).length;
  expect(expected).toBeGreaterThan(0);

  const got = await page.evaluate(async (token) => {
    const { default: init, PartnerCenterClient } = await import('/dist/npm/index.js');
    // wasm-bindgen's object form, with a URL relative to the page.
    await init({ module_or_path: '../../dist/npm/partner_usage_bg.wasm' });
    const count = (baseUrl) => new PartnerCenterClient({ baseUrl, token }).customerUsageRecords().then(
      (r) => r.length,
      (e) => ({ kind: e.kind, status: e.status, message: e.message }),
    );
    return {
      root: await count('/'),
      rootV1: await count('/v1/'),
      url: await count(new URL('/v1', location.href)),
      // '.' is the page's folder, /tests/pages/: nothing is served there.
      dot: await count('.'),
    };
  }, TOKEN);

  expect(wasm).toEqual(['/dist/npm/partner_usage_bg.wasm']);
  expect(got.root).toBe(expected);
  expect(got.rootV1).toBe(expected);
  expect(got.url).toBe(expected);
  expect(got.dot).toMatchObject({ kind: 'http', status: 404 });
  expect(got.dot.message).toContain('/tests/pages/v1/customers/usagerecords');
  // No Partner Center error code in that 404: most likely a wrong baseUrl.
  expect(got.dot.message).toContain("no Partner Center error code: is baseUrl where Partner Center's /v1/... is served?");
  expect(api).toEqual([
    '/v1/customers/usagerecords',
    '/v1/customers/usagerecords',
    '/v1/customers/usagerecords',
    '/tests/pages/v1/customers/usagerecords',
  ]);
});

test('init(): a wasm module that does not load says where and why (no answer, an error status, a fallback page, a CSP), and a later init() can still succeed', async ({ page }) => {
  await page.route('**/gone.wasm', (route) => route.abort('connectionrefused'));
  await page.goto('/tests/pages/blank.html');
  const got = await page.evaluate(async () => {
    const { default: init, PartnerCenterError } = await import('/dist/npm/index.js');
    const attempt = (input) => init(input).then(() => 'loaded', (e) => ({
      isPce: e instanceof PartnerCenterError, kind: e.kind, status: e.status ?? null, message: e.message, cause: !!e.cause,
    }));
    return {
      // Nobody answers.
      network: await attempt('/dist/npm/gone.wasm'),
      missing: await attempt('/dist/npm/nothing-here.wasm'),
      // What a dev server's SPA fallback answers for a file it doesn't have.
      html: await attempt(new URL('/tests/pages/blank.html', location.href)),
      // Bytes that aren't wasm: no URL to name or ask again.
      bytes: await attempt(new TextEncoder().encode('<!doctype html>')),
      fine: await attempt('/dist/npm/partner_usage_bg.wasm'),
    };
  });
  expect(got.network).toMatchObject({ isPce: true, kind: 'network', status: null, cause: true });
  expect(got.network.message).toMatch(/from http:\/\/[^/]+\/dist\/npm\/gone\.wasm: .*\(no answer from the server\)$/);
  expect(got.missing).toMatchObject({ isPce: true, kind: 'http', status: 404 });
  expect(got.missing.message).toContain('/dist/npm/nothing-here.wasm: the server answered 404');
  expect(got.html).toMatchObject({ isPce: true, kind: 'decode', status: 200 });
  expect(got.html.message).toMatch(/blank\.html: the server answered 200 with text\/html[^,]*, not a wasm module \(it begins "<!DO"\)/i);
  expect(got.html.message).toContain("optimizeDeps: { exclude: ['partner-usage'] }");
  expect(got.bytes).toMatchObject({ isPce: true, kind: 'decode' });
  expect(got.bytes.message).not.toContain(' from ');
  expect(got.fine).toBe('loaded');

  // A page whose CSP doesn't allow compiling wasm: the error says what the
  // policy needs.
  const strict = await page.context().newPage();
  await strict.route('**/tests/pages/strict.html', (route) => route.fulfill({
    contentType: 'text/html',
    headers: { 'Content-Security-Policy': "script-src 'self'" },
    body: '<!doctype html><title>strict</title>',
  }));
  await strict.goto('/tests/pages/strict.html');
  const csp = await strict.evaluate(async () => {
    const { default: init } = await import('/dist/npm/index.js');
    return init().then(() => 'loaded', (e) => ({ kind: e.kind, message: e.message }));
  });
  expect(csp.kind).toBe('decode');
  expect(csp.message).toContain("/dist/npm/partner_usage_bg.wasm: ");
  expect(csp.message).toContain("the page's Content-Security-Policy must allow 'wasm-unsafe-eval' in script-src");
  await strict.close();
});

test('a redirect is not followed: the token never goes where it points, and the error says why', async ({ page }) => {
  const elsewhere = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/elsewhere')) elsewhere.push(r.headers().authorization ?? null); });
  await page.route('**/v1/customers/usagerecords*', (route) => route.fulfill({ status: 302, headers: { Location: '/elsewhere/steal' }, body: '' }));
  await page.goto('/tests/pages/blank.html');
  const got = await page.evaluate(async (token) => {
    const { default: init, PartnerCenterClient, PartnerCenterError } = await import('/dist/npm/index.js');
    await init();
    const c = new PartnerCenterClient({ baseUrl: '/', token, maxRetries: 2 });
    try {
      await c.customerUsageRecords();
      return 'resolved';
    } catch (e) {
      return { isPce: e instanceof PartnerCenterError, kind: e.kind, message: e.message };
    }
  }, TOKEN);
  expect(got).toMatchObject({ isPce: true, kind: 'network' });
  expect(got.message).toContain('network error for /v1/customers/usagerecords: the server answered with a redirect, which is not followed');
  expect(got.message).not.toContain(TOKEN);
  expect(elsewhere).toEqual([]);
});

test('in a module worker: init, a streaming summary with progress, and errors as PartnerCenterError, as on the page', async ({ page }) => {
  await page.goto('/tests/pages/blank.html');
  const got = await page.evaluate(async (token) => {
    const worker = new Worker('/tests/pages/worker.js', { type: 'module' });
    const inWorker = await new Promise((resolve, reject) => {
      worker.onmessage = (e) => resolve(e.data);
      worker.onerror = (e) => reject(new Error(`worker: ${e.message}`));
      worker.postMessage({ baseUrl: '/', token });
    });
    worker.terminate();
    const { default: init, PartnerCenterClient } = await import('/dist/npm/index.js');
    await init();
    const onPage = await new PartnerCenterClient({ baseUrl: '/', token }).customerUsageSummary();
    return { inWorker, onPage };
  }, TOKEN);
  expect(got.inWorker.failed).toBeUndefined();
  expect(got.onPage.records).toBeGreaterThan(0);
  // The same summary, exact amounts included, whichever thread made it.
  expect(got.inWorker.summary).toEqual(got.onPage);
  expect(got.inWorker.pages.length).toBeGreaterThan(0);
  // toJSON() carries the fields across postMessage, which clones an Error without them.
  expect(got.inWorker.error).toEqual({
    isError: true,
    json: { name: 'AbortError', message: expect.any(String), kind: 'aborted', status: undefined, code: undefined, requestId: undefined },
  });
});
