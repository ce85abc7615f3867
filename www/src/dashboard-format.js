// Localised formatting for <partner-usage-dashboard>: money, numbers, dates.
//
// Everything goes through Intl with the component's `locale`. Amounts shown
// here come from the summaries' `...Number` companions (charting values);
// exact strings are kept for CSV export and for the `title` of table cells.

const cache = new Map();
/** The Intl constructor of each `intl()` kind: numbers, dates, collation. */
const INTL = { n: Intl.NumberFormat, d: Intl.DateTimeFormat, c: Intl.Collator, r: Intl.RelativeTimeFormat };

function intl(kind, locale, options) {
  const key = kind + '\u0000' + (locale || '') + '\u0000' + JSON.stringify(options);
  let f = cache.get(key);
  if (!f) {
    const Ctor = INTL[kind];
    try {
      f = new Ctor(locale || undefined, options);
    } catch {
      // An invalid locale or currency: fall back to the default locale and
      // drop the currency style rather than throw while rendering.
      const safe = { ...options };
      if (safe.style === 'currency') {
        delete safe.style;
        delete safe.currency;
        delete safe.currencyDisplay;
      }
      f = new Ctor(undefined, safe);
    }
    cache.set(key, f);
  }
  return f;
}

/** Compares names as the locale sorts them, ignoring case and accents, digits by value. */
export function collator(locale) {
  return intl('c', locale, { sensitivity: 'base', numeric: true });
}

/** Whether a currency label from a summary is an ISO 4217 code. */
export function isIsoCurrency(label) {
  return typeof label === 'string' && /^[A-Z]{3}$/.test(label);
}

/** `legacy:fr-FR` → `fr-FR`; anything else → null. */
export function legacyLocale(label) {
  return typeof label === 'string' && label.startsWith('legacy:') ? label.slice(7) : null;
}

/**
 * Formats an amount of `currency` (an ISO code, `legacy:xx-YY` or `unknown`).
 * Legacy and unknown currencies have no ISO code, so they are formatted as
 * plain numbers with two decimals. `compact` is for axis ticks (`$1.2K`);
 * `more` digits tell apart ticks that would otherwise read the same.
 */
export function money(value, currency, locale, { compact = false, more = 0 } = {}) {
  if (value == null || Number.isNaN(value)) return '—';
  if (isIsoCurrency(currency)) {
    if (!compact) return intl('n', locale, { style: 'currency', currency }).format(value);
    if (Math.abs(value) < 1000) {
      // Under a thousand, as the currency writes it: never more digits than
      // it has ("£0.683" would be a precision no amount has), and whole
      // amounts without them ("£500" on an axis, "£36.80" on a bar).
      const digits = intl('n', 'en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
      // `more` (axis ticks that would read the same): more digits.
      const whole = Number.isInteger(Math.round(value * 10 ** digits) / 10 ** digits);
      const n = whole ? 0 : digits + more;
      // No "-£0" for an amount that rounds to nothing.
      return intl('n', locale, { style: 'currency', currency, minimumFractionDigits: n, maximumFractionDigits: n, signDisplay: 'negative' }).format(value);
    }
    const short = intl('n', locale, { style: 'currency', currency, notation: 'compact', maximumSignificantDigits: 3 + more });
    if (short.formatToParts(value).some((p) => p.type === 'compact')) return short.format(value);
    // The locale writes this size out in full (German has no short form
    // for thousands): rounded to 3 digits, 370,124 would read as an exact
    // "370.000 $". Whole units instead.
    return intl('n', locale, { style: 'currency', currency, minimumFractionDigits: 0, maximumFractionDigits: 0 }).format(value);
  }
  const opts = compact
    ? { notation: 'compact', maximumFractionDigits: 1 + more }
    : { minimumFractionDigits: 2, maximumFractionDigits: 2 };
  return intl('n', locale, opts).format(value);
}

/** USD, the only currency that may be summed across customers. */
export function usd(value, locale, opts) {
  return money(value, 'USD', locale, opts);
}

/** A plain number with up to `digits` fraction digits (compact: 1 + `more`). */
export function num(value, locale, { digits = 2, compact = false, more = 0, fixed = false } = {}) {
  if (value == null || Number.isNaN(value)) return '—';
  const opts = compact
    ? { notation: 'compact', maximumFractionDigits: 1 + more }
    : { maximumFractionDigits: digits, minimumFractionDigits: fixed ? digits : 0 };
  return intl('n', locale, opts).format(value);
}

/** An integer count: `1,234`. */
export function count(value, locale) {
  return intl('n', locale, { maximumFractionDigits: 0 }).format(value ?? 0);
}

/**
 * A count as the word catalogue takes it: `{ count: '1,234', n: 1234 }`,
 * formatted for the words and the number for their plural.
 */
export function counted(value, locale) {
  return { count: count(value, locale), n: value ?? 0 };
}

/**
 * A percentage given as 0..100+ (e.g. `602.84` → `602.8 %`). `fixed` always
 * writes the one fraction digit (`293.0 %`), so a column of them lines up;
 * `signed` writes a change's sign (`+12 %`, `−35 %`).
 */
export function percent(value, locale, { fixed = false, signed = false } = {}) {
  if (value == null || value === '' || Number.isNaN(Number(value))) return '—';
  const opts = { style: 'percent', minimumFractionDigits: fixed ? 1 : 0, maximumFractionDigits: 1 };
  if (signed) opts.signDisplay = 'exceptZero';
  return intl('n', locale, opts).format(Number(value) / 100);
}

/**
 * A date (UTC) of a bucket start in ms: `12 Nov 2026`, or with the hour and
 * the zone (`Nov 20, 2026, 00:00 UTC`): Partner Center's hours are UTC's,
 * and a reader in another zone would take them for local time.
 */
export function date(ms, locale, { hour = false, short = false } = {}) {
  const opts = short
    ? { month: 'short', day: 'numeric', timeZone: 'UTC' }
    : { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' };
  if (hour) Object.assign(opts, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
  return intl('d', locale, opts).format(new Date(ms));
}

/** A time of day (UTC): `08:00`. */
export function time(ms, locale) {
  return intl('d', locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }).format(new Date(ms));
}

/**
 * A time from now as the locale says it: `in 45 minutes`, `in 1 hour`,
 * `in 3 days`, or before now (`ms` below 0) `11 hours ago`
 * (`Intl.RelativeTimeFormat`).
 */
export function relative(ms, locale) {
  const min = Math.abs(ms) / 60_000;
  const [value, unit] = min < 45 ? [Math.max(1, Math.round(min)), 'minute']
    : min < 36 * 60 ? [Math.round(min / 60), 'hour'] : [Math.round(min / 1440), 'day'];
  return intl('r', locale, { numeric: 'always' }).format(ms < 0 ? -value : value, unit);
}

/**
 * A moment (data fetched, a retry due) in the reader's own time zone:
 * `14:05` today, else with the day (`25 Nov, 14:05`); `seconds` adds them.
 */
export function clock(ms, locale, now = Date.now(), { seconds = false } = {}) {
  const sameDay = new Date(ms).toDateString() === new Date(now).toDateString();
  // The locale's own hour form: 9:05 AM in the US, not 09:05 AM.
  const opts = { hour: 'numeric', minute: '2-digit' };
  if (seconds) opts.second = '2-digit';
  if (!sameDay) Object.assign(opts, { month: 'short', day: 'numeric' });
  return intl('d', locale, opts).format(new Date(ms));
}

/** A month label: `Nov 2026`. */
export function month(ms, locale) {
  return intl('d', locale, { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(ms));
}

/** `YYYY-MM-DD` of a UTC instant in ms (for <input type=date>). */
export function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Parses `YYYY-MM-DD` as UTC midnight in ms, or NaN. */
export function parseIsoDay(s) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s || '')) return NaN;
  return Date.parse(s + 'T00:00:00Z');
}

/** Shortens a label for a chart axis, keeping the full text elsewhere. */
export function ellipsis(text, max) {
  const s = String(text ?? '');
  if (s.length <= max) return s;
  return s.slice(0, Math.max(1, max - 1)).trimEnd() + '…';
}

/**
 * Letters whose lower case belongs to another letter's class under Azure's
 * comparison (.NET `OrdinalIgnoreCase`: each character upper-cased on its
 * own), mapped as the core's `case::fold` maps them: signs that no lower
 * case upper-cases to keep themselves, variant forms fold to their
 * letter's lower case.
 */
export const FOLD_EXCEPTIONS = new Map([
  ['\u212A', '\u212A'], ['\u2126', '\u2126'], ['\u212B', '\u212B'], ['\u1E9E', '\u1E9E'], ['\u03F4', '\u03F4'],
  ['\u00B5', '\u03BC'], ['\u0345', '\u03B9'], ['\u1FBE', '\u03B9'], ['\u03C2', '\u03C3'], ['\u03D0', '\u03B2'],
  ['\u03D1', '\u03B8'], ['\u03D5', '\u03C6'], ['\u03D6', '\u03C0'], ['\u03F0', '\u03BA'], ['\u03F1', '\u03C1'],
  ['\u03F5', '\u03B5'], ['\u1E9B', '\u1E61'], ['\u1C80', '\u0432'], ['\u1C81', '\u0434'], ['\u1C82', '\u043E'],
  ['\u1C83', '\u0441'], ['\u1C84', '\u0442'], ['\u1C85', '\u0442'], ['\u1C86', '\u044A'], ['\u1C87', '\u0463'],
  ['\u1C88', '\uA64B'],
]);

/**
 * A name that Azure compares without regard to case (a resource group, a
 * tag name), folded as the core folds it: two names are the same exactly
 * when their folds are equal. `PROD-ÄRZTE` and `prod-ärzte` are one group,
 * `ΟΜΆΔΑΣ` and `ομάδας` too, while the Kelvin sign is not `k`.
 */
export function nameKey(name) {
  const s = String(name ?? '');
  if (/^[\x00-\x7F]*$/.test(s)) return s.toLowerCase();
  let out = '';
  for (const c of s) {
    const lower = FOLD_EXCEPTIONS.get(c) ?? c.toLowerCase();
    // İ keeps itself: its lower case is two characters.
    out += [...lower].length === 1 ? lower : c;
  }
  return out;
}

/**
 * Text with a piece of markup inside it, in the catalogue's word order:
 * calls `fn` with a placeholder for `key` and returns the text before and
 * after it (`['Quantity in ', '']`).
 */
export function around(fn, args, key) {
  const mark = '\u{E000}';
  const text = String(fn({ ...args, [key]: mark }));
  const at = text.indexOf(mark);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + mark.length)];
}
