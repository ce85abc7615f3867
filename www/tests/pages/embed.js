// The dashboard on a fixture page, against pc-sim on this origin, with no
// routing: rtl.js and lang.js.
import '/dist/npm/dashboard.js';

/** Appends a dashboard with these attributes (and the test token) to the body. */
export function embed(attributes) {
  const dash = document.createElement('partner-usage-dashboard');
  dash.setAttribute('base-url', '/');
  dash.setAttribute('routing', 'none');
  for (const [name, value] of Object.entries(attributes)) dash.setAttribute(name, value);
  dash.getToken = async () => 'test-token';
  document.body.append(dash);
  return dash;
}
