// The scenario both packaging tests run in the browser, and the tests run
// again in Node to get the expected result. It uses the in-wasm simulator
// with a fixed clock, so it needs no server and its output is deterministic.

export async function scenario(api) {
  const { PartnerCenterClient, PartnerCenterError, summarizeCustomerUsage, summarizeResourceUsage, toCsv } = api;
  const client = new PartnerCenterClient({
    simulator: { seed: 7, customers: 12, now: '2026-11-25T00:00:00Z' },
    token: 'demo-token',
    concurrency: 3,
  });
  const pages = [];
  const records = await client.customerUsageRecords({ onProgress: (p) => pages.push(p.pages) });
  const summary = summarizeCustomerUsage(records, { topN: 3 });
  const streamed = await client.customerUsageSummary({ topN: 3 });

  let plan = null;
  let legacy = null;
  for (const r of records) {
    const subs = await client.subscriptions(r.id);
    const p = subs.find((s) => s.subscriptionKind === 'azure-plan');
    const l = subs.find((s) => s.subscriptionKind === 'legacy-azure');
    if (!plan && p) plan = [r.id, p.id];
    if (!legacy && l) legacy = [r.id, l.id];
    if (plan && legacy) break;
  }
  const resources = await client.resourceUsageRecords(plan[0], plan[1]);
  const resourceSummary = summarizeResourceUsage(resources, { groupBy: 'resource-type' });
  const many = await client.resourceUsageSummaries([plan], { groupBy: 'resource-type' });
  const window = { startTime: '2026-10-01T00:00:00Z', endTime: '2026-11-01T00:00:00Z' };
  const util = await client.utilizationSummary(legacy[0], legacy[1], { ...window, bucket: 'week', groupBy: 'category' });
  const utilRecords = await client.azureUtilization(legacy[0], legacy[1], { ...window, size: 50 });

  const errors = {};
  try {
    await client.subscriptions('not/a/customer');
  } catch (e) {
    errors.invalid = [e instanceof PartnerCenterError, e instanceof Error, e.kind];
  }
  const ac = new AbortController();
  ac.abort();
  try {
    await client.customerUsageRecords({ signal: ac.signal });
  } catch (e) {
    errors.abort = [e instanceof PartnerCenterError, e.name, e.kind];
  }
  try {
    await client.resourceUsageRecords(plan[0], '00000000-0000-0000-0000-000000000000');
  } catch (e) {
    errors.http = [e.kind, e.status, e.code, typeof e.requestId];
  }
  client.free();

  return {
    customers: records.length,
    firstTotalCost: records[0].totalCost,
    pages,
    usd: summary.usd,
    streamedUsd: streamed.usd,
    top: summary.top.map((r) => r.label),
    resources: resources.length,
    resourceUsd: resourceSummary.usd,
    manyUsd: many.summary.usd,
    manyFailed: many.failed,
    utilRecords: util.records,
    buckets: util.bucketStarts.length,
    typedArrays: util.bucketStarts instanceof Float64Array && util.series.every((s) => s.values instanceof Float64Array),
    seriesTotals: util.series.map((s) => `${s.label}=${s.total}`),
    rawUtilization: utilRecords.length,
    csvRows: toCsv(summary).split('\r\n').length,
    csvHeader: toCsv('customerUsageRecords', records).split('\r\n')[0],
    errors,
  };
}
