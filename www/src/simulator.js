// partner-usage/simulator: the build of the wasm module with the
// deterministic Partner Center simulator inside (the demo's no-server mode).
//
//   import init, { PartnerCenterClient } from 'partner-usage';
//   import { simulatorWasm } from 'partner-usage/simulator';
//   await init(simulatorWasm);
//   const client = new PartnerCenterClient({ simulator: { seed: 7, faultRate: 0.2 }, token: 'demo' });
//
// Like Partner Center, the simulator answers 401 to a request without a
// bearer token; any token will do but three: `expired` gets 401 (as an
// expired token does), `app-only` 403 from customer and resource usage
// records (app+user credentials only), and `forbidden` (the simulator's
// `forbiddenToken`) 403 everywhere.
// The package's default module (what `init()` loads) leaves the simulator
// out to stay small. This one has the same API plus the `simulator` client
// option; pass its URL to the first `init()` call of the page. Bundlers
// (Vite, webpack 5) emit it as an asset only when this module is imported.

/** The URL of the wasm module with the simulator, for `init(simulatorWasm)`. */
export const simulatorWasm = new URL('../pkg/partner_usage_sim_bg.wasm', import.meta.url);
