// Types of `partner-usage/dashboard`: the <partner-usage-dashboard> element.
// Importing the module registers the element.

import type {
  ClientOptions, CustomerSummary, ErrorKind, PartnerCenterClient, PartnerCenterError, ResourceDimension,
  ResourceSummary, SeriesDimension, Subscription, TokenRequest, UtilizationSummary,
} from './index.js';
import type { DashboardMessages } from './dashboard-messages.js';

export type { Bucket, DashboardMessages } from './dashboard-messages.js';

export type DashboardView = 'customers' | 'subscriptions' | 'resources' | 'utilization';

/**
 * What `pu-error` carries when the element itself lacks what it needs (a
 * `base-url`, a `customer-id` for a customer's view): a plain `Error` with a
 * `kind`.
 */
export type DashboardSetupError = Error & { kind: 'not-configured' | 'invalid-input' };

/** The detail of `pu-navigate`. */
export interface DashboardNavigateDetail {
  view: DashboardView;
  customerId: string | null;
  subscriptionId: string | null;
}

/** The view shown and its options (what the hash holds with `routing="hash"`). */
export interface DashboardState {
  view: DashboardView;
  customerId: string | null;
  subscriptionId: string | null;
  /** The resources view's grouping, and its second level (null: none). */
  groupBy: ResourceDimension;
  thenBy: ResourceDimension | null;
  /** The utilization window, whole UTC days `YYYY-MM-DD`, both included. */
  from: string;
  to: string;
  granularity: 'daily' | 'hourly';
  bucket: 'hour' | 'day' | 'week' | 'month';
  /** The utilization view's series dimension, and its tag name when it is `'tag'`. */
  uGroupBy: SeriesDimension;
  tagKey: string;
  /** The customers table's filter as typed, and its sort (`'usd-desc'`; `''`: the default order). */
  customerQuery: string;
  customerSort: '' | `${'name' | 'usd' | 'used' | 'status'}-${'asc' | 'desc'}`;
  /** The utilization filters set (`tag`: `name` or `name=value`). */
  filters: { category?: string; region?: string; resourceGroup?: string; meterContains?: string; tag?: string };
}

/** What the current view shows (read-only; for tests and custom exports). */
export interface DashboardViewData {
  view: DashboardView;
  /** The view's options: group-by, date range, filters, ... */
  state: DashboardState;
  /**
   * The library's summary behind the data shown, with every row: a
   * CustomerSummary (customers), the Subscription list (subscriptions), a
   * ResourceSummary (resources) or a UtilizationSummary (utilization; null
   * while a tag grouping waits for its tag). While another view loads, the
   * last one's; null when no view is loaded, as while a failed reload's old
   * content stays on screen.
   */
  summary: CustomerSummary | Subscription[] | ResourceSummary | UtilizationSummary | null;
  /** The utilization window fetched, `{ startTime, endTime }`, in the utilization view. */
  window: { startTime: string; endTime: string; maxDay: string } | null;
  /**
   * The numbers of each chart as drawn, by panel id. A chart's "Others" bar
   * or line is there too: the subscriptions chart's `others` counts the
   * subscriptions in it, and its entry in `ids` is null; a utilization
   * chart's `series` has every series and `drawn` the lines drawn, each with
   * `others` (0 but for "Others").
   */
  charts: Record<string, unknown>;
  loading: boolean;
  /**
   * The failure shown: `headline` and `hint` (what to do, or null) in the
   * dashboard's words, `message` the library's own (English).
   */
  error: {
    headline: string; hint: string | null; message: string; status?: number; code?: string; requestId?: string;
    /** The library's kind, the dashboard's own (`'not-configured'`), or `'error'` for anything else thrown (a host's client). */
    kind: ErrorKind | DashboardSetupError['kind'] | 'error';
  } | null;
}

export class PartnerUsageDashboard extends HTMLElement {
  /** `base-url`: where `/v1/...` is served (your same-origin proxy). */
  baseUrl: string;
  /** `customer-id`: open this customer's subscriptions; null or undefined removes it. */
  get customerId(): string | null;
  set customerId(v: string | null | undefined);
  /** `subscription-id`: open this subscription (with `customerId`); null or undefined removes it. */
  get subscriptionId(): string | null;
  set subscriptionId(v: string | null | undefined);
  /** `view`: the view shown (default `customers`); null or undefined removes the attribute. */
  get view(): DashboardView;
  set view(v: DashboardView | null | undefined);
  /** `currency-display`: billing currency (default) or USD. */
  currencyDisplay: 'native' | 'usd';
  /** `locale`: BCP 47 tag for numbers, currencies and dates. */
  locale: string;
  /** `top-n`: customers in the ranking, and subscriptions in the subscriptions chart, before "Others" (default 10). */
  topN: number;
  /** `near-threshold`: the percentage of its budget from which a customer is "near budget" (default 80; above 0 and up to 100, else 80). */
  nearThreshold: number;
  /**
   * `keep-records`: the most utilization records of a window kept in the
   * browser (default 250000), so other groupings, buckets and filters are
   * summarised without the network. A larger window is summarised as it
   * streams, each change loads it again, and filters take exact names.
   * 0 never keeps any.
   */
  keepRecords: number;
  /** `routing`: follow the drill-down in the URL hash (default) or not. */
  routing: 'hash' | 'none';
  /** `theme`: follow `prefers-color-scheme` (default) or force one (in forced colours the system's light or dark wins). */
  theme: 'auto' | 'light' | 'dark';
  /**
   * Returns the Partner Center access token; without it no Authorization
   * header is sent. The first call is made while the wasm module loads (both
   * may wait on the network), and its token serves the first listing.
   */
  getToken: ((request: TokenRequest) => string | null | undefined | Promise<string | null | undefined>) | null;
  /** A ready client to use instead of `baseUrl`/`getToken` (e.g. the in-wasm simulator). */
  client: PartnerCenterClient | null;
  /**
   * More client options (maxRetries, pageSize, retry, ...). Options with the
   * same keys and values as before change nothing; others start the load over,
   * as a new `getToken` or `client` does.
   */
  clientOptions: Omit<ClientOptions, 'baseUrl' | 'getToken'>;
  /**
   * Your own words over those of the element's language (its `lang`, or an
   * ancestor's, where the package has a catalogue; else English): a few
   * entries, or a whole catalogue (one with `lang`) such as
   * `partner-usage/dashboard/messages/ko` in its place. Numbers and dates
   * follow `locale` either way.
   */
  messages: Partial<DashboardMessages> | null;
  readonly viewData: DashboardViewData;
  /** Reloads the current view from Partner Center. */
  refresh(): Promise<void>;
  /** Cancels the current load. */
  cancel(): void;
  /**
   * Downloads the current view as CSV (UTF-8 with a byte order mark, for
   * Excel) and returns it (`text` without the mark); null while there is no
   * current view, as while a failed reload's old content stays on screen.
   * A utilization export leaves out the last days Partner Center hasn't
   * reported yet, as the chart leaves them blank.
   */
  exportCsv(): { filename: string; text: string } | null;

  addEventListener<K extends keyof PartnerUsageDashboardEventMap>(
    type: K,
    listener: (this: PartnerUsageDashboard, ev: PartnerUsageDashboardEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof PartnerUsageDashboardEventMap>(
    type: K,
    listener: (this: PartnerUsageDashboard, ev: PartnerUsageDashboardEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

/**
 * The element's attributes, as a framework's templates write them (for
 * React 19's JSX, see `DashboardJsxProps`, which adds properties and events).
 */
export interface DashboardAttributes {
  'base-url'?: string;
  'customer-id'?: string;
  'subscription-id'?: string;
  view?: DashboardView;
  'currency-display'?: 'native' | 'usd';
  locale?: string;
  'top-n'?: number | string;
  'near-threshold'?: number | string;
  'keep-records'?: number | string;
  routing?: 'hash' | 'none';
  theme?: 'auto' | 'light' | 'dark';
  lang?: string;
}

/** The element's events (they bubble and are composed). */
export interface DashboardEventMap {
  'pu-navigate': CustomEvent<DashboardNavigateDetail>;
  'pu-load': CustomEvent<{ view: DashboardView }>;
  'pu-error': CustomEvent<{ error: PartnerCenterError | DashboardSetupError }>;
}

export interface PartnerUsageDashboardEventMap extends HTMLElementEventMap, DashboardEventMap {}

/**
 * What React 19's JSX takes on the tag: the attributes, the properties it
 * sets as properties (`getToken={fn}`), and `onpu-*` listeners:
 *
 * ```ts
 * import type { DashboardJsxProps } from 'partner-usage/dashboard';
 * declare module 'react' {
 *   namespace JSX {
 *     interface IntrinsicElements {
 *       'partner-usage-dashboard': DashboardJsxProps & React.HTMLAttributes<PartnerUsageDashboard> & React.RefAttributes<PartnerUsageDashboard>;
 *     }
 *   }
 * }
 * ```
 */
export type DashboardJsxProps = DashboardAttributes
  & Partial<Pick<PartnerUsageDashboard, 'getToken' | 'client' | 'clientOptions' | 'messages'>>
  & { [K in keyof DashboardEventMap as `on${K}`]?: (event: DashboardEventMap[K]) => void };

declare global {
  interface HTMLElementTagNameMap {
    'partner-usage-dashboard': PartnerUsageDashboard;
  }
  // The events bubble out of the element and its shadow root: typed on any
  // element, the document and the window too.
  interface GlobalEventHandlersEventMap extends DashboardEventMap {}
}

export default PartnerUsageDashboard;
