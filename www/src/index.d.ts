// Types of the partner-usage package. Hand-written and checked by the
// packaging test (tsc --strict on a typed usage file).
//
// Conventions:
// - Money and quantities are exact decimal strings (`Decimal`), never
//   rounded through a Number; summaries add a `…Number` companion for charts.
// - Dates are ISO 8601 strings as Partner Center wrote them.
// - Every failure is a PartnerCenterError.

/** An exact decimal number as text, e.g. `"120.5682999999995904716"`. */
export type Decimal = string;
/** An ISO 8601 date-time, e.g. `"2019-09-17T17:08:11.1433333+00:00"`. */
export type IsoDateTime = string;
/**
 * A time given to the API: a `Date`, an ISO 8601 string or Unix
 * milliseconds. A string without an offset (`'2026-11-01'`,
 * `'2026-11-01T00:00'`) is UTC, as Partner Center's times are: not local
 * time, as `new Date('2026-11-01T00:00')` would read it.
 */
export type TimeInput = Date | string | number;

/**
 * A compiled `WebAssembly.Module`, declared here by shape so that the types
 * compile without the DOM library too (a Node-only project).
 */
export type CompiledModule = object;

/** The wasm module's bytes. */
export type WasmBytes = ArrayBuffer | ArrayBufferView;

/**
 * Where `init()` finds the wasm module: a URL (string, `URL`, `Request`), a
 * `Response`, its bytes or a compiled `WebAssembly.Module`, or a promise of
 * one of the last three.
 */
export type InitSource =
  | string
  | URL
  | Request
  | Response
  | WasmBytes
  | CompiledModule
  | Promise<Response | WasmBytes | CompiledModule>;

/**
 * What `init()` accepts to locate the wasm module (default: next to
 * index.js): the source itself, or wasm-bindgen's object form.
 */
export type InitInput = InitSource | { module_or_path: InitSource };

/**
 * Loads the wasm module. Calling it again is harmless (it returns the same
 * promise): the page's first call decides the module, and a later call
 * naming another (`init(simulatorWasm)` after `init()`) loads nothing and
 * warns on the console. Rejects, naming the `.wasm` URL, with a PartnerCenterError of
 * kind `'network'` (no answer), `'http'` (an error status) or `'decode'` (an
 * answer that isn't a wasm module, e.g. a dev server's fallback page, or a
 * module the page's CSP may not compile); a later call tries again.
 */
export default function init(input?: InitInput): Promise<void>;

/** The library version. */
export function version(): string;

// ------------------------------------------------------------------ errors

/**
 * `'http'`: Partner Center (or the proxy) answered with an error status;
 * `'network'`: no response (connection refused or dropped, CORS, DNS);
 * `'decode'`: a body or record could not be decoded (`status` is the status it
 *   came with: a 200 whose body is an HTML page means baseUrl serves no
 *   Partner Center API);
 * `'pagination'`: a next link can't be followed safely (off-origin, cycle,
 * page cap, "not ready" too often);
 * `'aborted'`: the signal fired;
 * `'retries-exhausted'`: retries ran out (`status`/`code` are the last failure's;
 *   with `maxRetries: 0` a failure keeps its own kind);
 * `'invalid-input'`: an argument or option is invalid (nothing was sent);
 * `'callback'`: `getToken`, `onProgress`, `onPage` or `onRecords` threw (or its promise rejected), or `getToken`
 * returned something other than a string, `null` or `undefined` (see `cause`).
 */
export type ErrorKind =
  | 'http'
  | 'network'
  | 'decode'
  | 'pagination'
  | 'aborted'
  | 'retries-exhausted'
  | 'invalid-input'
  | 'callback';

export interface PartnerCenterErrorInit {
  kind?: ErrorKind;
  status?: number;
  code?: string;
  requestId?: string;
  correlationId?: string;
  cause?: unknown;
  partial?: PartialSummary;
}

/**
 * What a streaming summary (`customerUsageSummary`, `resourceUsageSummary`,
 * `utilizationSummary`) read before its listing failed: it rejects with a
 * PartnerCenterError whose `partial` is this. The totals are short, never
 * passed off as complete.
 */
export type PartialSummary = (CustomerSummary | ResourceSummary | UtilizationSummary) & {
  /** Always `true`: the listing stopped early. */
  incomplete: true;
  /**
   * How many pages were read whole, including a page whose next link then
   * stopped the listing (a cycle, the page cap, or a link off the origin or
   * malformed). A page cut short, malformed, or with an item that isn't a
   * record adds none of its records (so it can be asked for again without
   * counting any twice). A record that can't be added
   * (a bad time or quantity under `badRecords: 'fail'`, or an overflow)
   * stops its page after the records before it were added: then the totals
   * hold those too, and `pages` doesn't count that page.
   */
  pages: number;
};

/**
 * Every failure rejects with a PartnerCenterError. Aborts have
 * `kind: 'aborted'` and `name: 'AbortError'`, so `err.name === 'AbortError'`
 * checks keep working; the signal's reason is `cause`. Messages never
 * contain the access token.
 */
export class PartnerCenterError extends Error {
  constructor(message: string, init?: PartnerCenterErrorInit);
  name: 'PartnerCenterError' | 'AbortError';
  readonly kind: ErrorKind;
  /** The HTTP status, also through retries; for `'decode'`, the status of the response that could not be read. */
  readonly status: number | undefined;
  /** Partner Center's error code (e.g. `'800011'`), when the body had one. */
  readonly code: string | undefined;
  /**
   * The `MS-RequestId` of the failing request (the one the response echoed,
   * else the one sent; retries keep it), for Partner Center support. Set on
   * a listing's `'http'`, `'network'`, `'decode'` and `'retries-exhausted'`
   * failures; undefined for the other kinds and for the synchronous
   * functions' errors.
   */
  readonly requestId: string | undefined;
  /**
   * The `MS-CorrelationId` every request of the failing listing carried
   * (retries and later pages included), which Partner Center support asks
   * for with the request id. Set on a listing's `'http'`, `'network'`,
   * `'decode'`, `'pagination'` and `'retries-exhausted'` failures;
   * undefined for the other kinds and for the synchronous functions' errors.
   */
  readonly correlationId: string | undefined;
  /**
   * A streaming summary that failed (kind `'http'`, `'network'`, `'decode'`,
   * `'pagination'` or `'retries-exhausted'`) after reading at least one
   * page: the summary of those pages, marked `incomplete: true`. Undefined
   * otherwise, as after an abort or a callback that threw.
   */
  readonly partial: PartialSummary | undefined;
  /**
   * What a callback threw (kind `'callback'`), the abort signal's reason
   * (kind `'aborted'`), why `init()` couldn't load the module (kind
   * `'network'`), or why data couldn't become JSON (kind `'invalid-input'`,
   * e.g. a cycle); undefined otherwise.
   */
  readonly cause?: unknown;
  /**
   * The error's fields as plain data, for logs and `postMessage` (which
   * would clone an Error without them); `partial` and `cause` are left out.
   */
  toJSON(): PartnerCenterErrorJSON;
}

/**
 * What `PartnerCenterError.toJSON()` gives. The fields an error doesn't
 * have are undefined, so they are missing from `JSON.stringify`'s text.
 */
export interface PartnerCenterErrorJSON {
  name: 'PartnerCenterError' | 'AbortError';
  message: string;
  kind: ErrorKind;
  status?: number;
  code?: string;
  requestId?: string;
  correlationId?: string;
}

// ------------------------------------------------------------------ client

export interface RetryOptions {
  /** The first backoff step in ms (default 500). */
  baseDelayMs?: number;
  /** The longest single wait in ms, also caps `Retry-After` (default 60000). */
  maxDelayMs?: number;
  /** The most one listing may spend waiting to retry, in ms (default 300000). */
  maxTotalDelayMs?: number;
  /** How often a next page may answer 204 "not ready" (default 5, at most 100). */
  maxNotReady?: number;
}

/** The in-wasm Partner Center simulator (no server; the demo's offline mode). */
export interface SimulatorOptions {
  /** Seeds the generated partner and the faults: a whole number from 0 (default 1). */
  seed?: number;
  /** Share of requests that fail (429, 5xx, 204 not ready, truncated, dropped), 0 to 1. */
  faultRate?: number;
  /**
   * Which faults `faultRate` injects, each as likely (default: the usual
   * mix, mostly throttling and server errors). A kind that can't apply to a
   * request (`'not-ready'` on a first page) leaves it alone.
   */
  faults?: Array<'throttled' | 'server-error' | 'not-ready' | 'delay' | 'truncated' | 'drop'>;
  /** Added latency per request, in ms. */
  latencyMs?: number;
  /** Number of customers (default 120, at most 10000). */
  customers?: number;
  /**
   * The simulated "now" (default: the current hour). The client's default
   * utilization window counts back from it.
   */
  now?: TimeInput;
  /** Adds a legacy customer with one subscription of this many utilization records. */
  bigSubscriptionRecords?: number;
  /** Base of the simulated `Retry-After` values, in seconds (default 1). */
  retryAfterSecs?: number;
  /**
   * Hours after the usage that Partner Center reports it (default 0, at
   * most 720). Utilization windows select by report time, as the real
   * service does, so a window then returns usage from before it.
   */
  reportDelayHours?: number;
  /**
   * A token that gets 403 Forbidden everywhere (default `'forbidden'`).
   * Two tokens are fixed: `'expired'` gets 401, as an expired token does,
   * and `'app-only'` 403 from customer and resource usage records, which
   * take app+user credentials only. Any other token is valid.
   */
  forbiddenToken?: string;
}

/** What `getToken` is told: `refresh` is true on the call after a 401. */
export interface TokenRequest {
  refresh: boolean;
}

/** Headers as `fetch()` takes them. */
export type HeaderValues = Record<string, string> | Headers | Iterable<readonly [string, string]>;

export interface ClientOptions {
  /**
   * Where `/v1/...` is served: your same-origin proxy (recommended) or
   * `https://api.partnercenter.microsoft.com`. Required unless `simulator`
   * is given. The token is only ever sent to this origin.
   *
   * A relative URL (`'/pc'`) is resolved as `fetch` resolves it: against
   * the page's address, or in a worker the worker script's; in Node, give
   * an absolute URL. A
   * trailing `/v1` is the same base (`…/pc/v1` = `…/pc`).
   */
  baseUrl?: string | URL;
  /** A fixed access token. Give this or `getToken`, or neither (a proxy adds it). */
  token?: string;
  /**
   * Called at the start of each listing and again after a 401 (with
   * `refresh: true`): once per page, so a token that expires during a long
   * listing is renewed, while a second 401 in a row fails. Return
   * null/undefined/'' to send no Authorization header.
   */
  getToken?: (request: TokenRequest) => string | null | undefined | Promise<string | null | undefined>;
  /** Retries per request after a 429, 5xx or network error (default 5, at most 100). */
  maxRetries?: number;
  /** How many listings the multi-subscription methods run at once (default 6, 1 to 64). */
  concurrency?: number;
  /** Records per page where the API has a page size: utilization and customers (default 1000, 1 to 1000). */
  pageSize?: number;
  /** Fail a listing after this many pages (default 100000). */
  maxPages?: number;
  /**
   * How long one request (its answer and its body) may take before it
   * counts as no answer and is retried, in ms (default 120000; 0: no
   * limit; at most 3600000). A call as a whole is bounded by `signal`
   * (`AbortSignal.timeout(ms)`).
   */
  timeoutMs?: number;
  retry?: RetryOptions;
  /**
   * Extra headers for every request, e.g. your proxy's CSRF or tenant
   * header, or `MS-PartnerCenter-Application`. They go only where the
   * requests go (`baseUrl`). The client's own (`Authorization`, `Accept`,
   * `MS-RequestId`, `MS-CorrelationId`, `MS-ContinuationToken`) can't be
   * set here: that is `'invalid-input'`, as is, in a browser, a header
   * `fetch()` would drop (`Cookie`, `Host`, `Origin`, `Sec-…`, `Proxy-…`).
   * A cross-origin `baseUrl` must allow them in its CORS preflight.
   * Anything `fetch()` takes: a plain object, a `Headers`, or
   * `[name, value]` pairs (an array, a `Map`); or a function returning (or
   * resolving to) one of those, called for each request, retries included,
   * for a value that changes (a rotating CSRF token). A throw or rejection
   * there fails the call as `'callback'`.
   */
  headers?: HeaderValues | (() => HeaderValues | Promise<HeaderValues>);
  /**
   * Answer from the in-wasm Partner Center simulator instead of fetching
   * (no server, no account). Needs the build with the simulator inside:
   * `import { simulatorWasm } from 'partner-usage/simulator'` and
   * `await init(simulatorWasm)` before the first client. Like Partner
   * Center, it answers 401 without a `token` (any string will do).
   */
  simulator?: SimulatorOptions;
}

/**
 * Progress after each page and each retry (when a retry is scheduled,
 * `retries` goes up and `pages` and `records` stay as they were).
 * `totalCount` is the last page's own count, not a grand total.
 */
export interface Progress {
  pages: number;
  records: number;
  retries: number;
  totalCount: number | null;
  /**
   * Only on the single event of a listing whose first answer was 204 No
   * Content (no data for this window yet) with a `Retry-After`: how long
   * Partner Center suggests waiting before asking again, in ms.
   */
  retryAfterMs?: number;
  /**
   * On the event of a retry that waits (a 429 or 503 with `Retry-After`, a
   * backoff): how long until it goes out, in ms. In a multi-subscription
   * call, the longest such wait of its listings.
   */
  retryInMs?: number;
  /**
   * Once the listing retried: the HTTP status the latest retry followed
   * (429 throttled, a 5xx, 204 a next page not ready yet, 200 an answer cut
   * off midway), or null when it got no answer (a network failure). In a
   * multi-subscription call, that of the listing with the longest wait, or
   * when none waits, of the last listing (in the order given) that retried.
   */
  retryStatus?: number | null;
}

/** Progress of a multi-subscription call: sums over its listings. */
export interface MultiProgress extends Progress {
  /** How many listings the call runs. */
  listings: number;
  /** How many have finished. */
  completed: number;
}

export interface CallOptions {
  /** Cancels the call; it rejects with a PartnerCenterError named AbortError. */
  signal?: AbortSignal;
  /**
   * Called after each page and each retry. A promise it returns is waited
   * for before the next request; a throw or a rejection ends the call
   * (kind `'callback'`).
   */
  onProgress?: (progress: Progress) => void | PromiseLike<unknown>;
}

/**
 * The record listings (`customerUsageRecords`, `customers`,
 * `subscriptions`, `resourceUsageRecords`, `azureUtilization`) also take
 * `onRecords`, to take the records page by page instead of in one array.
 */
export interface RecordsCallback<T> {
  /**
   * Called with each page's records, in order, instead of gathering them:
   * the call then resolves to the final `Progress`, and memory holds one
   * page, not the whole listing. The next page is only requested once a
   * promise it returns has settled, so a slow consumer (writing to
   * IndexedDB, say) sets the pace. If it throws or its promise rejects, the
   * call rejects at once (kind `'callback'`, the error as `cause`); `signal`
   * still ends a wait for it. `onProgress` hears of each page first. A
   * first answer of 204 (no data) calls it never (`pages: 0`); a listing
   * that fails midway rejects after the pages it already handed over.
   */
  onRecords: (records: T[], progress: Progress) => unknown;
}

/** A record listing's options `O` without `onRecords` (the call resolves to an array). */
export type WholeOptions<O extends CallOptions> = O & { onRecords?: undefined };

/** A record listing's options `O` with `onRecords` for records `T`. */
export type PagedOptions<O extends CallOptions, T> = Omit<O, 'onRecords'> & RecordsCallback<T>;

/** A record listing's options `O` with an `onRecords` that may be absent. */
export type MaybePagedOptions<O extends CallOptions, T> = Omit<O, 'onRecords'> & Partial<RecordsCallback<T>>;

/** The streaming summaries of one listing also take `onPage`. */
export interface PageCallback {
  /**
   * Called with a copy of each page's body (UTF-8 JSON, as Partner Center
   * sent it) once the page is summarised. Keep them to summarise the same
   * records again with other options and no network
   * (`summarizeUtilizationPages`). A promise it returns (storing the page,
   * say) is waited for before the next request; if it throws or the
   * promise rejects, the call rejects (kind `'callback'`).
   */
  onPage?: (body: Uint8Array) => void | PromiseLike<unknown>;
}

export type Granularity = 'daily' | 'hourly';

/**
 * The utilization window and paging. Default window: the last 30 days,
 * ending 2 h ago on the hour. Partner Center selects records by when it
 * *reported* the usage, so a record may start before `startTime`; the
 * summaries keep it and span their buckets over the window and it.
 * Partner Center returns nothing at all (a 204) for a window that ends
 * less than about 2 h before now, so a later `endTime` (`new Date()`, the
 * end of this month) is brought back to 2 h ago on the hour, as the default
 * end is: the window gets the usage reported so far. (A window that starts
 * after that point is sent as given when it has an `endTime`, and its answer
 * is `[]`; without one, it is refused as `'invalid-input'`.)
 */
export interface UtilizationQueryOptions {
  startTime?: TimeInput;
  endTime?: TimeInput;
  /**
   * The window's length in whole days, counted back from `endTime`
   * (default 30); not with `startTime`.
   */
  days?: number;
  granularity?: Granularity;
  /** Split by resource instance (default true). */
  showDetails?: boolean;
  /** Records per page, 1 to 1000 (default: the client's pageSize). */
  size?: number;
}

export interface UtilizationCallOptions extends CallOptions, UtilizationQueryOptions {}

export type BadRecordPolicy = 'fail' | 'skip';

export interface CustomerSummaryOptions {
  /** Percent of the budget at which a customer is `near` (default 80). A string is exact. */
  nearThreshold?: number | Decimal;
  /** How many customers `top` lists before its `others` row (default 10; null: all). */
  topN?: number | null;
  badRecords?: BadRecordPolicy;
}

/**
 * Resource groups and resources are grouped ignoring case, Unicode letters
 * included (`PROD-ÄRZTE` and `prod-ärzte` are one group), as Azure compares
 * names (.NET's `OrdinalIgnoreCase`: each character upper-cased on its own);
 * each group is labelled with its most frequent spelling.
 */
export type ResourceDimension = 'resource-group' | 'resource-type' | 'resource' | 'entitlement';

export interface ResourceSummaryOptions {
  /** The first level of grouping (default `'resource-group'`). */
  groupBy?: ResourceDimension;
  /** An optional second level inside each group. */
  thenBy?: ResourceDimension | null;
  /** How many groups to list before an `others` row (default: all). */
  topN?: number | null;
  badRecords?: BadRecordPolicy;
}

export type Bucket = 'hour' | 'day' | 'week' | 'month';
/**
 * `'meter'` groups by the meter's name (`resource.name`), `'category'`,
 * `'subcategory'` and `'region'` by those of `resource`.
 * `'resource-group'` folds case as {@link ResourceDimension} does; `'tag'`
 * finds its `tagKey` ignoring case and keeps tag values as written.
 */
export type SeriesDimension = 'meter' | 'category' | 'subcategory' | 'region' | 'resource-group' | 'tag';

export interface TagFilter {
  /** The tag name, compared ignoring case as Azure does. */
  key: string;
  /** Exactly this value; absent: the tag is present with any value. */
  value?: string | null;
}

export interface UtilizationFilters {
  /** Keep records whose usageStartTime is at or after this instant (as `startTime` takes it). */
  start?: TimeInput | null;
  /** Keep records whose usageStartTime is before this instant. */
  end?: TimeInput | null;
  category?: string | null;
  region?: string | null;
  /** Compared ignoring case, Unicode letters included, as Azure compares names. */
  resourceGroup?: string | null;
  tag?: TagFilter | null;
  /** A substring of the meter name, case-insensitive. */
  meterContains?: string | null;
}

export interface UtilizationSummaryOptions {
  bucket?: Bucket;
  /** Buckets are aligned in this fixed offset, minutes east of UTC (default 0). */
  offsetMinutes?: number;
  groupBy?: SeriesDimension;
  /** The tag name: required with `groupBy: 'tag'`, refused with any other grouping (to keep one tag's records, use `filters.tag`). */
  tagKey?: string | null;
  filters?: UtilizationFilters;
  /** Whether series carry `exactValues` (default true). */
  exact?: boolean;
  /**
   * A bucket is an anomaly (a spike) when it rises more than `k` standard
   * deviations (default 3) above the mean of the `window` buckets before it
   * (default 7), and by more than `minRise` of that mean (default 0.1: 10 %).
   */
  anomaly?: { k?: number; window?: number; minRise?: number };
  /** The most buckets a summary may span (default 20000, at most 1000000). */
  maxBuckets?: number;
  badRecords?: BadRecordPolicy;
}

/**
 * The offline summariser also takes the window its records were fetched
 * for, as `utilizationSummary` does: the buckets span it, and records
 * outside it (usage that Partner Center reported in the window but that
 * started before it) are kept. To keep only a time range, use
 * `filters.start` / `filters.end`.
 */
export interface OfflineUtilizationSummaryOptions extends UtilizationSummaryOptions {
  startTime?: TimeInput;
  endTime?: TimeInput;
  /** Checked and otherwise unused (the records say what they are): a query's options spread in are welcome. */
  granularity?: Granularity;
}

/** The window a summary's records were fetched for, in UTC: options that fetch or summarise it again. */
export interface SummaryWindow {
  startTime: string;
  endTime: string;
}

/** One subscription to summarise: `{ customerId, subscriptionId }` or `[customerId, subscriptionId]`. */
export type SubscriptionRef = { customerId: string; subscriptionId: string } | readonly [string, string];

export interface MultiCallOptions {
  signal?: AbortSignal;
  /**
   * Called after each page and each retry of any listing, and as each
   * listing ends. A promise it returns is waited for before that
   * listing's next request. If it throws or the promise rejects, the call
   * rejects (kind `'callback'`) and its listings stop.
   */
  onProgress?: (progress: MultiProgress) => void | PromiseLike<unknown>;
}

/** One subscription's outcome in a multi-subscription result. */
export interface SubscriptionOutcome<S> {
  customerId: string;
  subscriptionId: string;
  /** Its own summary, or null if its listing failed. */
  summary: S | null;
  /** Why its listing failed, or null. */
  error: PartnerCenterError | null;
  pages: number;
  records: number;
  retries: number;
}

/** The result of a multi-subscription call. */
export interface MultiSummary<S> {
  /**
   * Every subscription that succeeded, merged. When some failed (`failed`
   * > 0) it carries `incomplete: true`.
   */
  summary: S & { incomplete?: true };
  /** One entry per subscription, in the order given. */
  subscriptions: SubscriptionOutcome<S>[];
  /** How many listings failed (their errors are in `subscriptions`). */
  failed: number;
}

/**
 * A Partner Center client. Requires `await init()` first. Listings fetch
 * every page; pages of one listing are sequential (the continuation token
 * requires it), retries follow Retry-After, a 401 calls getToken once more.
 */
export class PartnerCenterClient {
  constructor(options: ClientOptions);
  /**
   * Every customer's usage this billing period. With `onRecords`, page by
   * page (the call resolves to the final progress).
   */
  customerUsageRecords(options: PagedOptions<CallOptions, CustomerMonthlyUsageRecord>): Promise<Progress>;
  customerUsageRecords(options?: WholeOptions<CallOptions>): Promise<CustomerMonthlyUsageRecord[]>;
  customerUsageRecords(
    options?: MaybePagedOptions<CallOptions, CustomerMonthlyUsageRecord>,
  ): Promise<CustomerMonthlyUsageRecord[] | Progress>;
  /** The partner's customers. */
  customers(options: PagedOptions<CallOptions, Customer>): Promise<Progress>;
  customers(options?: WholeOptions<CallOptions>): Promise<Customer[]>;
  customers(options?: MaybePagedOptions<CallOptions, Customer>): Promise<Customer[] | Progress>;
  /** A customer's subscriptions (for drill-down). */
  subscriptions(customerId: string, options: PagedOptions<CallOptions, Subscription>): Promise<Progress>;
  subscriptions(customerId: string, options?: WholeOptions<CallOptions>): Promise<Subscription[]>;
  subscriptions(customerId: string, options?: MaybePagedOptions<CallOptions, Subscription>): Promise<Subscription[] | Progress>;
  /** An Azure plan subscription's resource usage records. */
  resourceUsageRecords(
    customerId: string,
    subscriptionId: string,
    options: PagedOptions<CallOptions, ResourceUsageRecord>,
  ): Promise<Progress>;
  resourceUsageRecords(customerId: string, subscriptionId: string, options?: WholeOptions<CallOptions>): Promise<ResourceUsageRecord[]>;
  resourceUsageRecords(
    customerId: string,
    subscriptionId: string,
    options?: MaybePagedOptions<CallOptions, ResourceUsageRecord>,
  ): Promise<ResourceUsageRecord[] | Progress>;
  /**
   * A subscription's utilization records; `[]` when Partner Center has no
   * data for the window (204). With `onRecords`, page by page: a window of
   * millions of records never sits in memory whole.
   */
  azureUtilization(
    customerId: string,
    subscriptionId: string,
    options: PagedOptions<UtilizationCallOptions, AzureUtilizationRecord>,
  ): Promise<Progress>;
  azureUtilization(
    customerId: string,
    subscriptionId: string,
    options?: WholeOptions<UtilizationCallOptions>,
  ): Promise<AzureUtilizationRecord[]>;
  azureUtilization(
    customerId: string,
    subscriptionId: string,
    options?: MaybePagedOptions<UtilizationCallOptions, AzureUtilizationRecord>,
  ): Promise<AzureUtilizationRecord[] | Progress>;
  /** Streams every customer's usage into a summary (no records in JS). */
  customerUsageSummary(options?: CustomerSummaryOptions & CallOptions & PageCallback): Promise<CustomerSummary>;
  /** Streams a subscription's resource usage into a summary. */
  resourceUsageSummary(
    customerId: string,
    subscriptionId: string,
    options?: ResourceSummaryOptions & CallOptions & PageCallback,
  ): Promise<ResourceSummary>;
  /** Streams a subscription's utilization into time series. */
  utilizationSummary(
    customerId: string,
    subscriptionId: string,
    options?: UtilizationSummaryOptions & UtilizationCallOptions & PageCallback,
  ): Promise<UtilizationSummary>;
  /** Resource usage summaries of many subscriptions, `concurrency` listings at a time, merged. */
  resourceUsageSummaries(
    subscriptions: readonly SubscriptionRef[],
    options?: ResourceSummaryOptions & MultiCallOptions,
  ): Promise<MultiSummary<ResourceSummary>>;
  /** Utilization summaries of many subscriptions over one window, merged. */
  utilizationSummaries(
    subscriptions: readonly SubscriptionRef[],
    options?: UtilizationSummaryOptions & UtilizationQueryOptions & MultiCallOptions,
  ): Promise<MultiSummary<UtilizationSummary>>;
  /**
   * Releases the wasm memory now rather than at garbage collection. Calls
   * after it reject with a `PartnerCenterError` (kind `'invalid-input'`);
   * calling it again is harmless.
   */
  free(): void;
}

// ------------------------------------------------------------------ offline summaries and CSV

/**
 * Records already in JavaScript, or their JSON as text or UTF-8 bytes; a
 * page as Partner Center sends it (`{ items: [...] }`) is read as its records.
 */
export type RecordsInput<T> = readonly T[] | { readonly items: readonly T[] } | string | Uint8Array;

/** Summarises customer usage records already in JavaScript. Throws a PartnerCenterError. */
export function summarizeCustomerUsage(
  records: RecordsInput<CustomerMonthlyUsageRecord>,
  options?: CustomerSummaryOptions,
): CustomerSummary;

/** Summarises resource usage records already in JavaScript. Throws a PartnerCenterError. */
export function summarizeResourceUsage(
  records: RecordsInput<ResourceUsageRecord>,
  options?: ResourceSummaryOptions,
): ResourceSummary;

/** Summarises utilization records already in JavaScript into time series. Throws a PartnerCenterError. */
export function summarizeUtilization(
  records: RecordsInput<AzureUtilizationRecord>,
  options?: OfflineUtilizationSummaryOptions,
): UtilizationSummary;

/**
 * Summarises utilization page bodies, such as those `utilizationSummary`'s
 * `onPage` handed over, as the streaming client reads them: the summary it
 * gave, with other options and no network. Give the `startTime` and
 * `endTime` the pages were fetched for (the summary's `window`), so the
 * buckets span the same window. Throws a PartnerCenterError.
 *
 * ```js
 * const again = summarizeUtilizationPages(pages, { ...byMeter.window, groupBy: 'region' });
 * ```
 */
export function summarizeUtilizationPages(
  pages: readonly Uint8Array[],
  options?: OfflineUtilizationSummaryOptions,
): UtilizationSummary;

export type CsvKind =
  | 'customerUsageRecords'
  | 'resourceUsageRecords'
  | 'azureUtilization'
  | 'customerUsageSummary'
  | 'resourceUsageSummary'
  | 'utilizationSummary';

/** The CSV kinds. */
export const CSV_KINDS: readonly CsvKind[];

export type CsvInput =
  | readonly CustomerMonthlyUsageRecord[]
  | readonly ResourceUsageRecord[]
  | readonly AzureUtilizationRecord[]
  | CustomerSummary
  | ResourceSummary
  | UtilizationSummary
  | MultiSummary<ResourceSummary>
  | MultiSummary<UtilizationSummary>;

/** What each CSV kind exports. */
export interface CsvData {
  customerUsageRecords: readonly CustomerMonthlyUsageRecord[];
  resourceUsageRecords: readonly ResourceUsageRecord[];
  azureUtilization: readonly AzureUtilizationRecord[];
  customerUsageSummary: CustomerSummary;
  /** A summary, or a multi-subscription result (its merged `summary`). */
  resourceUsageSummary: ResourceSummary | MultiSummary<ResourceSummary>;
  /** A summary, or a multi-subscription result (its merged `summary`). */
  utilizationSummary: UtilizationSummary | MultiSummary<UtilizationSummary>;
}

/**
 * CSV text (RFC 4180, `\r\n`, exact money, formula-like cells prefixed with
 * `'`) of records or a summary, also given as its JSON text or UTF-8 bytes.
 * With the kind first, the data must be that kind's (a record kind's empty
 * array gives just the header row); with the data alone, the kind is taken
 * from its shape, and an empty array (a listing with no records) gives `''`.
 * Throws a PartnerCenterError (`invalid-input` for data of no kind, or whose
 * shape is another kind's than the one given).
 *
 * `columns` puts columns first, each with its one value on every row:
 * the context a file otherwise leaves out (whose subscription), for files
 * put together later. A name that is one of the export's own is refused.
 *
 * ```ts
 * toCsv('azureUtilization', records);   // the header row when records is []
 * toCsv(await client.customerUsageSummary());
 * toCsv(summary, { columns: { customerId, subscriptionId } });
 * ```
 */
export function toCsv<K extends CsvKind>(kind: K, data: CsvData[K] | string | Uint8Array, options?: CsvOptions): string;
export function toCsv(data: CsvInput, options?: CsvOptions): string;

export interface CsvOptions {
  /** Columns before the export's own, in this order, with their one value each (`{ subscriptionId: '…' }`). */
  columns?: Record<string, string | number>;
}

// ------------------------------------------------------------------ records (Partner Center's camelCase fields)

export interface ResourceAttributes {
  etag?: string;
  objectType?: string;
}

export interface SpendingBudget {
  /** The budget; null means no budget. */
  amount: Decimal | null;
  usageSpendingBudget?: Decimal;
  attributes?: ResourceAttributes;
}

/** `GET /v1/customers/usagerecords`: one customer's spend this billing period. */
export interface CustomerMonthlyUsageRecord {
  id: string;
  resourceId: string;
  name: string;
  resourceName: string;
  budget: SpendingBudget | null;
  customerSpendingBudget?: SpendingBudget;
  /** Spend as a percentage of the budget (over 100: over budget). */
  percentUsed: Decimal | null;
  /** true: Azure plan; false: legacy. */
  isUpgraded: boolean;
  /** In the customer's currency, exact. */
  totalCost: Decimal | null;
  /** ISO 4217; absent for legacy customers. */
  currencyCode?: string;
  /** Legacy customers' locale, e.g. `fr-FR`. */
  currencyLocale?: string;
  currencySymbol?: string;
  /** The same cost in USD: the only amount to add across customers. */
  usdTotalCost: Decimal | null;
  lastModifiedDate: IsoDateTime | null;
  attributes?: ResourceAttributes;
}

/** `GET /v1/customers/{c}/subscriptions/{s}/resourceusagerecords`. */
export interface ResourceUsageRecord {
  subscriptionId: string;
  resourceUri: string;
  resourceType: string;
  entitlementId: string;
  entitlementName: string;
  /** Its case varies between records; compare case-insensitively. */
  resourceGroupName: string;
  name: string;
  resourceName: string;
  totalCost: Decimal | null;
  currencyCode?: string;
  usdTotalCost: Decimal | null;
  lastModifiedDate: IsoDateTime | null;
  attributes?: ResourceAttributes;
}

/** The meter of a utilization record. */
export interface AzureResource {
  id: string;
  name: string;
  category: string;
  subcategory: string;
  region: string;
}

export interface AzureInstanceData {
  resourceUri: string;
  location: string;
  partNumber: string;
  orderNumber: string;
  tags: Record<string, string>;
  additionalInfo: Record<string, string>;
}

/** `GET /v1/customers/{c}/subscriptions/{s}/utilizations/azure`. */
export interface AzureUtilizationRecord {
  usageStartTime: IsoDateTime | null;
  usageEndTime: IsoDateTime | null;
  resource: AzureResource;
  /** In `unit`, exact. Never add quantities of different units. */
  quantity: Decimal | null;
  unit: string;
  infoFields: Record<string, string>;
  /** Present with `showDetails: true`. */
  instanceData: AzureInstanceData | null;
  attributes?: ResourceAttributes;
}

/** Which usage endpoint serves a subscription. */
export type SubscriptionKind = 'azure-plan' | 'legacy-azure' | 'other';

/** `GET /v1/customers/{c}/subscriptions`, plus `subscriptionKind`. */
export interface Subscription {
  id: string;
  offerId: string;
  offerName: string;
  friendlyName: string;
  status: string;
  billingType: string;
  consumptionType: string;
  attributes?: ResourceAttributes;
  /** `'azure-plan'`: use resource usage records; `'legacy-azure'`: utilization. */
  subscriptionKind: SubscriptionKind;
}

export interface CompanyProfile {
  tenantId: string;
  domain: string;
  companyName: string;
}

/** `GET /v1/customers`. */
export interface Customer {
  id: string;
  companyProfile: CompanyProfile | null;
  attributes?: ResourceAttributes;
}

// ------------------------------------------------------------------ summaries

/**
 * A record that was skipped under `badRecords: 'skip'` (one that stops a
 * summary is a `'decode'` PartnerCenterError instead). A summary keeps the
 * first 10; `skippedRecords` counts them all.
 */
export interface RecordError {
  /** The page (1-based; an array of records given to a `summarize…` function is page 1). */
  page: number | null;
  /** The item's index in its page or array (0-based). */
  index: number | null;
  /** The JSON path of the bad field inside the record ('' for the record itself). */
  path: string;
  message: string;
  /**
   * In a multi-subscription call's merged `summary` only: the subscription
   * the record came from (its errors come in the order the subscriptions
   * were given). A subscription's own summary in `subscriptions` leaves
   * these out.
   */
  customerId?: string;
  subscriptionId?: string;
}

/** One currency's exact total (legacy locales are their own currency: `legacy:fr-FR`). */
export interface CurrencyTotal {
  currency: string;
  legacy: boolean;
  amount: Decimal;
  amountNumber: number;
  usd: Decimal;
  usdNumber: number;
  records: number;
}

/** A top-N row; the `others` row sums everyone past the top N. */
export interface RankRow {
  /** The customer id; `''` for the `others` row. */
  key: string;
  /** The customer's name; `'others'` for the `others` row (show your own word for it). */
  label: string;
  usd: Decimal;
  usdNumber: number;
  /** How many customers the row sums: 1, or more for the `others` row. */
  count: number;
  /** Whether this is the `others` row: tell it apart by this flag, not by `label` (a customer may be called "others"). */
  others: boolean;
}

/**
 * Where a customer stands against its budget. `'unknown'`: it has a budget
 * but a record came without `totalCost`, so the cost can't be compared
 * with it (see `CustomerRow.missingCost`).
 */
export type BudgetStatus = 'no-budget' | 'under' | 'unknown' | 'near' | 'over';

export interface CustomerRow {
  customerId: string;
  name: string;
  /**
   * The ISO 4217 code (`'SEK'`), or `'legacy:fr-FR'` for a legacy customer,
   * whose records give a locale and no currency code: pass it to
   * `Intl.NumberFormat`'s `currency` only when `legacyCurrency` is false
   * (a legacy amount is shown as a plain number in its locale).
   */
  currency: string;
  /** Whether `currency` is a legacy customer's `legacy:<locale>`. */
  legacyCurrency: boolean;
  isUpgraded: boolean;
  /** The sum of the records' `totalCost`, of those that have one (see `missingCost`). */
  cost: Decimal;
  costNumber: number;
  /** The sum of the records' `usdTotalCost`, of those that have one (see `missingUsd`). */
  usd: Decimal;
  usdNumber: number;
  budget: Decimal | null;
  budgetNumber: number | null;
  percentUsedReported: Decimal | null;
  percentUsedComputed: Decimal | null;
  percentDisagrees: boolean;
  status: BudgetStatus;
  /** How many records it sums (1 unless the customer came more than once). */
  records: number;
  /**
   * Of those, how many came without `totalCost`: when all of them
   * (`missingCost === records`), the cost isn't known at all and `cost`
   * is `'0'` only because nothing was added (show it as not reported).
   */
  missingCost: number;
  /** Of those, how many came without `usdTotalCost`. */
  missingUsd: number;
  /**
   * When Partner Center last updated the cost (the latest
   * `lastModifiedDate` of the customer's records): the cost is as of then.
   */
  lastModifiedDate: IsoDateTime | null;
}

export interface PlanTotal {
  customers: number;
  usd: Decimal;
  usdNumber: number;
}

export interface BudgetCounts {
  noBudget: number;
  under: number;
  /** With a budget and a cost that wasn't reported. */
  unknown: number;
  near: number;
  over: number;
  disagreements: number;
}

export interface CustomerSummary {
  records: number;
  skippedRecords: number;
  errors: RecordError[];
  missingCost: number;
  missingUsd: number;
  usd: Decimal;
  usdNumber: number;
  currencyTotals: CurrencyTotal[];
  azurePlan: PlanTotal;
  legacy: PlanTotal;
  nearThreshold: Decimal;
  budget: BudgetCounts;
  top: RankRow[];
  customers: CustomerRow[];
}

export interface GroupRow {
  key: string;
  label: string;
  usd: Decimal;
  usdNumber: number;
  records: number;
  currencyTotals: CurrencyTotal[];
  children: GroupRow[];
  others: boolean;
}

export interface ResourceSummary {
  groupBy: ResourceDimension;
  thenBy: ResourceDimension | null;
  records: number;
  skippedRecords: number;
  errors: RecordError[];
  missingCost: number;
  missingUsd: number;
  usd: Decimal;
  usdNumber: number;
  currencyTotals: CurrencyTotal[];
  groupCount: number;
  groups: GroupRow[];
}

export interface Series {
  key: string | null;
  unit: string;
  label: string;
  /** The quantity per bucket (parallel to `bucketStarts`), for charting. */
  values: Float64Array;
  /** The exact quantity per bucket (absent with `exact: false`). */
  exactValues?: Decimal[];
  total: Decimal;
  totalNumber: number;
  peakIndex: number;
  /** Indices of anomalous buckets. */
  anomalies: number[];
  records: number;
}

export interface UtilizationSummary {
  bucket: Bucket;
  offsetMinutes: number;
  groupBy: SeriesDimension;
  tagKey: string | null;
  /**
   * The window the records were fetched for (a streamed summary's query,
   * after its defaults and the 2-hour rule), or null offline when
   * `startTime` or `endTime` wasn't given.
   */
  window: SummaryWindow | null;
  records: number;
  filteredOut: number;
  skippedRecords: number;
  errors: RecordError[];
  /** Each bucket's start in ms since the Unix epoch, contiguous and sorted. */
  bucketStarts: Float64Array;
  series: Series[];
}
