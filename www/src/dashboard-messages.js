// The words of <partner-usage-dashboard>: its English catalogue, the one
// every other catalogue is checked against.
//
// A catalogue is a plain object. `lang` is the BCP 47 tag of its words (the
// dashboard sets it on its content, for screen readers and hyphenation).
// Every other entry is a string or a function of one object of named
// arguments that returns a string. Arguments named `count`, `percent`,
// `amount`, `budget`, `date`… arrive already formatted for the dashboard's
// `locale`; `n` is the same count as a plain number, for plurals; names
// (`dim`, `unit`, `name`, `currency`) are text to put in as they are.
//
//   import ko from 'partner-usage/dashboard/messages/ko';
//   dashboard.messages = ko;                                  // a whole language
//   dashboard.messages = { ...ko, budgets: '예산 현황' };       // with your own words
//
// A catalogue may leave entries out: those fall back to English.

/** `one` for a count of 1, else `other`. */
const plural = (n, one, other) => (n === 1 ? one : other);

/** English, the default. */
const en = {
  lang: 'en',

  // Budget statuses and the chart legend.
  statusOver: 'Over budget',
  statusNear: 'Near budget',
  statusUnder: 'Within budget',
  statusNone: 'No budget',
  subscriptionStatus: ({ status }) => ({ __proto__: null, active: 'Active', suspended: 'Suspended', deleted: 'Deleted', expired: 'Expired', pending: 'Pending', disabled: 'Disabled' })[String(status).toLowerCase()] ?? status,
  nearBudgetFrom: ({ percent }) => `Near budget (${percent}+)`,
  others: 'Others',
  othersCount: ({ count }) => `Others (${count})`,

  // Panels.
  chart: 'Chart',
  table: 'Table',
  showAs: ({ title }) => `${title}: show as`,
  total: 'Total',
  value: 'Value',
  records: 'Records',
  moreItems: ({ count }) => `${count} more`,
  chartRole: 'chart',
  tableRegion: ({ title }) => `${title} (table)`,

  // Customers view.
  noCustomerUsage: 'No customer usage this billing period',
  noCustomerUsageText: 'Partner Center returned no customer usage records.',
  totalSpendUsd: 'Total spend (USD)',
  customersThisPeriod: ({ count, n }) => `${count} ${plural(n, 'customer', 'customers')} · this billing period`,
  budgets: 'Budgets',
  overBudgetCount: ({ count }) => `${count} over budget`,
  keyOver: 'Over',
  keyNear: 'Near',
  keyWithin: 'Within',
  keyNone: 'None',
  planVsLegacy: 'Azure plan vs legacy',
  planShare: ({ percent }) => `${percent} Azure plan`,
  azurePlan: 'Azure plan',
  legacy: 'Legacy',
  planCount: ({ count }) => `Azure plan (${count})`,
  legacyCount: ({ count }) => `Legacy (${count})`,
  costPerCustomerUsd: 'Cost per customer (USD)',
  topHint: ({ count, n }) => `Top ${count} ${plural(n, 'customer', 'customers')} by spend, the rest summed as others. USD is the only currency that adds up across customers.`,
  costUsd: 'Cost (USD)',
  costIn: ({ currency }) => `Cost (${currency})`,
  topAria: ({ count, n }) => `Bar chart: cost per customer in USD, ${count} ${plural(n, 'bar', 'bars')}. Use the arrow keys to read the values; Enter opens a customer.`,
  topCaption: 'Cost per customer (USD), top customers and others',
  customer: 'Customer',
  currencyTotals: 'Totals per billing currency',
  currencyTotalsHint: 'Each currency is summed on its own; legacy customers are billed in their locale\u2019s currency.',
  currency: 'Currency',
  customers: 'Customers',
  totalNative: 'Total (native)',
  totalUsd: 'Total (USD)',
  legacyCurrency: ({ locale }) => `legacy (${locale})`,
  unknownCurrency: 'unknown',
  legacyNote: ({ locale }) => `legacy · ${locale}`,

  // The customers table.
  customersMatch: ({ count, total }) => `${count} of ${total} customers match.`,
  customersShown: ({ count, n, total, order }) => `${count} of ${total} ${plural(n, 'customer', 'customers')}, ${order}.`,
  showingCount: ({ count }) => `Showing ${count}.`,
  noCustomerMatches: ({ query }) => `No customer’s name or tenant id contains “${query}”.`,
  clearFilter: 'Clear filter',
  skipTable: 'Skip to after the table',
  showMore: ({ count }) => `Show ${count} more`,
  rowsCapped: ({ count }) => `The table shows at most ${count} rows. Narrow it down with the filter, or use Export CSV for every customer.`,
  windowStreamed: ({ count }) => `This window has more than ${count} records: too many to keep in the browser, so each change of grouping, bucket or filter loads them again from Partner Center, and filters take exact names. A shorter window or daily data keeps the records at hand.`,
  notReportedSince: ({ date }) => `No usage has been reported since ${date}. Partner Center reports usage hours after it happens, so the charts leave this time blank and the forecast runs on the days reported.`,
  nameOrTenant: 'Name or tenant id',
  filterCustomers: 'Filter customers',
  customersTable: 'Customers table',
  customersCaption: 'Customers; the column headers with a button sort the table',
  costBilling: 'Cost (billing currency)',
  budget: 'Budget',
  used: 'Used',
  status: 'Status',
  sortedBy: ({ column, ascending }) => `Sorted by ${column}, ${ascending ? 'ascending' : 'descending'}`,
  sortDefault: 'over-budget first',
  sortNameAsc: 'by name',
  sortNameDesc: 'by name, Z to A',
  sortUsdAsc: 'by cost, smallest first',
  sortUsdDesc: 'by cost, largest first',
  sortUsedAsc: 'by budget used, least first',
  sortUsedDesc: 'by budget used, most first',
  sortStatusAsc: 'by status, over budget first',
  sortStatusDesc: 'by status, over budget last',

  // Subscriptions view.
  monthEndForecast: 'Month-end forecast',
  customerMonthEndForecast: 'Customer’s month-end forecast',
  forecastOfBudget: ({ percent, budget, over }) => `${percent} of the ${budget} budget${over ? ': projected over budget' : ''}`,
  forecastNoBudget: ({ currency, elapsed, days }) => `${currency ? `In ${currency} · ` : ''}No budget set · run rate over ${elapsed} of ${days} days`,
  forecastTooEarly: 'Too early in the month to project: less than a day of spend',
  spendThisPeriod: 'Spend this billing period',
  costUpdated: ({ when }) => `updated ${when}`,
  inCurrency: ({ currency }) => `in ${currency}`,
  percentUsed: ({ percent }) => `${percent} used`,
  plan: 'Plan',
  subscriptionsOfTenant: ({ count, n, tenant }) => `${count} ${plural(n, 'subscription', 'subscriptions')} · tenant ${tenant}`,
  noSubscriptions: 'No subscriptions',
  noSubscriptionsText: 'This customer has no subscriptions.',
  costsFailed: ({ count, n, reason }) => `The cost of ${count} ${plural(n, 'subscription', 'subscriptions')} could not be loaded${reason ? `: ${reason}` : '.'}`,
  costNotLoaded: 'could not be loaded',
  costByResource: 'Cost by resource',
  utilization: 'Utilization',
  noUsageData: 'No usage data (licence)',
  quantitiesOnly: 'quantities only',
  subscriptions: 'Subscriptions',
  subscriptionsHint: 'Azure plan subscriptions show cost by resource; legacy Microsoft Azure (MS-AZR-0145P) subscriptions show utilization over time.',
  subscriptionsTable: 'Subscriptions table',
  subscription: 'Subscription',
  offer: 'Offer',
  usage: 'Usage',
  moreTypes: ({ count, n }) => `${count} more ${plural(n, 'type', 'types')}`,
  costPerPlanSubscription: ({ currency }) => `Cost per Azure plan subscription (${currency})`,
  planSubscriptionsHint: 'This billing period, each bar split by resource type. Legacy subscriptions report quantities, not cost.',
  subscriptionsAria: ({ currency, count, n }) => `Bar chart: cost per subscription in ${currency}, ${count} ${plural(n, 'bar', 'bars')}. Use the arrow keys to read the values; Enter opens a subscription.`,

  // Resources view. `dim` is one of the dimension names below.
  dimResourceGroup: 'Resource group',
  dimResourceType: 'Resource type',
  dimResource: 'Resource',
  dimEntitlement: 'Entitlement',
  groupBy: 'Group by',
  thenBy: 'Then by',
  nothing: 'Nothing',
  noUsageThisPeriod: 'No usage this billing period',
  noResourceUsageText: 'Partner Center has no resource usage records for this subscription yet.',
  noPlanUsageText: "Partner Center has no resource usage records for this customer's Azure plan yet.",
  totalIn: ({ currency }) => `Total (${currency})`,
  amountInUsd: ({ amount }) => `${amount} in USD`,
  groups: 'Groups',
  byDim: ({ dim }) => `by ${dim.toLowerCase()}`,
  skipped: ({ count }) => `${count} skipped`,
  resourceUsageRecords: 'resource usage records',
  moreOfDim: ({ count, n, dim }) => `${count} more ${dim.toLowerCase()}${plural(n, '', 's')}`,
  costByDimIn: ({ dim, currency }) => `Cost by ${dim.toLowerCase()} (${currency})`,
  costByDim: ({ dim }) => `Cost by ${dim.toLowerCase()}`,
  splitBy: ({ dim }) => `Each bar is split by ${dim.toLowerCase()}.`,
  mixedCurrencies: 'This subscription is billed in more than one currency, so the chart is in USD.',
  groupsAria: ({ dim, currency, count, n }) => `Bar chart: cost by ${dim.toLowerCase()} in ${currency}, ${count} ${plural(n, 'bar', 'bars')}. Use the arrow keys to read the values.`,
  breakdownBy: ({ dim }) => `Breakdown by ${dim.toLowerCase()}`,
  breakdownByTwo: ({ dim, then }) => `Breakdown by ${dim.toLowerCase()} and ${then.toLowerCase()}`,
  expandHint: 'Expand a group to see its second level.',
  expandAll: 'Expand all',
  collapseAll: 'Collapse all',
  inGroup: ({ name }) => `, in ${name}`,
  share: 'Share',

  // Utilization view. `bucket` is `hour`, `day`, `week` or `month`.
  dimMeter: 'Meter',
  dimCategory: 'Category',
  dimSubcategory: 'Subcategory',
  dimRegion: 'Region',
  dimTag: 'Tag',
  bucketHour: 'Hour',
  bucketDay: 'Day',
  bucketWeek: 'Week',
  bucketMonth: 'Month',
  all: 'All',
  exactName: 'Exact name',
  from: 'From',
  to: 'To',
  dateOutOfRange: ({ min, max }) => `Choose a date from ${min} to ${max}.`,
  dateKept: ({ date }) => `The previous date, ${date}, was kept.`,
  granularity: 'Granularity',
  daily: 'Daily',
  hourly: 'Hourly',
  bucket: 'Bucket',
  tagKey: 'Tag key',
  choose: 'Choose…',
  tagKeyPlaceholder: 'e.g. env',
  filters: 'Filters',
  filtersActive: ({ count }) => `Filters (${count} active)`,
  meterContains: 'Meter contains',
  meterPlaceholder: 'e.g. Disk',
  clearFilters: 'Clear filters',
  chooseTagKey: 'Choose a tag key',
  chooseTagKeyText: 'Grouping by tag needs a tag key, such as “env” or “costCenter”.',
  noUsageInWindow: 'No usage in this window',
  noUsageInWindowText: ({ from, to, filtered, hourly }) => `Partner Center reported no utilization between ${from} and ${to}${filtered ? ' matching the filters' : ''}. Try a wider date range${hourly ? ' or daily granularity' : ''}.`,
  showDaily: 'Show daily data',
  noUsageMatches: 'Nothing matches the filters',
  noUsageMatchesText: ({ count, n, from, to }) => `Partner Center reported ${count} ${plural(n, 'record', 'records')} between ${from} and ${to}, and none of them matches the filters. Change or clear the filters.`,
  askAgainIn: ({ when }) => `Partner Center suggests asking again ${when}.`,
  utilizationRecords: ({ hourly }) => `${hourly ? 'Hourly' : 'Daily'} utilization records`,
  series: 'Series',
  unitsNeverAdded: ({ count, n }) => `${count} ${plural(n, 'unit', 'units')}, never added together`,
  anomalies: 'Anomalies',
  anomaliesFound: 'Buckets far from their series’ norm',
  anomaliesNone: 'No bucket stands out',
  window: 'Window',
  bucketCount: ({ count, n, bucket }) => `${count} ${bucket}${plural(n, '', 's')}`,
  weekOf: ({ date }) => `Week of ${date}`,
  partOfBucket: ({ label, count, total }) => `${label} (${count} of ${total} days)`,
  partialBuckets: ({ bucket }) => `${bucket === 'month' ? 'Months' : 'Weeks'} at the edges of the window are only partly inside it, so their totals cover fewer days (their labels say how many).`,
  anomalyCount: ({ count, n }) => `${count} ${plural(n, 'anomaly', 'anomalies')}`,
  toggleLine: 'Show or hide this line',
  lineShown: ({ name }) => `${name}: shown`,
  lineHidden: ({ name }) => `${name}: hidden`,
  anomalousBucket: 'Anomalous bucket',
  windowTotals: 'Totals over the window:',
  quantityIn: ({ unit }) => `Quantity in ${unit}`,
  seriesHint: ({ count, dim, bucket }) => `${count} series by ${dim.toLowerCase()} · per ${bucket}`,
  timeAria: ({ unit, bucket, series, count, n }) => `Line chart: quantity in ${unit} per ${bucket}, ${series} series, ${count} ${plural(n, 'bucket', 'buckets')}. Use the arrow keys to read the values.`,
  noName: '(none)',
  anomaly: 'anomaly',
  quantityPerBucket: ({ unit }) => `Quantity in ${unit} per bucket`,
  showAllBuckets: ({ count }) => `Show all ${count} buckets`,
  forecastAtRate: ({ day, days }) => `So far this month → month-end forecast at its daily rate (day ${day} of ${days}):`,

  // Header, toolbar, progress.
  breadcrumb: 'Breadcrumb',
  allCustomers: 'All customers',
  customerUsage: 'Customer usage',
  customerUsageText: 'What every customer spends this billing period, against its budget.',
  planCustomerSubscriptions: 'Azure plan customer · subscriptions',
  legacyCustomerSubscriptions: 'Legacy customer · subscriptions',
  resourcesSubtitle: 'Azure plan · cost by resource this billing period',
  utilizationSubtitle: 'Microsoft Azure (legacy) · utilization over time',
  billingCurrency: 'Billing currency',
  exportCsv: ({ csv }) => `Export ${csv}`,
  refresh: 'Refresh',
  refreshLabel: 'Refresh from Partner Center',
  cancel: 'Cancel',
  loadingCustomers: 'Loading customer usage',
  loadingSubscriptions: 'Loading subscriptions',
  loadingResources: 'Loading resource usage',
  loadingUtilization: 'Loading utilization',
  pages: ({ count, n }) => `${count} ${plural(n, 'page', 'pages')}`,
  recordCount: ({ count, n }) => `${count} ${plural(n, 'record', 'records')}`,
  retries: ({ count, n }) => `${count} ${plural(n, 'retry', 'retries')}`,
  retryingAt: ({ time }) => `next try at ${time}`,
  exported: ({ filename }) => `Exported ${filename}`,
  loadedCustomers: ({ count, n }) => `Customer usage loaded: ${count} ${plural(n, 'customer', 'customers')}`,
  loadedSubscriptions: ({ count }) => `Subscriptions loaded: ${count}`,
  loadedResources: ({ count, n }) => `Resource usage loaded: ${count} ${plural(n, 'group', 'groups')}`,
  loadedUtilization: ({ count, buckets }) => `Utilization loaded: ${count} series, ${buckets}`,

  // Failures. Under the headline: a hint (what to do) in these words, then the
  // library's own message (English) under "Details for support".
  errorGeneric: 'Something went wrong',
  errorAborted: 'Loading cancelled',
  errorNetwork: 'Could not reach Partner Center',
  errorRetries: 'Partner Center kept failing, even after retries',
  errorDecode: 'Partner Center sent data that could not be read',
  errorPagination: 'Paging through the results failed',
  errorInvalid: 'The request was not valid',
  errorNotConfigured: 'The dashboard is not connected to Partner Center',
  error401: 'Not signed in to Partner Center',
  error403: 'Partner Center denied access',
  error404: 'Not found in Partner Center',
  error429: 'Partner Center is throttling requests',
  error5xx: 'Partner Center had a problem',
  errorHttp: 'Partner Center returned an error',
  notConfigured: 'Set the base-url attribute (your Partner Center proxy) or the client property.',
  chooseCustomerFirst: 'Choose a customer first.',
  chooseSubscriptionFirst: 'Choose a subscription first.',
  partnerCenterCode: 'Partner Center code',
  requestId: 'Request ID',
  abortedText: 'Nothing was changed. Load the data again when you are ready.',
  loadAgain: 'Load again',
  retry: 'Retry',
  errorToken: 'Could not get a Partner Center sign-in',
  hintSignIn: 'Sign in again, then choose Retry.',
  hintAccess: 'Ask your Partner Center administrator for access to this data.',
  hintLater: 'Partner Center is busy or unavailable. Try again in a few minutes.',
  hintNetwork: 'Check your internet connection, then choose Retry.',
  hintNotFound: 'It may have been removed, or the link is out of date.',
  hintBaseUrl: 'Check the base-url attribute: that address may not serve Partner Center’s /v1/ API.',
  detailsForSupport: 'Details for support',
  dataAsOf: ({ time }) => `Data as of ${time}`,
  summaryUnavailable: 'Spend and budget could not be loaded; showing the subscriptions only.',
};

export default en;

/**
 * The catalogue the dashboard speaks: English with `overrides` on top.
 * Entries of the wrong type (not a string where English has one, not a
 * function where English has one) are ignored, so a bad catalogue can't
 * break the page.
 */
export function messagesWith(overrides) {
  const m = { ...en };
  if (!overrides || typeof overrides !== 'object') return m;
  for (const [k, v] of Object.entries(overrides)) {
    if (Object.hasOwn(en, k) && typeof v === typeof en[k]) m[k] = v;
  }
  return m;
}

/**
 * Text with a piece of markup inside it, in the catalogue's word order:
 * calls `fn` with a placeholder for `key` and returns the text before and
 * after it (`['Quantity in ', '']`).
 */
export function around(fn, args, key) {
  const mark = '\u{E000}';
  const text = String(fn({ ...args, [key]: mark }));
  const at = text.indexOf(mark);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + mark.length)];
}
