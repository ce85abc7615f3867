// PartnerCenterError: the one error class of partner-usage.
//
// This file exists twice, byte for byte: wasm/js/errors.js (imported by the
// wasm glue, which creates the errors) and www/src/errors.js (exported by the
// package's index.js). The class is registered under a global symbol, so
// whichever copy runs first defines it and both export the same class:
// `instanceof` works even if a page bundles two copies of the package.
// www/scripts/build-package.mjs refuses to build if the copies differ.

const KEY = Symbol.for('partner-usage.PartnerCenterError');

/**
 * Every failure of partner-usage rejects with a PartnerCenterError.
 *
 * - `kind`: 'http' | 'network' | 'decode' | 'pagination' | 'aborted' |
 *   'retries-exhausted' | 'invalid-input' | 'callback'
 * - `status`: the HTTP status (also through retries; for 'decode', the
 *   status of the response whose body could not be read), or undefined
 * - `code`: Partner Center's error code (a string, e.g. '800011'), or undefined
 * - `requestId`: the MS-RequestId of the failing request, or undefined
 * - `correlationId`: the MS-CorrelationId every request of the failing
 *   listing carried, or undefined
 * - `name`: 'PartnerCenterError', except 'AbortError' for kind 'aborted', so
 *   the usual `err.name === 'AbortError'` check works
 * - `cause`: what a callback threw, the abort signal's reason, why init()
 *   couldn't load the module, or why data couldn't become JSON
 * - `partial`: for a streaming summary that stopped early (kind 'http',
 *   'network', 'decode', 'pagination' or 'retries-exhausted' after at least
 *   one page), the summary of the pages read so far, marked
 *   `incomplete: true`; otherwise undefined
 *
 * `toJSON()` gives `{ name, message, kind, status, code, requestId,
 * correlationId }` (the
 * `partial` summary and the `cause` left out), for logs and for
 * `postMessage`, which would clone an Error without these fields.
 */
export const PartnerCenterError = (globalThis[KEY] ??= class PartnerCenterError extends Error {
  constructor(message, { kind = 'invalid-input', status, code, requestId, correlationId, cause, partial } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = kind === 'aborted' ? 'AbortError' : 'PartnerCenterError';
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.correlationId = correlationId;
    this.partial = partial;
  }

  toJSON() {
    const { name, message, kind, status, code, requestId, correlationId } = this;
    return { name, message, kind, status, code, requestId, correlationId };
  }
});
