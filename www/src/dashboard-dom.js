// A tiny DOM builder for <partner-usage-dashboard>.
//
// Data only ever reaches the DOM as text nodes (`textContent`) or attribute
// values: there is no innerHTML, insertAdjacentHTML or template parsing
// anywhere in the component, so a customer called `<img src=x onerror=...>`
// is just text.

/**
 * `h('button', { class: 'btn', onclick: fn, 'aria-pressed': 'true' }, 'Text', child)`
 *
 * - `class`, `id`, `part`, `role`, `aria-*`, `data-*` and other strings: attributes
 *   (`null`/`undefined`/`false` leave them out, `true` sets an empty value)
 * - `on<event>`: event listeners
 * - `props`: an object of DOM properties to assign (e.g. `{ value: 'x' }`)
 * - children: strings and numbers become text nodes; arrays are flattened;
 *   null/undefined/false are skipped
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v == null || v === false) continue;
      if (k === 'props') {
        Object.assign(el, v);
      } else if (k.startsWith('on') && typeof v === 'function') {
        el.addEventListener(k.slice(2), v);
      } else {
        el.setAttribute(k, v === true ? '' : String(v));
      }
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.append(c);
    else el.append(document.createTextNode(String(c)));
  }
}

/** Replaces all children of `el` with `children`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/**
 * A name from Partner Center (a customer, subscription, resource group,
 * meter...) isolated from the text around it: `<bdi>` gives it its own
 * direction, from its first strong character, so `Contoso Ltd.` and an
 * Arabic or Hebrew name both read correctly whatever surrounds them.
 */
export function bidi(text) {
  return h('bdi', null, text);
}

/** `bidi()` for text drawn on a canvas: the label between Unicode isolates (FSI … PDI). */
export function isolate(text) {
  return `\u2068${text}\u2069`;
}

let nextId = 0;
/** A unique id for aria-labelledby/aria-controls within a shadow root. */
export function uid(prefix = 'pu') {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/** A visually hidden span for screen-reader-only text. */
export function srOnly(text) {
  return h('span', { class: 'sr-only' }, text);
}

const SVG = 'http://www.w3.org/2000/svg';
const ICONS = {
  // 24×24 stroke icons (drawn as paths; no markup parsing).
  download: ['M12 4v11', 'M7 10l5 5 5-5', 'M5 20h14'],
  refresh: ['M20 11a8 8 0 1 0-2.3 5.7', 'M20 4v7h-7'],
  link: ['M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1', 'M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1'],
  alert: ['M12 3l9.5 17h-19z', 'M12 10v4', 'M12 17.5v.01'],
  info: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z', 'M12 11v5', 'M12 7.5v.01'],
  empty: ['M4 7h16v13H4z', 'M4 7l3-4h10l3 4', 'M9 12h6'],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  back: ['M15 5l-7 7 7 7'],
  // A sortable column's header: the up and down chevrons (CSS dims the one not in force).
  sort: ['M8 10l4-4 4 4', 'M8 14l4 4 4-4'],
};

/** A decorative stroke icon (aria-hidden). */
export function icon(name) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '2');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', 'icon');
  for (const d of ICONS[name] || []) {
    const p = document.createElementNS(SVG, 'path');
    p.setAttribute('d', d);
    svg.append(p);
  }
  return svg;
}

/**
 * Keeps a focused control in a sideways-scrolling table (`.scroll`) clear
 * of the sticky first column and of the container's edges (WCAG 2.4.11):
 * the browser's own scroll-into-view doesn't know that the sticky column
 * covers part of the view. Call from a `focusin` listener.
 */
export function revealInScroller(el) {
  // Focus moved on and the view redrew before the frame: nothing to show.
  if (!el?.isConnected) return;
  const sc = el.closest?.('.scroll');
  const cell = el?.closest?.('td, th');
  if (!sc || !cell || sc.scrollWidth <= sc.clientWidth) return;
  const r = el.getBoundingClientRect();
  const cr = sc.getBoundingClientRect();
  const pad = 8;
  let dx = 0;
  if (r.right > cr.right) dx = r.right - cr.right + pad;
  else if (r.left < cr.left) dx = -(cr.left - r.left + pad);
  // The sticky column is on the left: the component lays out left to right
  // in any page (its styles say why).
  const sticky = cell.parentElement?.firstElementChild;
  if (sticky && sticky !== cell && getComputedStyle(sticky).position === 'sticky') {
    const edge = sticky.getBoundingClientRect().right;
    // Where the control will be once moved by dx.
    const left = r.left - dx;
    if (left < edge) dx -= edge - left + pad;
  }
  if (dx) sc.scrollBy({ left: dx, behavior: 'instant' });
}
