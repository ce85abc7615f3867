// Charts of <partner-usage-dashboard>, drawn with the vendored uPlot.
//
// Why uPlot: about 22 KB gzip (Chart.js is about 71 KB), a canvas renderer
// that draws 100k+ points of a utilization series without stutter, no
// dependencies, no inline <style> (its CSS goes into the shadow root as a
// constructable stylesheet) and no innerHTML (it only sets textContent and
// CSSOM styles), so it runs under the strict CSP.
//
// Each chart lives in a focusable `.chart-box` with:
// - a tooltip that follows the pointer (at most 8 rows, then "n more"; Escape
//   closes it wherever focus is), and the keyboard: arrow keys move between
//   bars or buckets, Home/End jump, Enter activates a bar;
// - an announcement of the focused value through the component's live region;
// - a ResizeObserver that keeps it as wide as its container;
// - in forced colours, the system's colours (read by `themeColors`); a canvas
//   never taller than browsers draw.

import uPlot from './vendor/uplot/uPlot.min.js';
import { bidi, h, isolate, replace } from './dashboard-dom.js';
import { counted, ellipsis } from './dashboard-format.js';
import en from './dashboard-messages.js';

/** Whether the page is in a forced-colours mode (Windows High Contrast and the like). */
export function forcedColors() {
  return typeof matchMedia === 'function' && matchMedia('(forced-colors: active)').matches;
}

/**
 * CSS system colours as concrete `rgb(...)`: a canvas can't draw `CanvasText`.
 * Read from a hidden probe in `host`'s tree (system colours only resolve on
 * a connected element).
 */
function systemColors(host) {
  const probe = document.createElement('span');
  probe.hidden = true;
  probe.style.forcedColorAdjust = 'none';
  (host.shadowRoot || host).append(probe);
  const out = {};
  for (const name of ['Canvas', 'CanvasText', 'GrayText', 'Highlight']) {
    probe.style.color = name;
    out[name] = getComputedStyle(probe).color;
  }
  probe.remove();
  return out;
}

/** The canvases' colours: key → [token (`--pu-<token>`), default]. */
const CANVAS_COLORS = {
  text: ['text', '#1f2328'],
  muted: ['muted', '#59636e'],
  grid: ['grid', '#e8ebef'],
  border: ['border', '#d1d9e0'],
  surface: ['surface', '#ffffff'],
  accent: ['accent', '#0f6cbd'],
  over: ['over', '#c4242c'],
  near: ['near-fill', '#d98b00'],
  under: ['under', '#0f6cbd'],
  none: ['none-fill', '#8696a7'],
  others: ['others', '#c2cad3'],
  anomaly: ['anomaly', '#c4242c'],
  legacy: ['legacy', '#7a4cc2'],
};
const SERIES_TOKENS = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => `series-${i}`);

/**
 * Every token the canvases are drawn with (their font size too): the
 * stylesheet watches these for a page's run-time theme switch.
 */
export const CANVAS_TOKENS = [...Object.values(CANVAS_COLORS).map(([t]) => t), ...SERIES_TOKENS, 'font-size'];

/**
 * Reads the theme's colours from the host's custom properties. In forced
 * colours the text, lines and background are the system's colours (the
 * stylesheet already switches the data palette to the system's light or
 * dark), so the canvas reads like the rest of the page.
 */
export function themeColors(host) {
  const cs = getComputedStyle(host);
  const v = (n, d) => cs.getPropertyValue(`--_${n}`).trim() || d;
  const colors = {
    ...Object.fromEntries(Object.entries(CANVAS_COLORS).map(([k, [token, d]]) => [k, v(token, d)])),
    series: SERIES_TOKENS.map((t) => v(t, '#0f6cbd')),
    font: cs.fontFamily || 'system-ui, sans-serif',
    // Canvas text follows --pu-font-size (14px by default), as the page's does.
    scale: parseFloat(cs.fontSize) / 14 || 1,
    forced: false,
  };
  if (forcedColors() && host.isConnected) {
    const s = systemColors(host);
    Object.assign(colors, {
      text: s.CanvasText,
      muted: s.CanvasText,
      grid: s.GrayText,
      border: s.CanvasText,
      surface: s.Canvas,
      accent: s.Highlight,
      forced: true,
    });
  }
  return colors;
}

let measureCtx = null;
/**
 * An axis's tick labels, `tick(value, more)` each: with as few digits as
 * keep them apart, so ticks of 0.028 to 0.037 don't all read "0".
 */
export function tickLabels(splits, tick) {
  const distinct = new Set(splits).size;
  let labels = [];
  for (let more = 0; more <= 6; more += 1) {
    labels = splits.map((v) => tick(v, more));
    if (new Set(labels).size >= distinct) break;
  }
  return labels;
}

function textWidth(text, font) {
  measureCtx ??= document.createElement('canvas').getContext('2d');
  measureCtx.font = font;
  return measureCtx.measureText(text).width;
}

/**
 * Fits a label into `px` pixels, with an ellipsis at the end, or in the
 * middle (`middle`), which keeps the label's end.
 */
function fitLabel(label, px, font, middle = false) {
  const s = String(label ?? '');
  if (textWidth(s, font) <= px) return s;
  const cut = middle ? (n) => middleEllipsis(s, n) : (n) => ellipsis(s, n);
  let lo = 1;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (textWidth(cut(mid), font) <= px) lo = mid;
    else hi = mid - 1;
  }
  return cut(lo);
}

/** `text` in `max` characters, the ellipsis in the middle. */
function middleEllipsis(text, max) {
  if (text.length <= max) return text;
  const tail = Math.floor((max - 1) / 2);
  return `${text.slice(0, Math.max(1, max - 1 - tail)).trimEnd()}…${text.slice(text.length - tail).trimStart()}`;
}

/**
 * Labels fitted into `px` pixels, each cut at its end; labels that would
 * then read the same (names alike up to a suffix, such as "Azure plan -
 * Production (b35713bd)" and "(158c6e32)") are cut in the middle instead,
 * so their ends still tell them apart.
 *
 * @example fitLabels(['Azure plan - Production (b35713bd)', 'Azure plan - Production (158c6e32)'], 120, font)
 *   // ['Azure pla…b35713bd)', 'Azure pla…158c6e32)']
 */
export function fitLabels(labels, px, font) {
  const fitted = labels.map((l) => fitLabel(l, px, font));
  const seen = new Map();
  for (const l of fitted) seen.set(l, (seen.get(l) || 0) + 1);
  return fitted.map((l, i) => (seen.get(l) > 1 && l !== String(labels[i] ?? '') ? fitLabel(labels[i], px, font, true) : l));
}

/** Rows a tooltip lists (then "n more"). */
const TIP_ROWS = 8;
/** Rows a keyboard readout announces (then "n more"): each arrow key says only this much. */
const SAY_ROWS = 5;
/** A canvas side and area every browser draws (MDN's "maximum canvas size"; larger ones come out blank). */
const MAX_CANVAS_SIDE = 32_767;
const MAX_CANVAS_AREA = 268_435_456;

/** The tallest chart (CSS px) whose canvas a browser still draws at this width. */
function maxHeight(width) {
  const r = uPlot.pxRatio || 1;
  return Math.max(90, Math.floor(Math.min(MAX_CANVAS_SIDE / r, MAX_CANVAS_AREA / (Math.max(1, width) * r * r))));
}

class Chart {
  /**
   * @param {HTMLElement} box the `.chart-box` element (emptied)
   * @param {object} o options, see subclasses
   */
  constructor(box, o) {
    this.box = box;
    this.o = o;
    /** The dashboard's words (`o.m`), English by default. */
    this.m = o.m || en;
    this.index = -1;
    /** The bucket/bar whose hover tooltip Escape closed (it stays closed until the pointer moves on). */
    this.dismissed = -1;
    this.tip = h('div', { class: 'tip', hidden: true, 'aria-hidden': 'true' });
    // The canvas is a picture of the data: the group's label and the
    // keyboard readout (and the table view) are its text alternative.
    this.host = h('div', { class: 'plot', 'aria-hidden': 'true' });
    replace(box, this.host, this.tip);
    box.tabIndex = 0;
    box.setAttribute('role', 'group');
    box.setAttribute('aria-roledescription', this.m.chartRole);
    box.setAttribute('aria-label', o.ariaLabel);
    this.onKey = (e) => this.key(e);
    this.onBlur = () => this.hideTip();
    // Escape closes a tooltip the pointer opened, wherever focus is (WCAG 1.4.13).
    this.onDocKey = (e) => {
      if (e.key !== 'Escape' || this.tip.hidden) return;
      this.dismissed = this.index;
      this.hideTip();
    };
    this.listening = false;
    box.addEventListener('keydown', this.onKey);
    box.addEventListener('blur', this.onBlur);
    this.width = Math.max(200, Math.floor(box.clientWidth || o.width || 640));
    this.u = new uPlot(this.options(), this.data(), this.host);
    this.u.over.addEventListener('mouseleave', () => { this.dismissed = -1; this.hideTip(); });
    this.u.over.addEventListener('click', () => {
      const i = this.u.cursor.idx;
      if (i != null && this.o.onActivate) this.o.onActivate(i);
    });
    this.ro = new ResizeObserver(() => {
      const w = Math.floor(box.clientWidth);
      if (w > 0 && Math.abs(w - this.width) > 1) {
        this.width = w;
        this.resized();
        this.u.setSize({ width: w, height: this.height() });
      }
    });
    this.ro.observe(box);
  }

  resized() {}

  destroy() {
    this.hideTip();
    this.ro.disconnect();
    this.box.removeEventListener('keydown', this.onKey);
    this.box.removeEventListener('blur', this.onBlur);
    this.u.destroy();
  }

  get length() {
    return this.u.data[0].length;
  }

  hooks() {
    return {
      setCursor: [
        (u) => {
          const i = u.cursor.idx;
          if (i == null || u.cursor.left < 0) {
            if (document.activeElement !== this.box && !this.box.matches(':focus')) this.hideTip();
            return;
          }
          this.index = i;
          if (i === this.dismissed) return;
          this.dismissed = -1;
          this.showTip(i);
        },
      ],
    };
  }

  key(e) {
    const n = this.length;
    if (!n) return;
    let i = this.index < 0 ? -1 : this.index;
    const step = this.o.pageStep || 7;
    switch (e.key) {
      case 'ArrowRight':
      case 'ArrowDown':
        i = Math.min(n - 1, i + 1);
        break;
      case 'ArrowLeft':
      case 'ArrowUp':
        i = Math.max(0, i < 0 ? 0 : i - 1);
        break;
      case 'PageDown':
        i = Math.min(n - 1, Math.max(0, i) + step);
        break;
      case 'PageUp':
        i = Math.max(0, i - step);
        break;
      case 'Home':
        i = 0;
        break;
      case 'End':
        i = n - 1;
        break;
      case 'Enter':
      case ' ':
        // Space on the chart is the chart's, never the page's scroll: it
        // opens the point shown (a bar that opens a view), or shows the first.
        if (e.key === ' ') e.preventDefault();
        if (i >= 0 && this.o.onActivate) {
          e.preventDefault();
          this.o.onActivate(i);
        } else if (i < 0 && e.key === ' ') {
          this.focusIndex(0);
        }
        return;
      case 'Escape':
        this.dismissed = this.index;
        this.hideTip();
        return;
      default:
        return;
    }
    e.preventDefault();
    this.focusIndex(i);
  }

  /** Moves the cursor to bucket/bar `i` and announces it. */
  focusIndex(i) {
    this.index = i;
    this.dismissed = -1;
    const pos = this.cursorPos(i);
    this.u.setCursor({ left: pos.left, top: pos.top });
    this.showTip(i);
    // What the tooltip says: its title, the line under it (a budget status,
    // a total) and the first few rows.
    const d = this.fit(this.describe(i), SAY_ROWS);
    this.o.announce?.([d.title, d.sub, ...d.rows.map((r) => (r.value === '' ? r.label : `${r.label}: ${r.value}`))]
      .filter((x) => x != null && x !== '').join(', '));
  }

  /**
   * `d` with at most `n` rows, the rest counted in an "n more" row (a
   * trailing row with `more` is such a count already). One row over `n` is
   * shown rather than counted.
   */
  fit(d, n) {
    let rows = d.rows;
    let rest = 0;
    if (rows.length && rows[rows.length - 1].more) {
      rest = rows[rows.length - 1].more;
      rows = rows.slice(0, -1);
    }
    if (rows.length > n + (rest ? 0 : 1)) {
      rest += rows.length - n;
      rows = rows.slice(0, n);
    } else if (!rest) {
      return d;
    }
    return {
      ...d,
      rows: rows.concat([{ color: 'transparent', label: this.m.moreItems(counted(rest, this.o.locale)), value: '', more: rest }]),
    };
  }

  showTip(i) {
    const d = this.fit(this.describe(i), TIP_ROWS);
    replace(
      this.tip,
      h('div', { class: 't' }, bidi(d.title)),
      d.sub ? h('div', { class: 'x' }, d.sub) : null,
      d.rows.map((r) => {
        const sw = h('span', { class: 'swatch' });
        sw.style.background = r.color;
        if (r.ring) {
          sw.style.background = 'transparent';
          sw.style.border = `2px solid ${r.ring}`;
          sw.style.borderRadius = '50%';
        }
        return h('div', { class: 'r' }, sw, bidi(r.label), h('span', null, r.value));
      }),
    );
    this.tip.hidden = false;
    if (!this.listening) {
      document.addEventListener('keydown', this.onDocKey);
      this.listening = true;
    }
    const over = this.u.over.getBoundingClientRect();
    const box = this.box.getBoundingClientRect();
    const pos = this.cursorPos(i);
    const tw = this.tip.offsetWidth;
    const th = this.tip.offsetHeight;
    let x = over.left - box.left + pos.left + 14;
    let y = over.top - box.top + pos.top - th / 2;
    if (x + tw > box.width) x = over.left - box.left + pos.left - tw - 14;
    x = Math.max(0, x);
    y = Math.max(0, Math.min(y, box.height - th));
    this.tip.style.left = `${Math.round(x)}px`;
    this.tip.style.top = `${Math.round(y)}px`;
  }

  hideTip() {
    this.tip.hidden = true;
    if (this.listening) {
      document.removeEventListener('keydown', this.onDocKey);
      this.listening = false;
    }
  }
}

/**
 * Horizontal bars, one per category, sorted as given.
 *
 * o: { labels, values, colors, format(v) (full value), tick(v) (compact),
 *      ariaLabel, announce(text), onActivate(i), describe(i) → {title, sub, rows} (optional),
 *      seriesLabel }
 */
export class BarChart extends Chart {
  constructor(box, o, theme) {
    o.theme = theme;
    o.font = `${12 * theme.scale}px ${theme.font}`;
    o.tickFont = `${11 * theme.scale}px ${theme.font}`;
    super(box, o);
    if (o.onActivate) box.classList.add('clickable');
    // A label cut short is whole in its bar's tooltip: hovering a label
    // shows that tooltip, and clicking it drills down as the bar does.
    // (The plot area is uPlot's own; this is the label column left of it.)
    this.labelHover = false;
    this.host.addEventListener('mousemove', (e) => {
      const i = this.labelAt(e);
      if (i < 0) {
        if (this.labelHover) {
          this.labelHover = false;
          this.host.style.cursor = '';
          if (!this.u.over.contains(e.target)) this.hideTip();
        }
        return;
      }
      this.labelHover = true;
      if (o.onActivate) this.host.style.cursor = 'pointer';
      if (i !== this.index || this.tip.hidden) {
        const pos = this.cursorPos(i);
        this.u.setCursor({ left: pos.left, top: pos.top });
      }
    });
    this.host.addEventListener('mouseleave', () => {
      if (!this.labelHover) return;
      this.labelHover = false;
      this.host.style.cursor = '';
      this.dismissed = -1;
      this.hideTip();
    });
    this.host.addEventListener('click', (e) => {
      const i = this.labelAt(e);
      if (i >= 0 && o.onActivate) o.onActivate(i);
    });
  }

  /** The bar whose label (left of the plot) is under the pointer, or -1. */
  labelAt(e) {
    const over = this.u.over.getBoundingClientRect();
    if (e.clientX >= over.left || e.clientY < over.top || e.clientY > over.bottom) return -1;
    const i = Math.round(this.u.posToVal(e.clientY - over.top, 'x'));
    // (Math.abs: rounding gives -0 near the first bar's line.)
    return i >= 0 && i < this.length ? Math.abs(i) : -1;
  }

  height() {
    // The views cap the bars; this keeps the canvas within what browsers draw.
    return Math.min(Math.max(90, this.o.labels.length * 30 + 36), maxHeight(this.width));
  }

  labelWidth() {
    const max = Math.max(...this.o.labels.map((l) => textWidth(String(l), this.o.font)), 40);
    return Math.ceil(Math.min(max + 14, Math.max(90, this.width * 0.42)));
  }

  resized() {
    this.lw = this.labelWidth();
  }


  data() {
    return [this.o.labels.map((_, i) => i), this.o.values.slice()];
  }

  cursorPos(i) {
    return { left: this.u.valToPos(this.o.values[i] || 0, 'y'), top: this.u.valToPos(i, 'x') };
  }

  describe(i) {
    if (this.o.describe) return this.o.describe(i);
    const segs = this.o.stacks?.[i];
    if (segs && segs.length) {
      return {
        title: this.o.labels[i],
        sub: `${this.o.seriesLabel || this.m.total}: ${this.o.format(this.o.values[i])}`,
        rows: segs.slice(0, 8).map((sg) => ({ color: sg.color, label: sg.label, value: this.o.format(sg.value) }))
          .concat(segs.length > 8 ? [{ color: 'transparent', label: this.m.moreItems(counted(segs.length - 8, this.o.locale)), value: '', more: segs.length - 8 }] : []),
      };
    }
    return {
      title: this.o.labels[i],
      rows: [{ color: this.o.colors[i], label: this.o.seriesLabel || this.m.value, value: this.o.format(this.o.values[i]) }],
    };
  }

  /**
   * The value axis's range. Bars in `overflow` (the "others" row) may run
   * off the right edge, so that they don't squash every other bar. It
   * leaves room after each bar for its value label where it can (up to
   * 60 % of the plot), so that no label is drawn over the end of a bar,
   * where a stack's smallest segments are.
   */
  valueRange() {
    const vals = this.o.values.filter((_, i) => !this.o.overflow?.includes(i));
    const lo = Math.min(0, ...vals);
    const hi = Math.max(0, ...vals);
    let need = hi;
    const plot = this.width - (this.lw ?? 0) - 40;
    if (hi > 0 && this.lw != null && plot > 0) {
      const font = `600 ${11 * this.o.theme.scale}px ${this.o.theme.font}`;
      for (const v of vals) {
        if (!(v > 0)) continue;
        const room = plot - textWidth(this.o.tick(v), font) - 10;
        if (room > plot * 0.4) need = Math.max(need, (v * plot) / room);
      }
    }
    const [a, b] = uPlot.rangeNum(lo, need || 1, need > hi ? 0.02 : 0.12, true);
    return [lo < 0 ? a : 0, b];
  }

  options() {
    this.geom = [];
    const { theme: t, labels, colors } = this.o;
    const n = labels.length;
    this.lw = this.labelWidth();
    const font = this.o.font;
    return {
      width: this.width,
      height: this.height(),
      // On the right, room for half the last tick label, which is centred
      // on the plot's edge ("13.000 $" in de-DE is wider than "$13K").
      padding: [8, Math.max(16, Math.ceil(textWidth(this.o.tick(this.valueRange()[1]), this.o.tickFont) / 2) + 4), 0, 0],
      legend: { show: false },
      select: { show: false },
      cursor: {
        drag: { x: false, y: false, setScale: false },
        points: { show: false },
        x: false,
        y: false,
      },
      scales: {
        x: { time: false, ori: 1, dir: -1, range: [-0.5, n - 0.5] },
        y: {
          ori: 0,
          dir: 1,
          range: () => this.valueRange(),
        },
      },
      axes: [
        {
          scale: 'x',
          side: 3,
          size: () => this.lw,
          gap: 8,
          font,
          stroke: t.text,
          ticks: { show: false },
          grid: { show: false },
          splits: () => labels.map((_, i) => i),
          values: (u, splits) => {
            const fitted = fitLabels(labels, this.lw - 14, font);
            return splits.map((i) => isolate(fitted[i]));
          },
        },
        {
          scale: 'y',
          side: 2,
          size: Math.round(30 * t.scale),
          gap: 6,
          // Room between ticks grows with the text (--pu-font-size, or a
          // reader's larger text), so labels never run into each other.
          space: 70 * t.scale,
          font: this.o.tickFont,
          stroke: t.muted,
          ticks: { show: false },
          grid: { stroke: t.grid, width: 1 },
          values: (u, splits) => tickLabels(splits, this.o.tick),
        },
      ],
      series: [
        {},
        {
          label: this.o.seriesLabel || this.m.value,
          width: 0,
          fill: t.accent,
          stroke: t.accent,
          points: { show: false },
          paths: uPlot.paths.bars({
            size: [0.66, 22],
            radius: 0.18,
            align: 0,
            // With stacks, the bars are drawn segment by segment in a hook.
            disp: { fill: { unit: 3, values: () => (this.o.stacks ? colors.map(() => 'rgba(0,0,0,0)') : colors) } },
            each: (u, si, i, left, top, width, height) => { this.geom[i] = { left, top, width, height }; },
          }),
        },
      ],
      hooks: {
        ...this.hooks(),
        draw: [(u) => { if (this.o.stacks) this.drawStacks(u); this.outlineOverflow(u); this.valueLabels(u); }],
      },
    };
  }

  /**
   * An outline around each "Others" bar (the `overflow` rows): its light
   * fill keeps it apart from the data colours, and the outline gives it the
   * 3:1 contrast a graphic needs against the background.
   */
  outlineOverflow(u) {
    const rows = this.o.overflow;
    if (!rows?.length) return;
    const ctx = u.ctx;
    const dpr = uPlot.pxRatio;
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    ctx.clip();
    ctx.strokeStyle = this.o.theme.muted;
    ctx.lineWidth = dpr;
    for (const i of rows) {
      const g = this.geom[i];
      if (!g || !(g.width > 0)) continue;
      const w = Math.max(1, g.width - dpr);
      const hgt = Math.max(1, g.height - dpr);
      ctx.beginPath();
      if (ctx.roundRect) ctx.roundRect(g.left + dpr / 2, g.top + dpr / 2, w, hgt, Math.min(w, hgt) * 0.18);
      else ctx.rect(g.left + dpr / 2, g.top + dpr / 2, w, hgt);
      ctx.stroke();
    }
    ctx.restore();
  }

  /** Two slanted cuts, from `x` on, across a bar that runs off the scale. */
  breakMark(u, x, i) {
    const g = this.geom[i];
    if (!g) return;
    const ctx = u.ctx;
    const dpr = uPlot.pxRatio;
    ctx.save();
    ctx.strokeStyle = this.o.theme.surface;
    ctx.lineWidth = 3 * dpr;
    for (const dx of [0, 6 * dpr]) {
      ctx.beginPath();
      ctx.moveTo(x + dx - 3 * dpr, g.top + g.height + 1);
      ctx.lineTo(x + dx + 3 * dpr, g.top - 1);
      ctx.stroke();
    }
    ctx.restore();
  }

  /** Two-level bars: each bar split into its children's segments. */
  drawStacks(u) {
    const ctx = u.ctx;
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    ctx.clip();
    const gap = Math.max(1, Math.round(uPlot.pxRatio));
    this.o.stacks.forEach((segs, i) => {
      const g = this.geom[i];
      if (!g) return;
      let from = 0;
      const segsOrAll = segs && segs.length ? segs : [{ value: this.o.values[i], color: this.o.colors[i] }];
      for (const sg of segsOrAll) {
        const x0 = u.valToPos(from, 'y', true);
        const x1 = u.valToPos(from + sg.value, 'y', true);
        from += sg.value;
        ctx.fillStyle = sg.color;
        ctx.fillRect(Math.round(x0), Math.round(g.top), Math.max(1, Math.round(x1 - x0) - gap), Math.round(g.height));
      }
    });
    ctx.restore();
  }

  /** Writes each bar's value at its end (inside the bar when it runs off the plot). */
  valueLabels(u) {
    const ctx = u.ctx;
    const dpr = uPlot.pxRatio;
    const t = this.o.theme;
    const right = u.bbox.left + u.bbox.width;
    ctx.save();
    ctx.font = `600 ${Math.round(11 * t.scale * dpr)}px ${t.font}`;
    ctx.textBaseline = 'middle';
    this.o.values.forEach((v, i) => {
      if (v == null) return;
      const text = this.o.tick(v);
      const w = ctx.measureText(text).width;
      const x = u.valToPos(v, 'y', true);
      const y = u.valToPos(i, 'x', true);
      const pad = 6 * dpr;
      if (x + pad + w > right) {
        // No room after the bar: write it inside, on a small pill so it
        // reads on any bar colour; never over the bar names left of the
        // plot (a long label on a narrow chart: 360 px in Arabic).
        const px = Math.max(u.bbox.left + 4 * dpr, Math.min(x, right) - pad - w);
        const ph = 16 * dpr;
        ctx.fillStyle = t.surface;
        ctx.globalAlpha = 0.9;
        ctx.beginPath();
        if (ctx.roundRect) ctx.roundRect(px - 4 * dpr, y - ph / 2, w + 8 * dpr, ph, 4 * dpr);
        else ctx.rect(px - 4 * dpr, y - ph / 2, w + 8 * dpr, ph);
        ctx.fill();
        ctx.globalAlpha = 1;
        ctx.fillStyle = t.text;
        ctx.textAlign = 'left';
        ctx.fillText(text, px, y);
        // The cut goes just before the pill, however wide the label is.
        if (v > u.scales.y.max) this.breakMark(u, Math.min(right - 70 * dpr, px - 16 * dpr), i);
      } else {
        ctx.fillStyle = t.muted;
        ctx.textAlign = 'left';
        ctx.fillText(text, x + pad, y);
      }
    });
    ctx.restore();
  }
}

/**
 * A time series of one unit: one line per series, anomalies marked.
 *
 * o: { x: Float64Array (ms), series: [{label, values, color, anomalies: number[]}],
 *      format(v), tick(v), date(ms), tickDate(ms, incrMs), ariaLabel, announce,
 *      bucketTicks (label the buckets' starts: weeks, months) }
 * One or two buckets are drawn as bars.
 */
export class TimeChart extends Chart {
  constructor(box, o, theme) {
    o.theme = theme;
    super(box, o);
  }

  height() {
    return this.width < 480 ? 220 : 280;
  }

  data() {
    return [Array.from(this.o.x), ...this.o.series.map((s) => Array.from(s.values))];
  }

  cursorPos(i) {
    // Place the cursor on the first visible series' value.
    const first = this.o.series.find((s, k) => this.visible(k));
    const v = first ? first.values[i] : 0;
    return { left: this.u.valToPos(this.o.x[i], 'x'), top: this.u.valToPos(v ?? 0, 'y') };
  }

  /** Whether series `k` (0-based) is drawn. */
  visible(k) {
    return this.u.series[k + 1]?.show !== false;
  }

  /** Shows or hides series `k` (from its legend entry); returns whether it is now drawn. */
  toggle(k) {
    const show = !this.visible(k);
    this.u.setSeries(k + 1, { show });
    return show;
  }

  describe(i) {
    const rows = this.o.series.filter((s, k) => this.visible(k)).map((s) => ({
      color: s.color,
      ring: s.anomalySet?.has(i) ? this.o.theme.anomaly : null,
      label: s.anomalySet?.has(i) ? `${s.label} (${this.m.anomaly})` : s.label,
      value: this.o.format(s.values[i]),
    }));
    return { title: this.o.date(this.o.x[i]), rows };
  }

  options() {
    const t = this.o.theme;
    const font = `${11 * t.scale}px ${t.font}`;
    for (const s of this.o.series) s.anomalySet = new Set(s.anomalies || []);
    const x = this.o.x;
    const few = x.length <= 2;
    // Bars of one or two buckets, and labelled weeks and months, stand half
    // a bucket in from the edges (a label on the edge would be cut).
    const pad = x.length > 1 ? (x[x.length - 1] - x[0]) / (x.length - 1) / 2 : 43_200_000;
    // Weeks and months are labelled at their starts, as many as fit:
    // uPlot's own ticks fall every few days, each labelled with its month.
    const bucketSplits = few || this.o.bucketTicks
      ? (u) => {
        const fit = Math.max(1, Math.floor((u.width - 60) / 64));
        const every = Math.ceil(x.length / fit);
        return Array.from(x).filter((_, i) => i % every === 0);
      }
      : undefined;
    return {
      width: this.width,
      height: this.height(),
      ms: 1,
      padding: [12, 12, 0, 4],
      tzDate: (ts) => uPlot.tzDate(new Date(ts), 'Etc/UTC'),
      legend: { show: false },
      select: { show: false },
      cursor: {
        drag: { x: false, y: false, setScale: false },
        y: false,
        // The hover point in the series' colour (its own points are the anomaly rings).
        points: {
          size: 8,
          width: 2,
          stroke: (u, si) => this.o.series[si - 1]?.color ?? t.accent,
          fill: () => t.surface,
        },
      },
      scales: {
        x: { time: true, range: bucketSplits ? (u, min, max) => [min - pad, max + pad] : undefined },
        y: {
          range: (u, min, max) => {
            const [a, b] = uPlot.rangeNum(Math.min(0, min ?? 0), max || 1, 0.1, true);
            return [Math.min(0, a), b];
          },
        },
      },
      axes: [
        {
          font,
          stroke: t.muted,
          // Room between dates, and the axis' height, grow with the text.
          space: 64 * t.scale,
          gap: 6,
          size: Math.round(30 * t.scale),
          ticks: { show: false },
          grid: { show: false },
          splits: bucketSplits,
          values: (u, splits, ax, space, incr) => splits.map((v) => this.o.tickDate(v, incr)),
        },
        {
          font,
          stroke: t.muted,
          space: 36 * t.scale,
          gap: 6,
          size: (u, values) => {
            if (!values) return 44;
            const w = Math.max(...values.map((v) => textWidth(v, font)));
            return Math.max(44, Math.ceil(w + 14));
          },
          ticks: { show: false },
          grid: { stroke: t.grid, width: 1 },
          values: (u, splits) => tickLabels(splits, this.o.tick),
        },
      ],
      series: [
        {},
        ...this.o.series.map((s) => ({
          label: s.label,
          show: s.show !== false,
          stroke: s.color,
          width: 2,
          fill: this.o.series.length === 1 ? `${hexAlpha(s.color, 0.12)}` : undefined,
          paths: few ? uPlot.paths.bars({ size: [0.5, 40] }) : undefined,
          points: {
            show: false,
            size: 10,
            width: 2.5,
            stroke: t.anomaly,
            fill: t.surface,
            filter: () => (s.anomalies && s.anomalies.length ? s.anomalies : null),
          },
        })),
      ],
      hooks: this.hooks(),
    };
  }
}

/** `#rrggbb` (or anything else) with an alpha, for area fills. */
function hexAlpha(color, a) {
  const m = /^#([0-9a-f]{6})$/i.exec(color.trim());
  if (!m) return color;
  const n = parseInt(m[1], 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}
