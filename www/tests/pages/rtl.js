// The dashboard in a right-to-left page, against pc-sim on this origin.
import '/dist/npm/dashboard.js';

const dash = document.createElement('partner-usage-dashboard');
dash.setAttribute('base-url', '/');
dash.setAttribute('locale', 'ar-EG');
dash.setAttribute('routing', 'none');
dash.getToken = async () => 'test-token';
document.body.append(dash);
