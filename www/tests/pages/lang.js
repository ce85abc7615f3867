// The dashboard in a page whose <html lang="ja">, against pc-sim on this
// origin; no messages are set, so the words come from the page's language.
import '/dist/npm/dashboard.js';

const dash = document.createElement('partner-usage-dashboard');
dash.setAttribute('base-url', '/');
dash.setAttribute('locale', 'ja-JP');
dash.setAttribute('routing', 'none');
dash.getToken = async () => 'test-token';
document.body.append(dash);
