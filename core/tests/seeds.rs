//! The response examples of the seeds decode verbatim, and every money value
//! survives a decode/encode round trip digit for digit.

use partner_usage_core::decimal::Decimal;
use partner_usage_core::model::{Collection, CustomerMonthlyUsageRecord, ResourceUsageRecord};
use partner_usage_core::money::{Currency, CurrencyTotals, Usd};
use partner_usage_core::paginate::{decode_page, decode_raw_page};

const CUSTOMERS: &str = include_str!("fixtures/customer_usage_records.json");
const RESOURCES: &str = include_str!("fixtures/resource_usage_records.json");

/// Every number literal that follows `"key":` in the raw JSON, as written.
fn raw_numbers(json: &str, key: &str) -> Vec<String> {
    let needle = format!("\"{key}\":");
    json.match_indices(&needle)
        .map(|(i, _)| {
            json[i + needle.len()..]
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | 'e' | 'E' | '+'))
                .collect()
        })
        .collect()
}

#[test]
fn customer_usage_records_decode_verbatim() {
    let page: Collection<CustomerMonthlyUsageRecord> = serde_json::from_str(CUSTOMERS).unwrap();
    assert_eq!(page.total_count, Some(25));
    assert_eq!(page.items.len(), 4);
    assert!(page.next_link().is_none());
    assert_eq!(
        page.links.as_ref().unwrap().self_link.as_ref().unwrap().uri,
        "/customers/usagerecords"
    );

    let legacy = &page.items[0];
    assert!(!legacy.is_upgraded);
    assert_eq!(legacy.currency(), Currency::legacy_locale("fr-FR"));
    assert_eq!(legacy.currency_code, None);
    assert_eq!(legacy.budget_amount(), None);
    assert_eq!(
        legacy.last_modified_date.unwrap().to_string(),
        "2019-08-01T23:00:16.57+00:00"
    );

    let se = &page.items[1];
    assert_eq!(se.display_name(), "Modern Azure Customer SE");
    assert_eq!(
        se.total().unwrap().to_string(),
        "120.5682999999995904716 SEK"
    );
    assert_eq!(se.usd().unwrap().0.to_string(), "12.39999999999999985235");
    assert_eq!(se.percent_used.unwrap().to_string(), "602.84");
    assert_eq!(se.budget_amount().unwrap().amount, Decimal::from_i64(20));
    assert_eq!(
        se.last_modified_date.unwrap().to_string(),
        "2019-09-17T17:08:11.1433333+00:00"
    );
    assert_eq!(
        se.attributes.as_ref().unwrap().object_type.as_deref(),
        Some("CustomerMonthlyUsageRecord")
    );
}

#[test]
fn customer_money_round_trips_digit_for_digit() {
    let page: Collection<CustomerMonthlyUsageRecord> = serde_json::from_str(CUSTOMERS).unwrap();
    let written_total = raw_numbers(CUSTOMERS, "totalCost");
    let written_usd = raw_numbers(CUSTOMERS, "usdTotalCost");
    let decoded_total: Vec<String> = page
        .items
        .iter()
        .map(|r| r.total_cost.unwrap().to_string())
        .collect();
    let decoded_usd: Vec<String> = page
        .items
        .iter()
        .map(|r| r.usd_total_cost.unwrap().to_string())
        .collect();
    assert_eq!(decoded_total, written_total);
    assert_eq!(decoded_usd, written_usd);
    // Encode and decode again: still the same digits.
    let json = serde_json::to_string(&page.items).unwrap();
    let again: Vec<CustomerMonthlyUsageRecord> = serde_json::from_str(&json).unwrap();
    assert_eq!(again, page.items);
    assert!(json.contains(r#""totalCost":"120.5682999999995904716""#));
}

#[test]
fn customer_totals_are_exact_per_currency() {
    let page: Collection<CustomerMonthlyUsageRecord> = serde_json::from_str(CUSTOMERS).unwrap();
    let mut totals = CurrencyTotals::default();
    let mut usd = Usd::ZERO;
    for r in &page.items {
        totals.add(&r.total().unwrap()).unwrap();
        usd = usd.checked_add(r.usd().unwrap()).unwrap();
    }
    assert_eq!(totals.len(), 3, "SEK, GBP and the legacy fr-FR locale");
    assert_eq!(
        totals.get(&Currency::iso("GBP")).unwrap().to_string(),
        "27.23292827625710931604"
    );
    assert_eq!(usd.0.to_string(), "45.68000000000000089635");
}

#[test]
fn resource_usage_records_decode_verbatim() {
    let (page, info) = decode_page::<ResourceUsageRecord>(RESOURCES.as_bytes()).unwrap();
    assert_eq!(page.total_count, Some(3));
    assert_eq!(info.item_count, 3);
    assert!(info.next.is_none());
    let groups: Vec<&str> = page.items.iter().map(|r| r.resource_group()).collect();
    assert_eq!(groups, ["TESTRG1", "TESTRG1", "testrg1"]);
    let written = raw_numbers(RESOURCES, "totalCost");
    let decoded: Vec<String> = page
        .items
        .iter()
        .map(|r| r.total_cost.unwrap().to_string())
        .collect();
    assert_eq!(decoded, written);
    let written = raw_numbers(RESOURCES, "usdTotalCost");
    let decoded: Vec<String> = page
        .items
        .iter()
        .map(|r| r.usd_total_cost.unwrap().to_string())
        .collect();
    assert_eq!(decoded, written);
    assert_eq!(page.items[1].entitlement_name, "Partner Subscription");
    assert_eq!(page.items[2].resource_type, "Microsoft.Storage");
    let mut gbp = CurrencyTotals::default();
    for r in &page.items {
        gbp.add(&r.total().unwrap()).unwrap();
    }
    assert_eq!(
        gbp.get(&Currency::iso("GBP")).unwrap().to_string(),
        "82.3616054989566696032"
    );
}

#[test]
fn raw_pages_keep_items_for_custom_decoders() {
    let (raw, info) = decode_raw_page(CUSTOMERS.as_bytes()).unwrap();
    assert_eq!(raw.items.len(), 4);
    assert_eq!(info.total_count, Some(25));
    assert!(raw.items[1].get().contains("120.5682999999995904716"));
}
