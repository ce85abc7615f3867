// Which words <partner-usage-dashboard> speaks for a language tag: the
// package's catalogue of that language, loaded when first asked for.
//
// Each catalogue is its own module behind a dynamic import, so bundlers
// (Vite, webpack) emit it as a separate chunk and a page fetches only the
// language it uses.

const CATALOGUES = {
  en: () => import('./dashboard-messages.js'),
  de: () => import('./dashboard-messages-de.js'),
  es: () => import('./dashboard-messages-es.js'),
  fr: () => import('./dashboard-messages-fr.js'),
  ja: () => import('./dashboard-messages-ja.js'),
  ko: () => import('./dashboard-messages-ko.js'),
  'pt-BR': () => import('./dashboard-messages-pt-BR.js'),
  sv: () => import('./dashboard-messages-sv.js'),
  'zh-Hans': () => import('./dashboard-messages-zh-Hans.js'),
  'zh-Hant': () => import('./dashboard-messages-zh-Hant.js'),
};

/** The catalogues the package has: `en`, `de`, `es`, `fr`, `ja`, `ko`, `pt-BR`, `sv`, `zh-Hans`, `zh-Hant`. */
export const languages = Object.keys(CATALOGUES);

/**
 * Which catalogue speaks `tag` (a BCP 47 language tag), or null: `ja-JP` →
 * `ja`; Chinese goes by script, so `zh-CN` → `zh-Hans` and `zh-TW` →
 * `zh-Hant`; every Portuguese gets `pt-BR` (closer than English).
 */
export function catalogueOf(tag) {
  let locale;
  try {
    locale = new Intl.Locale(String(tag || '')).maximize();
  } catch {
    return null;
  }
  const key = locale.language === 'zh' ? `zh-${locale.script === 'Hant' ? 'Hant' : 'Hans'}`
    : locale.language === 'pt' ? 'pt-BR'
      : locale.language;
  return Object.hasOwn(CATALOGUES, key) ? key : null;
}

/**
 * The package's words for `tag`, or null when it has none for that
 * language (the dashboard then speaks English).
 *
 *   import { messagesFor } from 'partner-usage/dashboard/messages';
 *   dashboard.messages = await messagesFor(navigator.language);
 */
export async function messagesFor(tag) {
  const key = catalogueOf(tag);
  return key ? (await CATALOGUES[key]()).default : null;
}
