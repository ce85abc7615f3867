// Accessibility beyond axe: forced colours (Windows High Contrast), more
// contrast, reflow at 320 px, text spacing, what screen readers get from
// charts (names, readouts, hidden canvases) and tooltips that Escape closes.
import { test, expect, sim, openDemo, waitForView, dash, viewData, viewHashes } from './helpers.js';

test.beforeEach(async ({ request }) => {
  await sim(request);
});

/** Waits for a view and for its charts' canvases. */
async function ready(page, view) {
  await waitForView(page, view);
  await page.waitForFunction(() => {
    const r = document.querySelector('partner-usage-dashboard').shadowRoot;
    return [...r.querySelectorAll('.chart-box')].every((b) => b.querySelector('canvas'));
  });
}

// WCAG relative luminance and contrast ratio of CSS `rgb()`/`rgba()` or `#rrggbb` colours (alpha ignored).
function luminance(color) {
  const hex = /^#([0-9a-f]{6})$/i.exec(color.trim());
  const rgb = hex ? [16, 8, 0].map((s) => (parseInt(hex[1], 16) >> s) & 255) : color.match(/[\d.]+/g).slice(0, 3).map(Number);
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** Every name in Chromium's accessibility tree (the shadow DOM's included), with its role. */
async function axNodes(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Accessibility.enable');
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  await cdp.detach();
  return nodes.filter((n) => !n.ignored).map((n) => ({ role: n.role?.value, name: n.name?.value ?? '' }));
}

// ---------------------------------------------------------------- forced colours

test('forced colours: a pressed toggle differs from the others, links read as links, and colour keys, meters and charts keep readable colours', async ({ page }) => {
  await page.emulateMedia({ forcedColors: 'active', colorScheme: 'light' });
  // A dark theme attribute in a light high-contrast system.
  await openDemo(page, { query: 'theme=dark' });
  await ready(page, 'customers');
  const look = await page.evaluate(() => {
    const el = document.querySelector('partner-usage-dashboard');
    const r = el.shadowRoot;
    const probe = document.createElement('span');
    document.body.append(probe);
    const sys = (c) => { probe.style.color = c; return getComputedStyle(probe).color; };
    const system = { canvas: sys('Canvas'), canvasText: sys('CanvasText'), linkText: sys('LinkText') };
    probe.remove();
    const style = (sel) => { const cs = getComputedStyle(r.querySelector(sel)); return { bg: cs.backgroundColor, color: cs.color }; };
    const theme = el.charts.get('top').o.theme;
    return {
      system,
      pressed: [...r.querySelectorAll('.seg button[aria-pressed="true"]')].map((b) => { const cs = getComputedStyle(b); return { bg: cs.backgroundColor, color: cs.color }; }),
      unpressed: [...r.querySelectorAll('.seg button[aria-pressed="false"]')].map((b) => { const cs = getComputedStyle(b); return { bg: cs.backgroundColor, color: cs.color }; }),
      swatch: style('.keys .swatch.over').bg,
      meter: style('.meter .over').bg,
      // A customer's name opens its view: a link, not text.
      link: (() => { const cs = getComputedStyle(r.querySelector('tbody .link')); return { color: cs.color, line: cs.textDecorationLine }; })(),

      chart: { text: theme.text, muted: theme.muted, surface: theme.surface, over: theme.over },
    };
  });
  expect(look.pressed.length).toBeGreaterThan(0);
  expect(look.unpressed.length).toBeGreaterThan(0);
  for (const on of look.pressed) {
    for (const off of look.unpressed) expect(on.bg, 'a pressed toggle has another background').not.toBe(off.bg);
    expect(contrast(on.bg, on.color), 'its text reads on it').toBeGreaterThanOrEqual(4.5);
  }
  expect(look.link).toEqual({ color: look.system.linkText, line: 'underline' });
  expect(look.system.linkText).not.toBe(look.system.canvasText);
  // Colour keys and meters are not blanked to the page's background.
  for (const bg of [look.swatch, look.meter]) {
    expect(bg).not.toBe(look.system.canvas);
    expect(bg).not.toMatch(/rgba\(0, 0, 0, 0\)/);
  }
  // The canvas draws in the system's colours, whatever the theme attribute says.
  expect(look.chart.text).toBe(look.system.canvasText);
  expect(look.chart.muted).toBe(look.system.canvasText);
  expect(look.chart.surface).toBe(look.system.canvas);
  // And its data colours are the palette for the system's (light) background.
  expect(contrast(look.chart.over, look.system.canvas)).toBeGreaterThanOrEqual(3);
});

test('forced colours switched on and off while a chart is shown: it is redrawn in the system\'s colours, then the theme\'s', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openDemo(page);
  await ready(page, 'customers');
  const text = () => page.evaluate(() => document.querySelector('partner-usage-dashboard').charts.get('top')?.o.theme.text);
  const themed = await text();
  await page.emulateMedia({ colorScheme: 'dark', forcedColors: 'active' });
  const canvasText = await page.evaluate(() => {
    const probe = document.createElement('span');
    document.body.append(probe);
    probe.style.color = 'CanvasText';
    const c = getComputedStyle(probe).color;
    probe.remove();
    return c;
  });
  await expect.poll(text).toBe(canvasText);
  await page.emulateMedia({ colorScheme: 'dark', forcedColors: 'none' });
  await expect.poll(text).toBe(themed);
});

// ---------------------------------------------------------------- contrast of fields and lines

test('form fields have a border of at least 3:1 against their background, light and dark, and more contrast strengthens lines', async ({ page, request }) => {
  const all = await viewHashes(request);
  await openDemo(page, { hash: all.utilization });
  await ready(page, 'utilization');
  const borders = () => page.evaluate(() => {
    const r = document.querySelector('partner-usage-dashboard').shadowRoot;
    const bgOf = (el) => {
      for (let e = el; e; e = e.parentElement || e.getRootNode().host) {
        const bg = getComputedStyle(e).backgroundColor;
        if (!/rgba\(0, 0, 0, 0\)|transparent/.test(bg)) return bg;
      }
      return 'rgb(255, 255, 255)';
    };
    const fields = [...r.querySelectorAll('.field input, .field select')].map((f) => ({
      border: getComputedStyle(f).borderTopColor, own: bgOf(f), around: bgOf(f.parentElement),
    }));
    const panel = r.querySelector('.panel');
    return { fields, panel: { border: getComputedStyle(panel).borderTopColor, bg: bgOf(panel) } };
  });
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme, contrast: 'no-preference' });
    const { fields, panel } = await borders();
    expect(fields.length).toBeGreaterThan(3);
    for (const f of fields) {
      expect(contrast(f.border, f.own), `${scheme}: ${f.border} on ${f.own}`).toBeGreaterThanOrEqual(3);
      expect(contrast(f.border, f.around), `${scheme}: ${f.border} on ${f.around}`).toBeGreaterThanOrEqual(3);
    }
    const normal = contrast(panel.border, panel.bg);
    await page.emulateMedia({ colorScheme: scheme, contrast: 'more' });
    const more = await borders();
    expect(contrast(more.panel.border, more.panel.bg), `${scheme}: panel border with more contrast`).toBeGreaterThanOrEqual(3);
    expect(contrast(more.panel.border, more.panel.bg)).toBeGreaterThan(normal);
    for (const f of more.fields) expect(contrast(f.border, f.own)).toBeGreaterThanOrEqual(4.5);
  }
});

// ---------------------------------------------------------------- reflow at 320 px

test('320 px in German: the group-by toggles and the legend badges stay inside their panels', async ({ page, request }) => {
  const all = await viewHashes(request);
  await page.setViewportSize({ width: 320, height: 640 });
  await openDemo(page, { query: 'locale=de-DE', hash: all.resources });
  await ready(page, 'resources');
  const seg = await page.evaluate(() => {
    const s = document.querySelector('partner-usage-dashboard').shadowRoot.querySelector('.seg.wrap');
    const box = s.closest('.controls').getBoundingClientRect();
    return {
      right: s.getBoundingClientRect().right,
      limit: box.right,
      clipped: [...s.children].filter((b) => b.scrollWidth > b.clientWidth + 1 || b.getBoundingClientRect().right > box.right + 0.5).map((b) => b.textContent),
      labels: [...s.children].map((b) => b.textContent),
      doc: document.documentElement.scrollWidth,
    };
  });
  expect(seg.labels).toContain('Ressourcengruppe');
  expect(seg.clipped).toEqual([]);
  expect(seg.right).toBeLessThanOrEqual(seg.limit + 0.5);
  expect(seg.doc).toBeLessThanOrEqual(320);

  // Legend entries with an anomaly badge wrap instead of sticking out.
  await openDemo(page, { query: 'locale=de-DE', hash: all.utilization });
  await ready(page, 'utilization');
  const legend = await page.evaluate(() => {
    const r = document.querySelector('partner-usage-dashboard').shadowRoot;
    const items = [...r.querySelectorAll('.legend li')];
    return {
      badges: items.filter((li) => li.querySelector('.badge')).length,
      out: items.flatMap((li) => {
        const panel = li.closest('.panel');
        const right = panel.getBoundingClientRect().right - parseFloat(getComputedStyle(panel).paddingRight);
        return [...li.children].filter((c) => c.getBoundingClientRect().right > right + 0.5).map((c) => c.textContent);
      }),
    };
  });
  expect(legend.badges).toBeGreaterThan(0);
  expect(legend.out).toEqual([]);
});

test('narrow screens: the first column of a table stays in view while the table scrolls sideways', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await openDemo(page);
    await ready(page, 'customers');
    const got = await page.evaluate(() => {
      const table = document.querySelector('partner-usage-dashboard').shadowRoot.querySelector('table[data-table="customers"]');
      const scroller = table.closest('.scroll');
      const cell = table.tBodies[0].rows[0].cells[0];
      const head = table.tHead.rows[0].cells[0];
      const before = { cell: cell.getBoundingClientRect().left, head: head.getBoundingClientRect().left };
      scroller.scrollLeft = 120;
      const bg = getComputedStyle(cell).backgroundColor;
      return {
        scrolled: scroller.scrollLeft,
        before,
        after: { cell: cell.getBoundingClientRect().left, head: head.getBoundingClientRect().left },
        bg,
        second: table.tBodies[0].rows[0].cells[1].getBoundingClientRect().left,
      };
    });
    expect(got.scrolled, 'the table is wider than the screen').toBeGreaterThan(0);
    expect(got.after.cell).toBeCloseTo(got.before.cell, 0);
    expect(got.after.head).toBeCloseTo(got.before.head, 0);
    // Opaque, so the columns sliding under it don't show through.
    expect(got.bg).not.toMatch(/rgba\(\d+, \d+, \d+, 0\)|transparent/);
  }
});

// ---------------------------------------------------------------- text spacing

test('text spacing: chart labels are drawn as wide as they were measured', async ({ page }) => {
  await openDemo(page);
  await ready(page, 'customers');
  // A text-spacing bookmarklet's letter and word spacing, on the element.
  const got = await page.evaluate(() => {
    const el = document.querySelector('partner-usage-dashboard');
    el.style.letterSpacing = '0.12em';
    el.style.wordSpacing = '0.16em';
    const chart = el.charts.get('top');
    const ctx = chart.u.ctx;
    const detached = document.createElement('canvas').getContext('2d');
    const label = chart.o.labels[0];
    ctx.save();
    ctx.font = chart.o.font;
    detached.font = chart.o.font;
    const drawn = ctx.measureText(label).width;
    ctx.restore();
    return { label, drawn, measured: detached.measureText(label).width };
  });
  expect(got.label.length).toBeGreaterThan(5);
  expect(got.drawn).toBeCloseTo(got.measured, 1);
});

// ---------------------------------------------------------------- what screen readers get

test('screen readers: no unnamed canvas, and no arrow or chevron drawn by CSS in a name', async ({ page, request }) => {
  const all = await viewHashes(request);
  await openDemo(page, { hash: all.resources });
  await ready(page, 'resources');
  const d = dash(page);
  await expect(d.locator('.crumbs li')).toHaveCount(3);
  await expect(d.locator('button.expander').first()).toBeVisible();
  const resources = await axNodes(page);
  await page.evaluate((h) => { location.hash = h; }, all.utilization);
  await ready(page, 'utilization');
  await expect(d.locator('details.filters > summary')).toBeVisible();
  const utilization = await axNodes(page);
  for (const nodes of [resources, utilization]) {
    expect(nodes.filter((n) => n.role === 'Canvas' || n.role === 'canvas')).toEqual([]);
    expect(nodes.filter((n) => /[▸›]/.test(n.name)).map((n) => `${n.role}: ${n.name}`)).toEqual([]);
  }
  // The names are there, just without the decoration.
  expect(resources.some((n) => n.role === 'button' && n.name === 'backup-rg')).toBe(true);
  expect(utilization.some((n) => n.name === 'Filters')).toBe(true);
  // The chart itself is still a named group.
  expect(utilization.some((n) => n.role === 'group' && /^Line chart/.test(n.name))).toBe(true);
});

test('keyboard readout of a bar says the line under its title: the customer\'s budget status', async ({ page }) => {
  await openDemo(page);
  await ready(page, 'customers');
  const d = dash(page);
  const box = d.locator('[data-chart="top"]');
  await box.focus();
  await page.keyboard.press('ArrowDown');
  const tipLines = await box.locator('.tip .x').textContent();
  expect(tipLines).toMatch(/budget/i);
  await expect(d.locator('[aria-live="polite"][aria-atomic="true"]')).toContainText(tipLines);
});

test('a time chart with many series: the tooltip lists eight and counts the rest, the readout a few', async ({ page }) => {
  await page.goto('/tests/pages/blank.html');
  const got = await page.evaluate(async () => {
    const { TimeChart, themeColors } = await import('/dist/npm/dashboard-chart.js');
    const box = document.createElement('div');
    box.style.width = '700px';
    document.body.append(box);
    const x = Float64Array.from({ length: 10 }, (_, i) => Date.UTC(2026, 0, 1 + i));
    const series = Array.from({ length: 30 }, (_, k) => ({ label: `meter ${k}`, values: Array.from(x, (_, i) => k + i), color: '#888' }));
    const said = [];
    const chart = new TimeChart(box, {
      x, series, ariaLabel: 'test', announce: (t) => said.push(t),
      format: (v) => String(v), tick: (v) => String(v), date: (ms) => new Date(ms).toISOString().slice(0, 10), tickDate: (ms) => String(ms),
    }, themeColors(document.body));
    box.focus();
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    const tip = box.querySelector('.tip');
    return {
      hidden: tip.hidden,
      rows: [...tip.querySelectorAll('.r')].map((r) => r.textContent),
      tipHeight: tip.offsetHeight,
      said: said[said.length - 1],
      described: chart.describe(0).rows.length,
    };
  });
  expect(got.hidden).toBe(false);
  expect(got.rows).toHaveLength(9);
  expect(got.rows[0]).toContain('meter 0');
  expect(got.rows[8]).toBe('22 more');
  expect(got.tipHeight).toBeLessThan(300);
  expect(got.said.startsWith('2026-01-01, meter 0: 0')).toBe(true);
  expect(got.said).toContain('more');
  expect(got.said).not.toContain('meter 29');
  expect(got.said.length).toBeLessThan(200);
  // describe() still has every series (the table and the legend use them all).
  expect(got.described).toBe(30);
});

test('an "Others" bar has an outline of at least 3:1 against the chart, its light fill inside', async ({ page }) => {
  await page.goto('/tests/pages/blank.html');
  const got = await page.evaluate(async () => {
    const { BarChart, themeColors } = await import('/dist/npm/dashboard-chart.js');
    const box = document.createElement('div');
    box.style.width = '600px';
    document.body.append(box);
    const theme = themeColors(document.body);
    const chart = new BarChart(box, {
      labels: ['a', 'b', 'Others (40)'], values: [30, 20, 100], overflow: [2],
      colors: ['#0f6cbd', '#0f6cbd', theme.others], ariaLabel: 'test', format: String, tick: String,
    }, theme);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const g = chart.geom[2];
    const px = (x, y) => Array.from(chart.u.ctx.getImageData(Math.round(x), Math.round(y), 1, 1).data);
    // Along the bar's top edge (either row the line may fall on), the darkest pixel; and the middle.
    const edge = [];
    for (let x = g.left + 20; x < g.left + 60; x += 5) for (const dy of [0, 1]) edge.push(px(x, g.top + dy));
    const dark = (c) => c[0] + c[1] + c[2];
    return { edge: edge.sort((a, b) => dark(a) - dark(b))[0], inside: px(g.left + 40, g.top + g.height / 2), others: theme.others, surface: theme.surface };
  });
  const rgb = (c) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
  expect(contrast(rgb(got.edge), got.surface)).toBeGreaterThanOrEqual(3);
  expect(contrast(got.others, got.surface)).toBeLessThan(3);
  expect(contrast(rgb(got.inside), got.others)).toBeLessThan(1.05);
});

test('a bar chart with thousands of bars keeps its canvas within what browsers draw, and draws it', async ({ page }) => {
  await page.goto('/tests/pages/blank.html');
  const got = await page.evaluate(async () => {
    const { BarChart, themeColors } = await import('/dist/npm/dashboard-chart.js');
    const box = document.createElement('div');
    box.style.width = '800px';
    document.body.append(box);
    const n = 3000;
    const chart = new BarChart(box, {
      labels: Array.from({ length: n }, (_, i) => `bar ${i}`), values: Array.from({ length: n }, (_, i) => n - i),
      colors: Array.from({ length: n }, () => '#0f6cbd'), ariaLabel: 'test', format: (v) => String(v), tick: (v) => String(v),
    }, themeColors(document.body));
    const c = chart.u.ctx.canvas;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    // The first bars: something is drawn there (a canvas too big for the browser stays blank).
    const block = chart.u.ctx.getImageData(0, 0, c.width, 400).data;
    let painted = 0;
    for (let i = 3; i < block.length; i += 4) if (block[i] > 0) painted += 1;
    return { width: c.width, height: c.height, painted };
  });
  expect(got.height).toBeLessThanOrEqual(32_767);
  expect(got.width * got.height).toBeLessThanOrEqual(268_435_456);
  expect(got.painted).toBeGreaterThan(1000);
});

test('the anomaly word in a chart\'s tooltip and readout is the dashboard\'s language, and the tooltip holds its rows', async ({ page, request }) => {
  const all = await viewHashes(request);
  await openDemo(page, { query: 'locale=de-DE', hash: all.utilization });
  await ready(page, 'utilization');
  const d = dash(page);
  const vd = await viewData(page);
  const [id, idx] = Object.entries(vd.charts).flatMap(([k, c]) => (c.series || []).flatMap((s) => (s.anomalies || []).map((i) => [k, i])))[0];
  const box = d.locator(`[data-chart="${id}"]`);
  await box.focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < idx; i++) await page.keyboard.press('ArrowRight');
  const tip = box.locator('.tip');
  await expect(tip).toContainText('(Anomalie)');
  await expect(tip).not.toContainText('anomaly');
  await expect(d.locator('[aria-live="polite"][aria-atomic="true"]')).toContainText('(Anomalie)');
  const fits = await tip.evaluate((t) => ({
    tip: [t.scrollWidth, t.clientWidth],
    rows: [...t.querySelectorAll('.r')].map((r) => [r.scrollWidth, r.clientWidth]),
  }));
  expect(fits.tip[0]).toBeLessThanOrEqual(fits.tip[1]);
  for (const [scroll, client] of fits.rows) expect(scroll).toBeLessThanOrEqual(client);
});

test('Escape closes a tooltip the pointer opened, wherever focus is, until the pointer moves on', async ({ page }) => {
  await openDemo(page);
  await ready(page, 'customers');
  const d = dash(page);
  const box = d.locator('[data-chart="top"]');
  const tip = box.locator('.tip');
  const over = await box.locator('.u-over').boundingBox();
  await page.evaluate(() => document.activeElement?.blur());
  await page.mouse.move(over.x + over.width / 3, over.y + 12);
  await expect(tip).toBeVisible();
  expect(await box.evaluate((b) => b.matches(':focus-within'))).toBe(false);
  await page.keyboard.press('Escape');
  await expect(tip).toBeHidden();
  // A nudge over the same bar doesn't bring it back...
  await page.mouse.move(over.x + over.width / 3 + 3, over.y + 13);
  await expect(tip).toBeHidden();
  // ...the next bar does.
  await page.mouse.move(over.x + over.width / 3, over.y + 42);
  await expect(tip).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(tip).toBeHidden();
});

// ---------------------------------------------------------------- a reload in progress

test('a view being reloaded is dimmed but its controls are not; after a failed reload it stays readable', async ({ page, request }) => {
  const all = await viewHashes(request);
  await openDemo(page, { hash: all.utilization });
  await ready(page, 'utilization');
  const content = dash(page).locator('.content');
  const look = () => content.evaluate((c) => {
    const view = c.querySelector('.view');
    // The opacity it is drawn with (its ancestors' included) and its filters.
    const of = (el) => {
      let opacity = 1;
      const filters = [];
      for (let e = el; e && e !== c.parentElement; e = e.parentElement) {
        const cs = getComputedStyle(e);
        opacity *= Number(cs.opacity);
        if (cs.filter !== 'none') filters.push(cs.filter);
      }
      return { opacity, filter: filters.join(' ') || 'none' };
    };
    return { cards: of(view.querySelector('.cards')), panel: of(view.querySelector('.panel')), controls: of(view.querySelector('.controls')) };
  });
  const fresh = await look();
  expect(fresh.cards).toEqual({ opacity: 1, filter: 'none' });
  // Reloading: the old numbers are dimmed, the controls still in use are not.
  await content.evaluate((c) => { c.classList.add('stale'); c.setAttribute('aria-busy', 'true'); });
  await expect.poll(async () => (await look()).cards.opacity).toBeLessThan(0.7);
  expect((await look()).panel.opacity).toBeLessThan(0.7);
  expect((await look()).controls.opacity).toBe(1);
  // The reload failed and the old content stays: readable (full opacity), but marked.
  await content.evaluate((c) => c.removeAttribute('aria-busy'));
  await expect.poll(async () => (await look()).cards.opacity).toBe(1);
  expect((await look()).cards.filter).toContain('grayscale');
});
