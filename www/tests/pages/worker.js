// A module worker that uses the JS API, as a page does to keep a large
// summary off its main thread. It answers one message: { baseUrl, token }.
import init, { PartnerCenterClient, PartnerCenterError } from '/dist/npm/index.js';

self.onmessage = async ({ data }) => {
  try {
    await init();
    const client = new PartnerCenterClient({ baseUrl: data.baseUrl, token: data.token });
    const pages = [];
    const summary = await client.customerUsageSummary({ onProgress: (p) => pages.push(p.pages) });
    let error = null;
    try {
      await client.customerUsageRecords({ signal: AbortSignal.abort() });
    } catch (e) {
      error = { isError: e instanceof PartnerCenterError, json: e.toJSON() };
    }
    self.postMessage({ summary, pages, error });
  } catch (e) {
    self.postMessage({ failed: String(e?.stack ?? e) });
  }
};
