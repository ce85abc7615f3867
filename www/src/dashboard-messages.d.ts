// Types of the dashboard's message catalogues: `partner-usage/dashboard/messages/*`.
// Every catalogue has every entry; `dashboard.messages` also takes a part of one
// (what it leaves out is English).
//
// Arguments named `count`, `percent`, `amount`, `budget`, `date`, ... are already
// formatted for the dashboard's `locale`; `n` is the same count as a number, for
// plurals; names (`dim`, `unit`, `name`, `currency`) are text to put in as they are.

/** A utilization bucket: the summary's `bucket` option. */
export type Bucket = 'hour' | 'day' | 'week' | 'month';

/** The words of <partner-usage-dashboard>. */
export interface DashboardMessages {
  /** The BCP 47 tag of the catalogue's words (set as the content's `lang`). */
  lang: string;

  // Budget statuses and the chart legend.
  /** English: 'Over budget' */
  statusOver: string;
  /** English: 'Near budget' */
  statusNear: string;
  /** English: 'Within budget' */
  statusUnder: string;
  /** English: 'No budget' */
  statusNone: string;
  /** A customer with a budget whose cost Partner Center didn't report. English: 'Cost unknown' */
  statusUnknown: string;
  /** A subscription's status in words (Partner Center's `active`, `suspended`, `deleted`, `expired`, `pending`, `disabled`); any other as Partner Center wrote it. English: 'Active', 'Suspended', ... */
  subscriptionStatus: (args: { status: string }) => string;
  /** English: `Near budget (${percent}+)` */
  nearBudgetFrom: (args: { percent: string }) => string;
  /** English: 'Others' */
  others: string;
  /** English: `Others (${count})` */
  othersCount: (args: { count: string; n: number }) => string;

  // Panels.
  /** English: 'Chart' */
  chart: string;
  /** English: 'Table' */
  table: string;
  /** English: `${title}: show as` */
  showAs: (args: { title: string }) => string;
  /** English: 'Total' */
  total: string;
  /** English: 'Value' */
  value: string;
  /** English: 'Records' */
  records: string;
  /** English: `${count} more` */
  moreItems: (args: { count: string; n: number }) => string;
  /** English: 'chart' */
  chartRole: string;
  /** The name of a table's scrolling region, apart from its section's. English: `${title} (table)` */
  tableRegion: (args: { title: string }) => string;

  // Customers view.
  /** English: 'No customer usage this billing period' */
  noCustomerUsage: string;
  /** English: 'Partner Center returned no customer usage records.' */
  noCustomerUsageText: string;
  /** English: 'Total spend (USD)' */
  totalSpendUsd: string;
  /** English: `${count} ${plural(n, 'customer', 'customers')} · this billing period` */
  customersThisPeriod: (args: { count: string; n: number }) => string;
  /** English: 'Budgets' */
  budgets: string;
  /** English: `${count} over budget` */
  overBudgetCount: (args: { count: string; n: number }) => string;
  /** English: 'Over' */
  keyOver: string;
  /** English: 'Near' */
  keyNear: string;
  /** English: 'Within' */
  keyWithin: string;
  /** English: 'None' */
  keyNone: string;
  /** English: 'Unknown' */
  keyUnknown: string;
  /** In place of an amount Partner Center didn't report. English: 'Not reported' */
  notReported: string;
  /** English: 'Azure plan vs legacy' */
  planVsLegacy: string;
  /** English: `${percent} Azure plan` */
  planShare: (args: { percent: string }) => string;
  /** English: 'Azure plan' */
  azurePlan: string;
  /** English: 'Legacy' */
  legacy: string;
  /** English: `Azure plan (${count})` */
  planCount: (args: { count: string; n: number }) => string;
  /** English: `Legacy (${count})` */
  legacyCount: (args: { count: string; n: number }) => string;
  /** English: 'Cost per customer (USD)' */
  costPerCustomerUsd: string;
  /** English: `Top ${count} ${plural(n, 'customer', 'customers')} by spend, the rest summed as others. USD is the only currency that adds up across customers.` */
  topHint: (args: { count: string; n: number }) => string;
  /** English: 'Cost (USD)' */
  costUsd: string;
  /** English: `Cost (${currency})` */
  costIn: (args: { currency: string }) => string;
  /** English: `Bar chart: cost per customer in USD, ${count} ${plural(n, 'bar', 'bars')}. Use the arrow keys to read the values; Enter opens a customer.` */
  topAria: (args: { count: string; n: number }) => string;
  /** English: 'Cost per customer (USD), top customers and others' */
  topCaption: string;
  /** English: 'Customer' */
  customer: string;
  /** English: 'Totals per billing currency' */
  currencyTotals: string;
  /** English: 'Each currency is summed on its own; legacy customers are billed in their locale\u2019s currency.' */
  currencyTotalsHint: string;
  /** Under the currency totals, when some customers' cost (or USD) wasn't reported. English: `Not in these totals: the cost of ${count} customer(s), which Partner Center didn’t report.` */
  costsNotReported: (args: { count: string; n: number }) => string;
  /** English: 'Currency' */
  currency: string;
  /** English: 'Customers' */
  customers: string;
  /** English: 'Total (native)' */
  totalNative: string;
  /** English: 'Total (USD)' */
  totalUsd: string;
  /** English: `legacy (${locale})` */
  legacyCurrency: (args: { locale: string }) => string;
  /** English: 'unknown' */
  unknownCurrency: string;
  /** English: `legacy · ${locale}` */
  legacyNote: (args: { locale: string }) => string;

  // The customers table.
  /** English: `${count} of ${total} customers match.` */
  customersMatch: (args: { count: string; n: number; total: string }) => string;
  /** English: `${count} of ${total} ${plural(n, 'customer', 'customers')}, ${order}.` */
  customersShown: (args: { count: string; n: number; order: string; total: string }) => string;
  /** English: `Showing ${count}.` */
  showingCount: (args: { count: string; n: number }) => string;
  /** English: `No customer’s name or tenant id contains “${query}”.` */
  noCustomerMatches: (args: { query: string }) => string;
  /** English: 'Clear filter' */
  clearFilter: string;
  /** A link, seen when focused, that takes keyboard focus past a long table's rows. */
  skipTable: string;
  /** English: `Show ${count} more` */
  showMore: (args: { count: string; n: number }) => string;
  /** Under the customers table once it holds its most rows. English: `The table shows at most ${count} rows. Narrow it down with the filter, or use Export CSV for every customer.` */
  rowsCapped: (args: { count: string; n: number }) => string;
  /** Under the utilization filters when the window has too many records to keep. English: `This window has more than ${count} records: too many to keep in the browser, so each change of grouping, bucket or filter loads them again from Partner Center, and filters take exact names. A shorter window or daily data keeps the records at hand.` */
  windowStreamed: (args: { count: string; n: number }) => string;
  notReportedSince: (args: { date: string }) => string;
  /** English: 'Name or tenant id' */
  nameOrTenant: string;
  /** English: 'Filter customers' */
  filterCustomers: string;
  /** English: 'Customers table' */
  customersTable: string;
  /** English: 'Customers; the column headers with a button sort the table' */
  customersCaption: string;
  /** English: 'Cost (billing currency)' */
  costBilling: string;
  /** English: 'Budget' */
  budget: string;
  /** English: 'Used' */
  used: string;
  /** English: 'Status' */
  status: string;
  /** English: `Sorted by ${column}, ${ascending ? 'ascending' : 'descending'}` */
  sortedBy: (args: { ascending: boolean; column: string }) => string;
  /** English: 'over-budget first' */
  sortDefault: string;
  /** English: 'by name' */
  sortNameAsc: string;
  /** English: 'by name, Z to A' */
  sortNameDesc: string;
  /** English: 'by cost, smallest first' */
  sortUsdAsc: string;
  /** English: 'by cost, largest first' */
  sortUsdDesc: string;
  /** English: 'by budget used, least first' */
  sortUsedAsc: string;
  /** English: 'by budget used, most first' */
  sortUsedDesc: string;
  /** English: 'by status, over budget first' */
  sortStatusAsc: string;
  /** English: 'by status, over budget last' */
  sortStatusDesc: string;

  // Subscriptions view.
  /** English: 'Month-end forecast' */
  monthEndForecast: string;
  /** The month-end forecast card on a subscription's page: the customer's spend, all its subscriptions. */
  customerMonthEndForecast: string;
  /** English: `${percent} of the ${budget} budget${over ? ': projected over budget' : ''}` */
  forecastOfBudget: (args: { budget: string; over: boolean; percent: string }) => string;
  /** English: `${currency ? `In ${currency} · ` : ''}No budget set · run rate over ${elapsed} of ${days} days` */
  forecastNoBudget: (args: { currency: string | null; days: string; elapsed: string }) => string;
  /** English: 'Too early in the month to project: less than a day of spend' */
  forecastTooEarly: string;
  /** English: 'Spend this billing period' */
  spendThisPeriod: string;
  costUpdated: (args: { when: string }) => string;
  /** English: `in ${currency}` */
  inCurrency: (args: { currency: string }) => string;
  /** English: `${percent} used` */
  percentUsed: (args: { percent: string }) => string;
  /** English: `${amount} over` (how far the cost is beyond the budget, beside the share used) */
  overBy: (args: { amount: string }) => string;
  /** English: 'Plan' */
  plan: string;
  /** English: `${count} ${plural(n, 'subscription', 'subscriptions')} · tenant ${tenant}` */
  subscriptionsOfTenant: (args: { count: string; n: number; tenant: string }) => string;
  /** English: 'No subscriptions' */
  noSubscriptions: string;
  /** English: 'This customer has no subscriptions.' */
  noSubscriptionsText: string;
  /** English: `The cost of ${count} ${plural(n, 'subscription', 'subscriptions')} could not be loaded${reason ? `: ${reason}` : '.'}` */
  costsFailed: (args: { count: string; n: number; reason: string | null }) => string;
  /** The cost cell of a subscription whose cost failed to load. English: 'could not be loaded' */
  costNotLoaded: string;
  /** English: 'Cost by resource' */
  costByResource: string;
  /** English: 'Utilization' */
  utilization: string;
  /** English: 'No usage data (license)' */
  noUsageData: string;
  /** English: 'quantities only' */
  quantitiesOnly: string;
  /** English: 'Subscriptions' */
  subscriptions: string;
  /** English: 'Azure plan subscriptions show cost by resource; legacy Microsoft Azure (MS-AZR-0145P) subscriptions show utilization over time.' */
  subscriptionsHint: string;
  /** English: 'Subscriptions table' */
  subscriptionsTable: string;
  /** English: 'Subscription' */
  subscription: string;
  /** English: 'Offer' */
  offer: string;
  /** English: 'Usage' */
  usage: string;
  /** English: `${count} more ${plural(n, 'type', 'types')}` */
  moreTypes: (args: { count: string; n: number }) => string;
  /** English: `Cost per Azure plan subscription (${currency})` */
  costPerPlanSubscription: (args: { currency: string }) => string;
  /** English: 'This billing period, each bar split by resource type.' */
  planSubscriptionsHint: string;
  /** After planSubscriptionsHint, when the customer has legacy subscriptions. English: 'Legacy subscriptions report quantities, not cost.' */
  legacyQuantitiesNote: string;
  /** English: `Bar chart: cost per subscription in ${currency}, ${count} ${plural(n, 'bar', 'bars')}. Use the arrow keys to read the values; Enter opens a subscription.` */
  subscriptionsAria: (args: { count: string; currency: string; n: number }) => string;

  // Resources view. `dim` is one of the dimension names below.
  /** English: 'Resource group' */
  dimResourceGroup: string;
  /** English: 'Resource type' */
  dimResourceType: string;
  /** English: 'Resource' */
  dimResource: string;
  /** English: 'Entitlement' */
  dimEntitlement: string;
  /** English: 'Group by' */
  groupBy: string;
  /** English: 'Then by' */
  thenBy: string;
  /** English: 'Nothing' */
  nothing: string;
  /** English: 'No usage this billing period' */
  noUsageThisPeriod: string;
  /** English: 'Partner Center has no resource usage records for this subscription yet.' */
  noResourceUsageText: string;
  /** English: "Partner Center has no resource usage records for this customer's Azure plan yet." */
  noPlanUsageText: string;
  /** English: `Total (${currency})` */
  totalIn: (args: { currency: string }) => string;
  /** English: `${amount} in USD` */
  amountInUsd: (args: { amount: string }) => string;
  /** English: 'Groups' */
  groups: string;
  /** English: `by ${dim.toLowerCase()}` */
  byDim: (args: { dim: string }) => string;
  /** English: `${count} skipped` */
  skipped: (args: { count: string; n: number }) => string;
  /** Records that came without a cost (`missingCost`), under the records count. English: `${count} without a cost (not in the total)` */
  withoutCost: (args: { count: string; n: number }) => string;
  /** English: 'resource usage records' */
  resourceUsageRecords: string;
  /** English: `${count} more ${dim.toLowerCase()}${plural(n, '', 's')}` */
  moreOfDim: (args: { count: string; dim: string; n: number }) => string;
  /** English: `Cost by ${dim.toLowerCase()} (${currency})` */
  costByDimIn: (args: { currency: string; dim: string }) => string;
  /** English: `Cost by ${dim.toLowerCase()}` */
  costByDim: (args: { dim: string }) => string;
  /** English: `Each bar is split by ${dim.toLowerCase()}.` */
  splitBy: (args: { dim: string }) => string;
  /** English: 'This subscription is billed in more than one currency, so the chart is in USD.' */
  mixedCurrencies: string;
  /** English: `Bar chart: cost by ${dim.toLowerCase()} in ${currency}, ${count} ${plural(n, 'bar', 'bars')}. Use the arrow keys to read the values.` */
  groupsAria: (args: { count: string; currency: string; dim: string; n: number }) => string;
  /** English: `Breakdown by ${dim.toLowerCase()}` */
  breakdownBy: (args: { dim: string }) => string;
  /** English: `Breakdown by ${dim.toLowerCase()} and ${then.toLowerCase()}` */
  breakdownByTwo: (args: { dim: string; then: string }) => string;
  /** English: 'Expand a group to see its second level.' */
  expandHint: string;
  /** English: 'Expand all' */
  expandAll: string;
  /** English: 'Collapse all' */
  collapseAll: string;
  /** Screen-reader only, after a breakdown row's name: the group it belongs to (`name`, a name from Partner Center). English: `, in ${name}` */
  inGroup: (args: { name: string }) => string;
  /** English: 'Share' */
  share: string;

  // Utilization view. `bucket` is `hour`, `day`, `week` or `month`.
  /** English: 'Meter' */
  dimMeter: string;
  /** English: 'Category' */
  dimCategory: string;
  /** English: 'Subcategory' */
  dimSubcategory: string;
  /** English: 'Region' */
  dimRegion: string;
  /** English: 'Tag' */
  dimTag: string;
  /** English: 'Hour' */
  bucketHour: string;
  /** English: 'Day' */
  bucketDay: string;
  /** English: 'Week' */
  bucketWeek: string;
  /** English: 'Month' */
  bucketMonth: string;
  /** English: 'All' */
  all: string;
  /** English: 'Exact name' */
  exactName: string;
  /** English: 'From' */
  from: string;
  /** English: 'To' */
  to: string;
  dateOutOfRange: (args: { max: string; min: string }) => string;
  /** A date out of range was left: the date in force was put back (`date`, formatted); `dateOutOfRange` follows. English: `The previous date, ${date}, was kept.` */
  dateKept: (args: { date: string }) => string;
  /** English: 'Granularity' */
  granularity: string;
  /** English: 'Daily' */
  daily: string;
  /** English: 'Hourly' */
  hourly: string;
  /** English: 'Bucket' */
  bucket: string;
  /** English: 'Tag key' */
  tagKey: string;
  /** English: 'Choose…' */
  choose: string;
  /** English: 'e.g. env' */
  tagKeyPlaceholder: string;
  /** English: 'Filters' */
  filters: string;
  /** English: `Filters (${count} active)` */
  filtersActive: (args: { count: string; n: number }) => string;
  /** English: 'Meter contains' */
  meterContains: string;
  /** English: 'e.g. Disk' */
  meterPlaceholder: string;
  /** The tag filter's label (a tag name, or name=value). English: 'Tag' */
  tagFilter: string;
  /** The tag filter's example: a tag name (any value) or name=value. English: 'e.g. env or env=prod' */
  tagFilterPlaceholder: string;
  /** English: 'Clear filters' */
  clearFilters: string;
  /** English: 'Choose a tag key' */
  chooseTagKey: string;
  /** English: 'Grouping by tag needs a tag key, such as “env” or “costCenter”.' */
  chooseTagKeyText: string;
  /** English: 'No usage in this window' */
  noUsageInWindow: string;
  /** English: `Partner Center reported no utilization between ${from} and ${to}${filtered ? ' matching the filters' : ''}. Try a wider date range.` */
  noUsageInWindowText: (args: { filtered: boolean; from: string; to: string; /** Always false: an hourly window has `noHourlyDataText` (kept for older catalogues). */ hourly?: boolean }) => string;
  /** An hourly window with no data (Partner Center often has daily data where it has no hourly). English: 'No hourly data in this window' */
  noHourlyData: string;
  /** English: `Partner Center reported no hourly utilization${filtered ? ' matching the filters' : ''} between ${from} and ${to}. It often has daily data where hourly data isn’t available.` */
  noHourlyDataText: (args: { filtered: boolean; from: string; to: string }) => string;
  /** English: 'Show daily data' */
  showDaily: string;
  noUsageMatches: string;
  noUsageMatchesText: (args: { count: string; from: string; n: number; to: string }) => string;
  /** English: `Partner Center suggests asking again ${when}.` (`when`: `in 1 hour`, in the locale's words) */
  askAgainIn: (args: { when: string }) => string;
  /** English: `${hourly ? 'Hourly' : 'Daily'} utilization records` */
  utilizationRecords: (args: { hourly: boolean }) => string;
  /** English: 'Series' */
  series: string;
  /** English: `${count} ${plural(n, 'unit', 'units')}, never added together` */
  unitsNeverAdded: (args: { count: string; n: number }) => string;
  /** English: 'Anomalies' */
  anomalies: string;
  /** English: 'Spikes: buckets well above the ones before' */
  anomaliesFound: string;
  /** English: 'No bucket stands out' */
  anomaliesNone: string;
  /** The card of the series whose average changed most lately. English: 'Largest change' */
  largestChange: string;
  /**
   * Under it: the series, its unit, its averages before and after (formatted),
   * and the span compared (`count` buckets of `bucket` on each side). English:
   * `${name} (${unit}): ${before} → ${after} a day on average, the last ${count} days against the ${count} before`
   */
  largestChangeText: (args: { name: string; unit: string; before: string; after: string; bucket: 'day' | 'hour'; count: string; n: number }) => string;
  /** English: 'Window' */
  window: string;
  /** English: `${count} ${bucket}${plural(n, '', 's')}` */
  bucketCount: (args: { bucket: Bucket; count: string; n: number }) => string;
  /** English: `Week of ${date}` */
  weekOf: (args: { date: string }) => string;
  /** A week or month bucket the window covers only in part. English: `${label} (${count} of ${total} days)` */
  partOfBucket: (args: { label: string; count: string; n: number; total: string }) => string;
  /** English: `${bucket === 'month' ? 'Months' : 'Weeks'} at the edges of the window are only partly inside it, so their totals cover fewer days (their labels say how many).` */
  partialBuckets: (args: { bucket: string }) => string;
  /** English: `${count} ${plural(n, 'anomaly', 'anomalies')}` */
  anomalyCount: (args: { count: string; n: number }) => string;
  /** English: 'Show or hide this line' */
  toggleLine: string;
  /** English: `${name}: shown` */
  lineShown: (args: { name: string }) => string;
  /** English: `${name}: hidden` */
  lineHidden: (args: { name: string }) => string;
  /** English: 'Anomalous bucket' */
  anomalousBucket: string;
  /** English: 'Totals over the window:' */
  windowTotals: string;
  /** English: `Quantity in ${unit}` */
  quantityIn: (args: { unit: string }) => string;
  /** English: `${count} series by ${dim.toLowerCase()} · per ${bucket}` */
  seriesHint: (args: { bucket: Bucket; count: string; dim: string; n: number }) => string;
  /** English: `Line chart: quantity in ${unit} per ${bucket}, ${series} series, ${count} ${plural(n, 'bucket', 'buckets')}. Use the arrow keys to read the values.` */
  timeAria: (args: { bucket: Bucket; count: string; n: number; series: string; unit: string }) => string;
  /** English: '(none)' */
  noName: string;
  /** English: 'anomaly' */
  anomaly: string;
  /** English: `Quantity in ${unit} per bucket` */
  quantityPerBucket: (args: { unit: string }) => string;
  /** English: `Show all ${count} buckets` */
  showAllBuckets: (args: { count: string; n: number }) => string;
  /** English: `So far this month → month-end forecast at its daily rate (day ${day} of ${days}):` */
  forecastAtRate: (args: { day: string; days: string }) => string;

  // Header, toolbar, progress.
  /** English: 'Breadcrumb' */
  breadcrumb: string;
  /** English: 'All customers' */
  allCustomers: string;
  /** English: 'Customer usage' */
  customerUsage: string;
  /** English: 'What every customer spends this billing period, against its budget.' */
  customerUsageText: string;
  /** English: 'Azure plan customer · subscriptions' */
  planCustomerSubscriptions: string;
  /** English: 'Legacy customer · subscriptions' */
  legacyCustomerSubscriptions: string;
  /** English: 'Azure plan · cost by resource this billing period' */
  resourcesSubtitle: string;
  /** English: 'Microsoft Azure (legacy) · utilization over time' */
  utilizationSubtitle: string;
  /** English: 'Billing currency' */
  billingCurrency: string;
  /** English: `Export ${csv}` */
  exportCsv: (args: { csv: string }) => string;
  /** English: 'Refresh' */
  refresh: string;
  /** English: 'Refresh from Partner Center' */
  refreshLabel: string;
  /** The button that copies the page's address (with the view in its hash), shown with hash routing. English: 'Copy link' */
  copyLink: string;
  /** English: 'Link to this view copied' */
  linkCopied: string;
  /** The clipboard refused. English: 'Could not copy the link: copy it from the address bar' */
  linkNotCopied: string;
  /** English: 'Cancel' */
  cancel: string;
  /** English: 'Loading customer usage' */
  loadingCustomers: string;
  /** English: 'Loading subscriptions' */
  loadingSubscriptions: string;
  /** English: 'Loading resource usage' */
  loadingResources: string;
  /** English: 'Loading utilization' */
  loadingUtilization: string;
  /** English: `${count} ${plural(n, 'page', 'pages')}` */
  pages: (args: { count: string; n: number }) => string;
  /** English: `${count} ${plural(n, 'record', 'records')}` */
  recordCount: (args: { count: string; n: number }) => string;
  /** English: `${count} ${plural(n, 'retry', 'retries')}` */
  retries: (args: { count: string; n: number }) => string;
  /** English: `next try at ${time}` (a time of day, formatted) */
  retryingAt: (args: { time: string }) => string;
  /** Why a load is retrying: the status the latest retry followed (`null`: no answer). English: 'no answer', 'throttled' (429), 'next page not ready yet' (204), 'answer cut off' (a 2xx cut short), else `HTTP ${status}` */
  retryCause: (args: { status: number | null }) => string;
  /** English: `Exported ${filename}` */
  exported: (args: { filename: string }) => string;
  /** A load that was announced has ended. English: `Customer usage loaded: ${count} ${plural(n, 'customer', 'customers')}` */
  loadedCustomers: (args: { count: string; n: number }) => string;
  /** English: `Subscriptions loaded: ${count}` */
  loadedSubscriptions: (args: { count: string; n: number }) => string;
  /** `count` resource groups (types, resources…) of the view's grouping. English: `Resource usage loaded: ${count} ${plural(n, 'group', 'groups')}` */
  loadedResources: (args: { count: string; n: number }) => string;
  /** `buckets` is `bucketCount`'s text (`30 days`). English: `Utilization loaded: ${count} series, ${buckets}` */
  loadedUtilization: (args: { buckets: string; count: string; n: number }) => string;

  // Failures. Under the headline: a hint (what to do) in these words, then the
  // library's own message (English) under "Details for support".
  /** English: 'Something went wrong' */
  errorGeneric: string;
  /** English: 'Loading canceled' */
  errorAborted: string;
  /** English: 'Could not reach Partner Center' */
  errorNetwork: string;
  /** English: 'Partner Center kept failing, even after retries' */
  errorRetries: string;
  /** A connection that dropped while Partner Center answered (HTTP 200 cut short), on the last try. English: 'Partner Center’s answers kept breaking off midway' */
  errorCutOff: string;
  /** English: 'Partner Center sent data that could not be read' */
  errorDecode: string;
  /** English: 'Paging through the results failed' */
  errorPagination: string;
  /** English: 'The request was not valid' */
  errorInvalid: string;
  /** English: 'The dashboard is not connected to Partner Center' */
  errorNotConfigured: string;
  /** The library's wasm module didn't load (the page can't be used). English: 'The dashboard could not start' */
  errorModule: string;
  /** English: 'Not signed in to Partner Center' */
  error401: string;
  /** English: 'Partner Center denied access' */
  error403: string;
  /** English: 'Not found in Partner Center' */
  error404: string;
  /** English: 'Partner Center is throttling requests' */
  error429: string;
  /** English: 'Partner Center had a problem' */
  error5xx: string;
  /** English: 'Partner Center returned an error' */
  errorHttp: string;
  /** English: 'Set the base-url attribute (your Partner Center proxy) or the client property.' */
  notConfigured: string;
  /** English: 'Choose a customer first.' */
  chooseCustomerFirst: string;
  /** English: 'Choose a subscription first.' */
  chooseSubscriptionFirst: string;
  /** English: 'Partner Center code' */
  partnerCenterCode: string;
  /** English: 'Request ID' */
  requestId: string;
  /** The MS-CorrelationId of a failing listing, in the details for support. English: 'Correlation ID' */
  correlationId: string;
  /** English: 'Nothing was changed. Load the data again when you are ready.' */
  abortedText: string;
  /** English: 'Load again' */
  loadAgain: string;
  /** English: 'Retry' */
  retry: string;
  /** Headline: getToken failed. English: 'Could not get a Partner Center sign-in' */
  errorToken: string;
  /** What to do after a 401 or a failed sign-in. English: 'Sign in again, then choose Retry.' */
  hintSignIn: string;
  /** What to do after a 403. English: 'Ask your Partner Center administrator for access to this data.' */
  hintAccess: string;
  /** What to do after a 429 or 5xx. English: 'Partner Center is busy or unavailable. Try again in a few minutes.' */
  hintLater: string;
  /** What to do when Partner Center can't be reached. English: 'Check your internet connection, then choose Retry.' */
  hintNetwork: string;
  /** What a 404 may mean. English: 'It may have been removed, or the link is out of date.' */
  hintNotFound: string;
  /** A 404 on the customers' list (the root listing): the base URL serves no Partner Center API. */
  hintBaseUrl: string;
  /** What to do when the wasm module didn't load. English: 'Reload the page. If this keeps happening, pass the details below to your portal’s administrator.' */
  hintModule: string;
  /** English: 'Details for support' */
  detailsForSupport: string;
  /** `time` is formatted for the locale. English: `Data as of ${time}` */
  dataAsOf: (args: { time: string }) => string;
  /** English: 'Spend and budget could not be loaded; showing the subscriptions only.' */
  summaryUnavailable: string;
}

declare const messages: DashboardMessages;
export default messages;
