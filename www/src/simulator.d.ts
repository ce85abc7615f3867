/**
 * The URL of the build of the wasm module with the deterministic Partner
 * Center simulator inside. Pass it to the page's first `init()` call, then
 * use the client's `simulator` option:
 *
 * ```ts
 * import init, { PartnerCenterClient } from 'partner-usage';
 * import { simulatorWasm } from 'partner-usage/simulator';
 * await init(simulatorWasm);
 * // Like Partner Center, it answers 401 without a token. Any string will do but
 * // 'expired' (401), 'app-only' (403 from customer and resource usage records)
 * // and 'forbidden' (403).
 * const client = new PartnerCenterClient({ simulator: { seed: 7 }, token: 'demo' });
 * ```
 */
export declare const simulatorWasm: URL;
