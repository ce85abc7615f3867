// The dashboard in a page whose <html lang="ja">; no messages are set, so
// the words come from the page's language.
import { embed } from './embed.js';

embed({ locale: 'ja-JP' });
