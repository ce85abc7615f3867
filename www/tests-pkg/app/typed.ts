// Typed usage of every export, compiled with `tsc --strict --noEmit`.
// The lines marked to expect an error fail the build if the types were
// too loose (any).
import init, {
  CSV_KINDS,
  PartnerCenterClient,
  PartnerCenterError,
  summarizeCustomerUsage,
  summarizeResourceUsage,
  summarizeUtilization,
  toCsv,
  version,
  type AzureUtilizationRecord,
  type CallOptions,
  type ClientOptions,
  type CustomerMonthlyUsageRecord,
  type CustomerSummary,
  type Decimal,
  type ErrorKind,
  type MultiSummary,
  type Progress,
  type ResourceSummary,
  type ResourceUsageRecord,
  type Subscription,
  type UtilizationSummary,
  type PartialSummary,
} from 'partner-usage';
import { simulatorWasm } from 'partner-usage/simulator';

export async function typedUsage(): Promise<string[]> {
  const wasmUrl: URL = simulatorWasm;
  // init() takes the source itself or wasm-bindgen's object form (a second call returns the first promise).
  await init(wasmUrl);
  await init({ module_or_path: wasmUrl });
  const proxied: ClientOptions = { baseUrl: new URL('https://portal.example/pc'), headers: { 'X-CSRF-Token': 'csrf' } };
  const fromHeaders: ClientOptions = { baseUrl: '/pc', headers: new Headers([['X-CSRF-Token', 'csrf']]) };
  const fromPairs: ClientOptions = { baseUrl: '/pc', headers: [['X-CSRF-Token', 'csrf']] };
  const rotating: ClientOptions = { baseUrl: '/pc', headers: async () => ({ 'X-CSRF-Token': 'csrf' }) };
  // @ts-expect-error a headers function returns headers, not a string
  const wrongly: ClientOptions = { baseUrl: '/pc', headers: () => 'csrf' };
  void rotating;
  void wrongly;
  const options: ClientOptions = {
    simulator: { seed: 1, customers: 3, now: new Date('2026-11-25T00:00:00Z') },
    getToken: async ({ refresh }) => (refresh ? 'fresh' : 'cached'),
    maxRetries: 2,
    pageSize: 500,
    retry: { baseDelayMs: 10 },
  };
  const client = new PartnerCenterClient(options);
  const seen: Progress[] = [];
  const records: CustomerMonthlyUsageRecord[] = await client.customerUsageRecords({
    signal: new AbortController().signal,
    onProgress: (p) => void seen.push(p),
  });
  const cost: Decimal | null = records[0]?.totalCost ?? null;
  // Page by page: onRecords takes each page, the call resolves to the progress.
  let paged = 0;
  const done: Progress = await client.customerUsageRecords({
    onRecords: async (page: CustomerMonthlyUsageRecord[]) => {
      paged += page.length;
    },
  });
  // Whatever it returns (push's count here); an absent one gives the array;
  // one that may be absent gives either.
  const kept: CustomerMonthlyUsageRecord[] = [];
  const pushed: Promise<Progress> = client.customerUsageRecords({ onRecords: (page) => kept.push(...page) });
  const whole: Promise<CustomerMonthlyUsageRecord[]> = client.customerUsageRecords({ onRecords: undefined });
  const maybe = Math.random() > 2 ? (page: CustomerMonthlyUsageRecord[]) => void page : undefined;
  const either: Promise<CustomerMonthlyUsageRecord[] | Progress> = client.customerUsageRecords({ onRecords: maybe });
  const utilPaged: Promise<Progress> = client.azureUtilization('c', 's', {
    granularity: 'hourly',
    onRecords: (page: AzureUtilizationRecord[], p: Progress) => void [page, p],
  });
  await Promise.allSettled([pushed, whole, either, utilPaged]);
  // @ts-expect-error CallOptions has no onRecords: a listing typed as one resolves to an array
  const loose: CallOptions = { onRecords: (page: unknown[]) => void page };
  // @ts-expect-error a summary takes no onRecords (it reads the records itself)
  void client.customerUsageSummary({ onRecords: () => undefined }).catch(() => undefined);
  // @ts-expect-error with onRecords, the call resolves to the progress, not records
  const notRecords: Promise<CustomerMonthlyUsageRecord[]> = client.customerUsageRecords({ onRecords: () => undefined });
  void loose;
  void notRecords;
  // @ts-expect-error money is an exact decimal string, not a number
  const wrong: number = records[0].totalCost;
  const subs: Subscription[] = await client.subscriptions(records[0].id);
  const summary: CustomerSummary = summarizeCustomerUsage(records, { topN: null, nearThreshold: '90.5' });
  const usdNumber: number = summary.usdNumber;
  const resources: ResourceSummary = summarizeResourceUsage([] as ResourceUsageRecord[], {
    groupBy: 'resource-group',
    thenBy: 'resource',
  });
  let refused = false;
  try {
    // @ts-expect-error groupBy takes the documented dimensions only
    summarizeResourceUsage([], { groupBy: 'planet' });
  } catch (e) {
    refused = e instanceof PartnerCenterError && e.kind === 'invalid-input';
  }
  const utilization: UtilizationSummary = summarizeUtilization([] as AzureUtilizationRecord[], {
    bucket: 'day',
    filters: { tag: { key: 'env' } },
    startTime: new Date('2026-11-01T00:00:00Z'),
  });
  const starts: Float64Array = utilization.bucketStarts;
  const many: Promise<MultiSummary<ResourceSummary>> = client.resourceUsageSummaries([
    ['c', 's'],
    { customerId: 'c', subscriptionId: 's' },
  ]);
  await many.catch(() => undefined);
  let kind: ErrorKind | 'none' = 'none';
  try {
    await client.subscriptions('../x');
  } catch (e) {
    if (e instanceof PartnerCenterError) {
      kind = e.kind;
      const status: number | undefined = e.status;
      const code: string | undefined = e.code;
      const partial: PartialSummary | undefined = e.partial;
      const pages: number | undefined = partial?.pages;
      // The README's cast: the failing call's kind of summary.
      const partialSeries = partial ? (partial as UtilizationSummary).series : undefined;
      void partialSeries;
      void status;
      void code;
      void pages;
    }
  }
  const csv: string = toCsv(summary) + toCsv('resourceUsageSummary', resources) + toCsv(CSV_KINDS[0], records)
    + toCsv(summary, { columns: { partner: 'p', month: 11 } });
  // @ts-expect-error a column's value is a string or a number
  const badColumn = () => toCsv(summary, { columns: { when: new Date() } });
  void badColumn;
  // Compile-only (it would throw when called):
  // @ts-expect-error a summary kind takes that summary, not records
  const misfit = () => toCsv('customerUsageSummary', records);
  void wrong;
  void misfit;
  void usdNumber;
  void proxied;
  void fromHeaders;
  void fromPairs;
  void cost;
  return [
    version(),
    String(subs.length > 0),
    kind,
    String(starts.length),
    String(csv.length > 0),
    String(seen.length),
    String(refused),
    String(paged === records.length && done.records === paged),
  ];
}

// The element's types (compile-only: a type import registers nothing). Its
// README has routers set the drill-down properties to undefined to go back.
import type { DashboardView, PartnerUsageDashboard } from 'partner-usage/dashboard';

export function typedDashboard(el: PartnerUsageDashboard, route: { view?: DashboardView; customer?: string }): void {
  el.view = route.view;
  el.customerId = route.customer;
  el.subscriptionId = null;
  const view: DashboardView = el.view;
  const customer: string | null = el.customerId;
  // @ts-expect-error the view is one of the four views
  el.view = 'invoices';
  el.addEventListener('pu-error', ({ detail }) => {
    const kind: string = detail.error.kind;
    const setup: boolean = kind === 'not-configured' || kind === 'invalid-input';
    void setup;
  });
  // viewData: the state and the summary typed, narrowed by the app.
  const data = el.viewData;
  const from: string = data.state.from;
  const grouping: 'resource-group' | 'resource-type' | 'resource' | 'entitlement' = data.state.groupBy;
  const s = data.summary;
  const customers = s && !Array.isArray(s) && 'customers' in s ? s.customers.length : 0;
  const subscriptions = Array.isArray(s) ? s.map((x) => x.subscriptionKind) : [];
  const failedKind: string | undefined = data.error?.kind;
  void from;
  void grouping;
  void customers;
  void subscriptions;
  void failedKind;
  void view;
  void customer;
}
