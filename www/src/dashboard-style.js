// The stylesheet of <partner-usage-dashboard>, adopted into its shadow root
// as a constructable stylesheet: no <style> element and no style attribute,
// so it works under `style-src 'self'` without 'unsafe-inline'.
//
// Theming: every colour, the font and the radius are CSS custom properties
// (`--pu-*`) that a page sets on the element or any ancestor (`:root` too).
// The host never declares them: it declares private copies (`--_text:
// var(--pu-text, <default>)`) with light and dark defaults
// (`prefers-color-scheme`, or the `theme` attribute), stronger defaults under
// `prefers-contrast: more`, and in forced colours the system's colours, with
// the data palette following the system's light or dark whatever `theme`
// says; the rules below and the charts (themeColors) read only the copies.
// Declaring `--pu-*` on the host itself would shadow a value inherited from
// the page. Parts are exposed with `part="..."` for `::part()` styling.

import uplotCss from './vendor/uplot/uPlot.css.js';
import { CANVAS_TOKENS } from './dashboard-chart.js';

const LIGHT = `
  --_bg: var(--pu-bg, #ffffff);
  --_surface: var(--pu-surface, #ffffff);
  --_surface-2: var(--pu-surface-2, #f6f8fa);
  --_surface-3: var(--pu-surface-3, #eef1f4);
  --_text: var(--pu-text, #1f2328);
  --_muted: var(--pu-muted, #59636e);
  --_border: var(--pu-border, #d1d9e0);
  --_field-border: var(--pu-field-border, #818b98);
  --_grid: var(--pu-grid, #e8ebef);
  --_accent: var(--pu-accent, #0f6cbd);
  --_accent-hover: var(--pu-accent-hover, #0c5a9e);
  --_accent-text: var(--pu-accent-text, #ffffff);
  --_accent-soft: var(--pu-accent-soft, #e8f1fb);
  --_focus: var(--pu-focus, #0f6cbd);
  --_over: var(--pu-over, #c4242c);
  --_over-soft: var(--pu-over-soft, #fdecec);
  --_near: var(--pu-near, #9a5b00);
  --_near-fill: var(--pu-near-fill, #d98b00);
  --_near-soft: var(--pu-near-soft, #fff4d6);
  --_under: var(--pu-under, #0f6cbd);
  --_under-soft: var(--pu-under-soft, #e8f1fb);
  --_none: var(--pu-none, #5c6b7a);
  --_none-fill: var(--pu-none-fill, #8696a7);
  --_none-soft: var(--pu-none-soft, #eef1f4);
  --_others: var(--pu-others, #c2cad3);
  --_anomaly: var(--pu-anomaly, #c4242c);
  --_legacy: var(--pu-legacy, #7a4cc2);
  --_series-1: var(--pu-series-1, #0f6cbd);
  --_series-2: var(--pu-series-2, #d36b00);
  --_series-3: var(--pu-series-3, #158a5c);
  --_series-4: var(--pu-series-4, #c03f8d);
  --_series-5: var(--pu-series-5, #6f52c9);
  --_series-6: var(--pu-series-6, #0f8597);
  --_series-7: var(--pu-series-7, #6c8a0c);
  --_series-8: var(--pu-series-8, #a5473a);
  --_shadow: var(--pu-shadow, 0 1px 2px rgb(31 35 40 / 0.06), 0 1px 3px rgb(31 35 40 / 0.05));
  color-scheme: light;
`;

const DARK = `
  --_bg: var(--pu-bg, #0f1419);
  --_surface: var(--pu-surface, #161c23);
  --_surface-2: var(--pu-surface-2, #1c232b);
  --_surface-3: var(--pu-surface-3, #252e38);
  --_text: var(--pu-text, #e6edf3);
  --_muted: var(--pu-muted, #a0abb8);
  --_border: var(--pu-border, #343d48);
  --_field-border: var(--pu-field-border, #6e7681);
  --_grid: var(--pu-grid, #26303a);
  --_accent: var(--pu-accent, #5aa9f0);
  --_accent-hover: var(--pu-accent-hover, #7dbcf5);
  --_accent-text: var(--pu-accent-text, #0b1520);
  --_accent-soft: var(--pu-accent-soft, #173049);
  --_focus: var(--pu-focus, #7dbcf5);
  --_over: var(--pu-over, #ff8a80);
  --_over-soft: var(--pu-over-soft, #3d1d1f);
  --_near: var(--pu-near, #f2c14e);
  --_near-fill: var(--pu-near-fill, #e0a526);
  --_near-soft: var(--pu-near-soft, #3a2e12);
  --_under: var(--pu-under, #5aa9f0);
  --_under-soft: var(--pu-under-soft, #173049);
  --_none: var(--pu-none, #a0abb8);
  --_none-fill: var(--pu-none-fill, #7d8a99);
  --_none-soft: var(--pu-none-soft, #252e38);
  --_others: var(--pu-others, #4d5966);
  --_anomaly: var(--pu-anomaly, #ff8a80);
  --_legacy: var(--pu-legacy, #b89af0);
  --_series-1: var(--pu-series-1, #5aa9f0);
  --_series-2: var(--pu-series-2, #f0a04b);
  --_series-3: var(--pu-series-3, #4cc38a);
  --_series-4: var(--pu-series-4, #ee7bbf);
  --_series-5: var(--pu-series-5, #a48ff5);
  --_series-6: var(--pu-series-6, #3fc1d3);
  --_series-7: var(--pu-series-7, #b5d15a);
  --_series-8: var(--pu-series-8, #f08a78);
  --_shadow: var(--pu-shadow, 0 1px 2px rgb(0 0 0 / 0.3));
  color-scheme: dark;
`;

// Paper: the light palette's neutrals and soft backgrounds as literals,
// whatever the page sets (an app's dark-mode tokens would print light text
// on white paper); its accent, series and status colours stay the page's.
const PAPER = LIGHT.replace(/var\(--pu-(?:bg|surface|surface-2|surface-3|text|muted|border|field-border|grid|[a-z]+-soft), (#[0-9a-f]+)\)/g, '$1');

// prefers-contrast: more — stronger lines, borders and secondary text.
const LIGHT_MORE = `
  --_muted: var(--pu-muted, #3d444d);
  --_border: var(--pu-border, #6e7781);
  --_field-border: var(--pu-field-border, #59636e);
  --_grid: var(--pu-grid, #818b98);
  --_others: var(--pu-others, #8c959f);
`;

const DARK_MORE = `
  --_muted: var(--pu-muted, #c5ced8);
  --_border: var(--pu-border, #7d8590);
  --_field-border: var(--pu-field-border, #a0abb8);
  --_grid: var(--pu-grid, #6e7681);
  --_others: var(--pu-others, #768390);
`;

export const css = `
:host {
  --_font-size: var(--pu-font-size, 14px);
  --_radius: var(--pu-radius, 10px);
  --_gap: var(--pu-gap, 16px);
  ${LIGHT}
  display: block;
  /* The component's words are English: in a right-to-left page it keeps its
     left-to-right layout instead of mirroring English sentences. Names from
     Partner Center sit in <bdi>, each in its own direction. */
  direction: ltr;
  container-type: inline-size;
  container-name: pu;
  font-family: var(--pu-font, inherit);
  font-size: var(--_font-size);
  line-height: 1.45;
  color: var(--_text);
  background: var(--_bg);
  -webkit-font-smoothing: antialiased;
}
@media (prefers-color-scheme: dark) {
  :host(:not([theme="light"])) { ${DARK} }
}
:host([theme="dark"]) { ${DARK} }
:host([hidden]) { display: none; }

*, *::before, *::after { box-sizing: border-box; }

.root { display: flex; flex-direction: column; gap: var(--_gap); padding: var(--_gap); min-width: 0; }
/* What the canvases are drawn with: when a page changes one of these at run
   time (its own theme switch on :root), the transition's end tells the
   element to redraw its charts (onPalette in dashboard.js). 1 ms and
   discrete: nothing is animated. On an empty element of its own, which
   nothing inherits from, so the rest takes new values at once. */
.palette-probe {
  position: absolute; width: 0; height: 0; overflow: hidden; pointer-events: none;
  transition-property: ${CANVAS_TOKENS.map((t) => `--_${t}`).join(', ')}, font-family;
  transition-duration: 1ms;
  transition-behavior: allow-discrete;
}

.nowrap { white-space: nowrap; }
.sr-only {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}

/* ---- header ---- */
.top { display: flex; flex-wrap: wrap; align-items: flex-end; justify-content: space-between; gap: 12px 16px; }
.titles { min-width: 0; display: flex; flex-direction: column; gap: 2px; }
.crumbs:empty { display: none; }
.crumbs ol { list-style: none; display: flex; flex-wrap: wrap; align-items: center; gap: 2px 6px; margin: 0; padding: 0; font-size: calc(var(--_font-size) * 13 / 14); color: var(--_muted); }
.crumbs li { display: inline-flex; align-items: center; gap: 6px; min-width: 0; }
.crumbs li + li::before { content: "›" / ""; color: var(--_muted); }
.crumbs [aria-current] { color: var(--_text); font-weight: 500; }
/* The title takes focus at a drill-down: from the keyboard it shows the
   focus ring every control has (:focus-visible, --pu-focus: 3:1 or more on
   the background in both themes), so a sighted keyboard user sees where
   focus went; after a click, none. */
h2.title { margin: 0; font-size: calc(var(--_font-size) * 20 / 14); font-weight: 650; letter-spacing: -0.01em; line-height: 1.25; overflow-wrap: anywhere; }
.subtitle { margin: 0; color: var(--_muted); font-size: calc(var(--_font-size) * 13 / 14); }
.asof { white-space: nowrap; } /* "Data as of" and its time stay on one line */

.toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
/* The action buttons wrap together (long words can push them to a second line). */
.toolbar .actions { display: flex; gap: 8px; margin-inline-start: auto; }

/* ---- buttons and controls ---- */
button, input, select { font: inherit; color: inherit; }
.btn, .link {
  -webkit-appearance: none; appearance: none;
  display: inline-flex; align-items: center; justify-content: center; gap: 6px;
  min-height: 32px; padding: 5px 12px;
  border: 1px solid var(--_border); border-radius: calc(var(--_radius) * 0.8);
  background: var(--_surface); color: var(--_text);
  font-size: calc(var(--_font-size) * 13 / 14); font-weight: 550; line-height: 1.2; cursor: pointer;
  white-space: nowrap;
}
.btn:hover { background: var(--_surface-2); }
.btn.primary { background: var(--_accent); border-color: var(--_accent); color: var(--_accent-text); }
.btn.primary:hover { background: var(--_accent-hover); border-color: var(--_accent-hover); }
.btn[disabled] { opacity: 0.55; cursor: not-allowed; }
/* Unavailable but focusable (Refresh while loading): its label is dimmed,
   not the button, so its focus ring keeps its full contrast. */
.btn[aria-disabled="true"] { cursor: not-allowed; }
.btn[aria-disabled="true"]:hover { background: var(--_surface); }
.btn[aria-disabled="true"] > * { opacity: 0.55; }
.btn svg { width: 16px; height: 16px; flex: none; }
/* Copy link's "copied", for a moment: over the page, under the button. */
[data-action="copy-link"] { position: relative; }
.bubble {
  position: absolute; top: calc(100% + 6px); right: 0; z-index: 3;
  padding: 4px 8px; border-radius: 6px; white-space: nowrap; pointer-events: none;
  background: var(--_text); color: var(--_bg); font-weight: 500;
}
.link {
  min-height: 0; padding: 0; border: 0; border-radius: calc(var(--_radius) * 0.4); background: none;
  justify-content: flex-start; color: var(--_accent); font-weight: 550; text-align: start; white-space: normal;
  overflow-wrap: anywhere;
}
a.link { text-decoration: none; }
.link:hover { text-decoration: underline; }
.crumbs .link { font-weight: 500; font-size: calc(var(--_font-size) * 13 / 14); }

.seg {
  display: inline-grid; grid-auto-flow: column; gap: 1px; align-self: flex-start;
  border: 1px solid var(--_border); border-radius: calc(var(--_radius) * 0.8); overflow: hidden; background: var(--_border);
}
/* A long group (Group by's four choices) goes on to a second row rather
   than past its box, at any width: larger text needs it on a wide page too. */
.seg.wrap { display: inline-flex; flex-wrap: wrap; max-width: 100%; }
.seg.wrap button { flex: 1 1 auto; }
.seg button {
  -webkit-appearance: none; appearance: none; border: 0; background: var(--_surface); cursor: pointer;
  min-height: 30px; padding: 4px 11px; font-size: calc(var(--_font-size) * 13 / 14); font-weight: 550; color: var(--_muted); white-space: nowrap;
}
.seg button[aria-pressed="true"] { background: var(--_accent-soft); color: var(--_text); box-shadow: inset 0 -2px 0 var(--_accent); }
.seg button:hover:not([aria-pressed="true"]) { background: var(--_surface-2); color: var(--_text); }
.seg button:focus-visible { outline-offset: -3px; }
.field { display: flex; flex-direction: column; gap: 4px; min-width: 0; }
.field > span, .field > label, .group-label { font-size: calc(var(--_font-size) * 12 / 14); font-weight: 600; color: var(--_muted); letter-spacing: 0.01em; }
.field input, .field select {
  min-height: 32px; padding: 4px 8px; border: 1px solid var(--_field-border); border-radius: calc(var(--_radius) * 0.8);
  background: var(--_surface); color: var(--_text); font-size: calc(var(--_font-size) * 13 / 14); min-width: 0;
}
.field input[type="date"] { min-width: 9.5em; }
.field input[aria-invalid="true"] { border-color: var(--_over); box-shadow: 0 0 0 1px var(--_over); }
.controls > .field-error { order: 1; flex-basis: 100%; margin-top: -4px; font-size: calc(var(--_font-size) * 12 / 14); color: var(--_over); }
.field-error:empty { display: none; }
.field select { padding-inline-end: 24px; }

:focus { outline: none; }
/* A date field's picker button is a focus stop of its own that no longer
   matches :focus-visible: the field keeps its ring (a text field shows one
   on any focus anyway). */
:focus-visible, .chart-box:focus-visible, .scroll:focus-visible, input[type="date"]:focus-within {
  outline: 2px solid var(--_focus); outline-offset: 2px; border-radius: calc(var(--_radius) * 0.6);
}

/* ---- status: progress, error, notice ---- */
.status:empty { display: none; }
.status { display: flex; flex-direction: column; gap: 8px; }
.progress {
  display: grid; grid-template-columns: 1fr auto; align-items: center; gap: 6px 12px;
  padding: 10px 12px; border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_surface);
}
.progress .label { font-size: calc(var(--_font-size) * 13 / 14); color: var(--_text); font-variant-numeric: tabular-nums; }
.progress .label b { font-weight: 600; }
.progress .track { grid-column: 1 / -1; grid-row: 2; height: 4px; border-radius: 2px; background: var(--_surface-3); overflow: hidden; position: relative; }
.progress .bar { position: absolute; inset: 0 auto 0 0; width: 35%; border-radius: 2px; background: var(--_accent); animation: pu-slide 1.3s ease-in-out infinite; }
@keyframes pu-slide { 0% { transform: translateX(-100%); } 100% { transform: translateX(290%); } }
@media (prefers-reduced-motion: reduce) { .progress .bar { animation: none; width: 100%; opacity: 0.5; } }

.banner {
  display: flex; align-items: flex-start; gap: 12px; padding: 12px 14px;
  border: 1px solid; border-radius: var(--_radius);
}
.banner.error { border-color: color-mix(in srgb, var(--_over) 45%, transparent); background: var(--_over-soft); }
.banner.notice { border-color: var(--_border); background: var(--_surface-2); }
.banner .icon { flex: none; width: 20px; height: 20px; margin-top: 1px; color: var(--_over); }
.banner.notice .icon { color: var(--_muted); }
.banner .body { flex: 1; min-width: 0; display: flex; flex-direction: column; gap: 2px; }
.banner .headline { font-weight: 650; }
.banner .message { overflow-wrap: anywhere; }
.banner .meta { font-size: calc(var(--_font-size) * 12 / 14); color: var(--_muted); overflow-wrap: anywhere; font-variant-numeric: tabular-nums; }
.banner .details [data-failure] { margin-top: 6px; }
.banner .details [data-failure] > .meta { display: block; }
.banner .details .correlation { color: var(--_muted); overflow-wrap: anywhere; }
.banner .details .correlation code, .banner .meta code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: calc(var(--_font-size) * 12 / 14); }
.banner .actions { flex: none; display: flex; gap: 8px; }
.banner .details summary { cursor: pointer; width: fit-content; font-size: calc(var(--_font-size) * 12 / 14); color: var(--_muted); }
.banner .details .message, .banner .details .when, .banner .details .correlation { display: block; margin-top: 2px; font-size: calc(var(--_font-size) * 12 / 14); }

/* ---- layout ---- */
.view { display: flex; flex-direction: column; gap: var(--_gap); min-width: 0; }
/* Cards as wide as their text needs: a larger text size (--pu-font-size, or a
   reader's) makes fewer, wider cards, not figures broken mid-number. */
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, calc(var(--_font-size) * 190 / 14)), 1fr)); gap: 12px; }
.card {
  display: flex; flex-direction: column; gap: 6px; min-width: 0;
  padding: 14px 16px; border: 1px solid var(--_border); border-radius: var(--_radius);
  background: var(--_surface); box-shadow: var(--_shadow);
}
.card .k { font-size: calc(var(--_font-size) * 12 / 14); font-weight: 600; color: var(--_muted); text-transform: uppercase; letter-spacing: 0.04em; overflow-wrap: anywhere; hyphens: auto; }
.card .v { font-size: calc(var(--_font-size) * 22 / 14); font-weight: 650; letter-spacing: -0.01em; font-variant-numeric: tabular-nums; line-height: 1.2; overflow-wrap: anywhere; }
.card .s { font-size: calc(var(--_font-size) * 12.5 / 14); color: var(--_muted); font-variant-numeric: tabular-nums; }
.card.over { border-color: color-mix(in srgb, var(--_over) 40%, var(--_border)); }
.card.over .v { color: var(--_over); }

.meter { display: flex; height: 8px; border-radius: calc(var(--_radius) * 0.4); overflow: hidden; background: var(--_surface-3); gap: 2px; }
.meter > span { display: block; min-width: 3px; }
.meter .over { background: var(--_over); }
.meter .near { background: var(--_near-fill); }
.meter .under { background: var(--_under); }
.meter .no-budget { background: var(--_none-fill); }
/* A cost that wasn't reported: the no-budget grey, striped (told apart by more than hue). */
.meter .unknown, .swatch.unknown { background: repeating-linear-gradient(135deg, var(--_none-fill) 0 2px, transparent 2px 4px); box-shadow: inset 0 0 0 1px var(--_none-fill); }
.meter .plan { background: var(--_accent); }
.meter .legacy { background: var(--_legacy); }
.keys { display: flex; flex-wrap: wrap; gap: 4px 12px; margin: 0; padding: 0; list-style: none; font-size: calc(var(--_font-size) * 12.5 / 14); color: var(--_muted); font-variant-numeric: tabular-nums; }
.keys li { display: inline-flex; align-items: center; gap: 6px; }
.keys b { color: var(--_text); font-weight: 600; }

.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 3px; flex: none; background: var(--_accent); }
.swatch.over { background: var(--_over); }
.swatch.near { background: var(--_near-fill); }
.swatch.under { background: var(--_under); }
.swatch.no-budget { background: var(--_none-fill); }
.swatch.others { background: var(--_others); box-shadow: inset 0 0 0 1px var(--_muted); }
.swatch.plan { background: var(--_accent); }
.swatch.legacy { background: var(--_legacy); }
.swatch.anomaly { background: none; border: 2px solid var(--_anomaly); border-radius: 50%; }

.panel {
  display: flex; flex-direction: column; gap: 12px; min-width: 0;
  padding: 16px; border: 1px solid var(--_border); border-radius: var(--_radius);
  background: var(--_surface); box-shadow: var(--_shadow);
}
.panel-head { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 8px 12px; }
.panel-head h3 { margin: 0; font-size: calc(var(--_font-size) * 15 / 14); font-weight: 650; }
.panel-head .hint { margin: 2px 0 0; font-size: calc(var(--_font-size) * 12.5 / 14); color: var(--_muted); }
.panel-tools { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
.grid-2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: var(--_gap); }

.controls { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 12px 16px; }
details.filters { margin-top: -4px; padding-top: 10px; border-top: 1px solid var(--_grid); }
details.filters > summary {
  display: inline-flex; align-items: center; gap: 6px; cursor: pointer; list-style: none;
  font-size: calc(var(--_font-size) * 12 / 14); font-weight: 600; color: var(--_muted); border-radius: calc(var(--_radius) * 0.6);
}
details.filters > summary::-webkit-details-marker { display: none; }
details.filters > summary::before { content: "▸" / ""; transition: transform 0.12s; }
details.filters[open] > summary::before { transform: rotate(90deg); }
details.filters[open] > summary { margin-bottom: 8px; }
.controls .grow { flex: 1 1 160px; }

/* ---- charts ---- */
.chart-box { position: relative; min-width: 0; border-radius: calc(var(--_radius) * 0.6); }
.chart-box .uplot { width: 100%; font-family: inherit; }
/* Labels are measured without the page's letter or word spacing (a
   text-spacing bookmarklet's): the canvas draws them without it too, so
   none is clipped. */
.chart-box canvas { letter-spacing: normal; word-spacing: normal; }
.chart-box .u-over { cursor: crosshair; }
.chart-box.clickable .u-over { cursor: pointer; }
.chart-box .u-select { background: color-mix(in srgb, var(--_accent) 12%, transparent); }
.chart-box .u-cursor-x, .chart-box .u-cursor-y { border-color: var(--_muted) !important; }
.tip {
  position: absolute; z-index: 2; pointer-events: none; max-width: min(320px, 80%);
  padding: 7px 10px; border-radius: calc(var(--_radius) * 0.8); border: 1px solid var(--_border);
  background: var(--_surface); color: var(--_text); box-shadow: 0 4px 14px rgb(0 0 0 / 0.14);
  font-size: calc(var(--_font-size) * 12.5 / 14); line-height: 1.35; font-variant-numeric: tabular-nums;
}
.tip[hidden] { display: none; }
.tip .t { font-weight: 650; overflow-wrap: anywhere; }
/* A long label ("Standard_D2s_v3 (Anomalie)") wraps, and the value goes
   under it when both don't fit on one line: nothing sticks out of the box. */
.tip .r { display: flex; flex-wrap: wrap; align-items: flex-start; column-gap: 6px; }
.tip .r > .swatch { margin-top: 0.25em; }
.tip .r > bdi { flex: 1 1 auto; min-width: 0; overflow-wrap: anywhere; }
.tip .r span:last-child { margin-inline-start: auto; padding-inline-start: 12px; font-weight: 600; white-space: nowrap; }
.tip .x { color: var(--_muted); }
.legend { display: flex; flex-wrap: wrap; gap: 6px 14px; margin: 0; padding: 0; list-style: none; font-size: calc(var(--_font-size) * 12.5 / 14); color: var(--_muted); }
.legend li { display: inline-flex; flex-wrap: wrap; align-items: center; gap: 6px; min-width: 0; }
.legend li b { color: var(--_text); font-weight: 600; font-variant-numeric: tabular-nums; }
.legend button.series-toggle {
  -webkit-appearance: none; appearance: none; display: inline-flex; align-items: center; gap: 6px;
  margin: -2px -4px; padding: 2px 4px; border: 0; border-radius: calc(var(--_radius) * 0.4); background: none;
  font: inherit; color: inherit; cursor: pointer; text-align: start;
}
.legend button.series-toggle:hover { background: var(--_surface-2); }
.legend button.series-toggle[aria-pressed="false"] { opacity: 0.55; }
.legend button.series-toggle[aria-pressed="false"] > bdi { text-decoration: line-through; }
.legend button.series-toggle[aria-pressed="false"] .swatch { background: transparent !important; box-shadow: inset 0 0 0 2px var(--_muted); }
.unit-chip { display: inline-block; padding: 1px 8px; border-radius: 999px; background: var(--_surface-3); color: var(--_text); font-size: calc(var(--_font-size) * 12 / 14); font-weight: 600; }

/* ---- tables ---- */
.scroll { overflow-x: auto; min-width: 0; }
/* A table wider than its box fades out at the right edge while there is
   more to scroll to, so columns out of sight don't go unnoticed. */
.scroll[data-more] {
  -webkit-mask-image: linear-gradient(to left, transparent, #000 36px);
  mask-image: linear-gradient(to left, transparent, #000 36px);
}
/* Not over what has focus, or its ring. */
.scroll[data-more]:focus-within { -webkit-mask-image: none; mask-image: none; }
table { width: 100%; border-collapse: collapse; font-size: calc(var(--_font-size) * 13 / 14); font-variant-numeric: tabular-nums; }
caption { text-align: start; font-weight: 650; padding: 0 0 8px; caption-side: top; }
caption.sr-only { padding: 0; }
th, td { padding: 8px 10px; border-bottom: 1px solid var(--_grid); text-align: start; vertical-align: middle; }
thead th { position: sticky; top: 0; background: var(--_surface-2); color: var(--_muted); font-size: calc(var(--_font-size) * 12 / 14); font-weight: 650; border-bottom-color: var(--_border); white-space: nowrap; }
thead th:first-child { border-start-start-radius: 6px; }
/* The first column (the row's name) stays in view while a wide table
   scrolls sideways; its own background hides what slides under it (a
   row's hover or status colour, set below, wins over this one). */
:where(.scroll tr > :first-child) { position: sticky; inset-inline-start: 0; z-index: 1; background: var(--_surface); }
thead th:first-child { z-index: 2; }
thead th:last-child { border-start-end-radius: 6px; }
td.num, th.num { text-align: end; white-space: nowrap; }
/* Sortable column headers: the header's text is a button; the chevron in
   force is drawn solid, the other faint (both faint when unsorted). */
th > button.sort {
  -webkit-appearance: none; appearance: none; display: inline-flex; align-items: center; gap: 2px;
  margin: -2px -4px; padding: 2px 4px; border: 0; border-radius: calc(var(--_radius) * 0.4); background: none;
  font: inherit; color: inherit; cursor: pointer; white-space: nowrap;
}
th > button.sort:hover { color: var(--_text); }
th > button.sort svg { width: 14px; height: 14px; flex: none; }
th > button.sort svg path { opacity: 0.35; }
th[aria-sort="ascending"] > button.sort svg path:first-child,
th[aria-sort="descending"] > button.sort svg path:last-child { opacity: 1; }
th[aria-sort="ascending"] > button.sort, th[aria-sort="descending"] > button.sort { color: var(--_text); }
tbody tr:hover > * { background: var(--_surface-2); }
tbody th { font-weight: 500; }
/* A row's name keeps its words whole: a table wider than its box would
   otherwise squeeze it to a few letters a line ("Humongou|s"); a word
   longer than the column widens it (the table scrolls sideways). */
tbody th[scope="row"] { min-width: 9.5em; }
tbody th .link { overflow-wrap: break-word; }
tr.is-over > * { background: color-mix(in srgb, var(--_over-soft) 55%, var(--_surface)); }
tr.is-over:hover > * { background: var(--_over-soft); }
tr.is-over > th:first-child { box-shadow: inset 3px 0 0 var(--_over); }
tr.child > th { padding-inline-start: 30px; font-weight: 400; color: var(--_text); }
tr.child > * { font-size: calc(var(--_font-size) * 12.5 / 14); }
tr.group > th { font-weight: 600; }
tr.others > * { color: var(--_muted); font-style: italic; }
tfoot td, tfoot th { font-weight: 650; border-bottom: 0; border-top: 1px solid var(--_border); }
.name { display: flex; flex-direction: column; align-items: flex-start; gap: 1px; min-width: 0; }
.name .sub { font-size: calc(var(--_font-size) * 12 / 14); color: var(--_muted); overflow-wrap: anywhere; font-weight: 400; }
.name .show-narrow { display: none; }
.cell-sub { display: block; font-size: calc(var(--_font-size) * 11.5 / 14); color: var(--_muted); font-weight: 400; }
.expander { -webkit-appearance: none; appearance: none; border: 0; background: none; cursor: pointer; padding: 0 6px 0 0; display: inline-flex; align-items: center; gap: 6px; font-weight: 600; color: var(--_text); text-align: start; }
.expander::before { content: "▸" / ""; display: inline-block; width: 1em; color: var(--_muted); transition: transform 0.12s; }
.expander[aria-expanded="true"]::before { transform: rotate(90deg); }

.badge {
  display: inline-flex; align-items: center; gap: 5px; padding: 2px 8px; border-radius: 999px;
  font-size: calc(var(--_font-size) * 12 / 14); font-weight: 600; white-space: nowrap; background: var(--_none-soft); color: var(--_none);
}
.badge::before { content: ""; width: 6px; height: 6px; border-radius: 50%; background: currentColor; }
.badge.over { background: var(--_over-soft); color: var(--_over); }
.badge.near { background: var(--_near-soft); color: var(--_near); }
.badge.under { background: var(--_under-soft); color: var(--_under); }
/* Cost unknown: the no-budget colours, with a hollow dot. */
.badge.unknown::before { background: none; box-shadow: inset 0 0 0 1.5px currentColor; }
.badge.plain::before { display: none; }
/* In a card a long status ("Dentro del presupuesto") wraps rather than sticking out. */
.card .badge { white-space: normal; max-width: 100%; }
.anomaly-flag { margin-inline-start: 6px; }
.badge.legacy { background: color-mix(in srgb, var(--_legacy) 14%, transparent); color: var(--_legacy); }

.empty {
  display: flex; flex-direction: column; align-items: center; gap: 6px; padding: 36px 16px; text-align: center;
  border: 1px dashed var(--_border); border-radius: var(--_radius); color: var(--_muted); background: var(--_surface);
}
.empty .headline { color: var(--_text); font-weight: 650; font-size: calc(var(--_font-size) * 15 / 14); }
.empty svg { width: 28px; height: 28px; color: var(--_muted); }

/* Table panels (no chart, no tooltip to clip) below the fold skip layout
   and paint until scrolled near: the first chart came about 90 ms sooner
   after the data arrived (median of 7 loads of the demo, 293 -> 196 ms).
   Their content stays in the accessibility tree, find-in-page and print. */
.panel:not([data-panel]) { content-visibility: auto; contain-intrinsic-size: auto 480px; }
td.no-match { padding: 20px 12px; text-align: center; color: var(--_muted); white-space: normal; }
.more { display: flex; flex-wrap: wrap; justify-content: center; gap: 8px; padding-top: 4px; }
.more:focus { outline: none; }
.skip { align-self: flex-start; }
.skip[hidden] { display: none; }
.skip:not(:focus) {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
.note { margin: 0; font-size: calc(var(--_font-size) * 12.5 / 14); color: var(--_muted); }

.skeleton { display: grid; gap: 12px; }
.skeleton div { height: 84px; border-radius: var(--_radius); background: var(--_surface-2); border: 1px solid var(--_border); }
.skeleton div.tall { height: 280px; }

/* ---- narrow containers (a 360 px sidebar) ---- */
@container pu (max-width: 600px) {
  .root { padding: 12px; gap: 12px; }
  h2.title { font-size: calc(var(--_font-size) * 18 / 14); }
  .cards { grid-template-columns: 1fr 1fr; gap: 8px; }
  /* Two cards a row: a figure gets smaller before it breaks ("€10,462.3"
     over "5" at 320 px): a character is about 0.6 em, so --len (the
     figure's length, set by the view) characters fit at 150 % / --len of
     the card's width. */
  .card { padding: 10px 12px; container-type: inline-size; }
  .card .v { font-size: clamp(calc(var(--_font-size) * 12 / 14), calc(150cqi / var(--len, 10)), calc(var(--_font-size) * 18 / 14)); }
  .card.wide { grid-column: 1 / -1; }
  .cards.stack { grid-template-columns: 1fr; }
  .cards > .card:last-child:nth-child(odd) { grid-column: 1 / -1; }
  /* The buttons share rows as they fit, each as wide as its label needs and
     the row's rest shared out; a label wider than the whole row
     ("Groupe de ressources", "Ressourcengruppe" at 320 px) wraps, within a
     word if it must, instead of widening the group. */
  .seg.wrap { display: flex; flex-wrap: wrap; max-width: 100%; }
  .seg.wrap button { flex: 1 1 auto; min-width: 0; white-space: normal; overflow-wrap: anywhere; hyphens: auto; }
  .controls > .field:has(.seg.wrap) { flex-basis: 100%; }
  tbody th[scope="row"] { min-width: 9.5em; }
  /* Where tables scroll sideways, a line marks the edge the others slide under. */
  :where(.scroll tr > :first-child)::after { content: ""; position: absolute; top: 0; bottom: 0; right: 0; width: 1px; background: var(--_grid); }
  .link { overflow-wrap: break-word; }
  .btn .long { display: none; }
  .panel { padding: 12px; }
  .grid-2 { grid-template-columns: 1fr; }
  th, td { padding: 7px 6px; }
  .hide-narrow { display: none; }
  .name .show-narrow { display: block; }
  .toolbar { width: 100%; }
  .controls { gap: 10px; }
  .controls .field { flex: 1 1 140px; }
  .banner { flex-wrap: wrap; }
  .banner .actions { width: 100%; justify-content: flex-end; }
}

/* ---- a view out of date: the numbers shown are for the previous options ----
   While the new ones load (aria-busy), its data is dimmed; its own controls
   (dates, filters, group-by) are not, as they stay in use. When the reload
   failed (the error banner says so) the old data stays at full contrast,
   readable, but without its colours. */
.content.stale[aria-busy="true"] > .view > :not(.controls, details.filters) { opacity: 0.55; }
.content.stale:not([aria-busy="true"]) > .view > :not(.controls, details.filters) { filter: grayscale(1); }
@media (prefers-reduced-motion: no-preference) {
  .content.stale[aria-busy="true"] > .view > :not(.controls, details.filters) { transition: opacity 0.15s; }
}

/* ---- more contrast asked for: stronger lines, borders and secondary text ---- */
@media (prefers-contrast: more) {
  :host, :host([theme="light"]) { ${LIGHT_MORE} }
  :host([theme="dark"]) { ${DARK_MORE} }
}
@media (prefers-contrast: more) and (prefers-color-scheme: dark) {
  :host(:not([theme="light"])) { ${DARK_MORE} }
}

/* ---- forced colours (Windows High Contrast): the system's colours replace
   ours, and backgrounds and shadows are dropped. The data palette follows
   the system's light or dark (whatever the theme attribute says), colour
   keys, meters and the progress bar keep their colours, and a pressed
   toggle is the system's highlight ---- */
@media (forced-colors: active) {
  :host, :host(:not([theme="light"])), :host([theme="dark"]) { ${LIGHT} }
  .swatch, .meter > span, .progress .bar { forced-color-adjust: none; }
  .progress .bar { background: Highlight; }
  .progress .track, .meter { outline: 1px solid CanvasText; }
  .seg { background: CanvasText; }
  .seg button { background: Canvas; color: CanvasText; }
  /* Not adjusted: forced colours would draw a Canvas backplate behind the text. */
  .seg button[aria-pressed="true"] { forced-color-adjust: none; background: Highlight; color: HighlightText; }
  .seg button[aria-pressed="true"]:focus-visible { outline-color: HighlightText; }
  .legend button.series-toggle[aria-pressed="false"] .swatch { box-shadow: inset 0 0 0 2px GrayText; }
  .btn[aria-disabled="true"] { color: GrayText; border-color: GrayText; }
  /* What opens a view reads as a link, and a legend entry as a button,
     where colour alone no longer tells them from text. */
  .link, a.link { color: LinkText; text-decoration: underline; }
  .legend button.series-toggle { border: 1px solid ButtonText; margin: 0; }
}
@media (forced-colors: active) and (prefers-color-scheme: dark) {
  :host, :host(:not([theme="light"])), :host([theme="dark"]) { ${DARK} }
}

/* ---- paper: the light palette whatever the system's theme (the charts are
   redrawn with it when printing starts), no shadows, only what reads on
   paper, and no panel split across pages where it fits on one ---- */
@media print {
  :host, :host(:not([theme="light"])), :host([theme="dark"]) { ${PAPER} background: #fff; }
  .toolbar, .panel-tools, .more, .progress, .panel-head .field, th > button.sort svg { display: none; }
  .card, .panel { box-shadow: none; break-inside: avoid; }
  thead th { position: static; }
  .scroll { overflow: visible; }
  .scroll[data-more] { -webkit-mask-image: none; mask-image: none; }
}
`;

let sheets = null;

/** The component's stylesheets (created once, shared by every instance). */
export function styleSheets() {
  if (!sheets) {
    const uplot = new CSSStyleSheet();
    uplot.replaceSync(uplotCss);
    const own = new CSSStyleSheet();
    own.replaceSync(css);
    sheets = [uplot, own];
  }
  return sheets;
}
