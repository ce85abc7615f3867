// Types of `partner-usage/dashboard/messages`: the package's word catalogues by language.

import type { DashboardMessages } from './dashboard-messages.js';

/** The languages the package has catalogues for. */
export type CatalogueLanguage = 'en' | 'de' | 'es' | 'fr' | 'ja' | 'ko' | 'pt-BR' | 'sv' | 'zh-Hans' | 'zh-Hant';

/** `['en', 'de', 'es', 'fr', 'ja', 'ko', 'pt-BR', 'sv', 'zh-Hans', 'zh-Hant']` */
export const languages: readonly CatalogueLanguage[];

/**
 * Which catalogue speaks a BCP 47 tag, or null: `ja-JP` → `ja`; Chinese goes
 * by script, so `zh-CN` → `zh-Hans` and `zh-TW` → `zh-Hant`; every Portuguese
 * gets `pt-BR`.
 */
export function catalogueOf(tag: string): CatalogueLanguage | null;

/**
 * The package's words for a BCP 47 tag (the catalogue module is loaded on
 * demand), or null when it has none for that language.
 */
export function messagesFor(tag: string): Promise<DashboardMessages | null>;
