//! Property tests of the summarisers on generated records:
//! * group sums equal the grand totals, exactly, and the totals equal sums
//!   computed independently from the generated amounts;
//! * a summary doesn't depend on record order, page boundaries, or on
//!   summarising pages apart and merging;
//! * filters commute with grouping.

use partner_usage_core::aggregate::{
    BudgetStatus, CustomerOptions, CustomerSummariser, CustomerSummary, ResourceDimension,
    ResourceOptions, ResourceSummariser, ResourceSummary, SeriesDimension, UtilizationOptions,
    UtilizationSummariser, UtilizationSummary,
};
use partner_usage_core::decimal::Decimal;
use partner_usage_core::time::Timestamp;
use proptest::prelude::*;
use proptest::sample::Index;
use serde::Serialize;
use serde_json::value::RawValue;
use std::collections::BTreeMap;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn sum<'a>(it: impl IntoIterator<Item = &'a Decimal>) -> Decimal {
    it.into_iter()
        .fold(Decimal::ZERO, |a, b| a.checked_add(*b).unwrap())
}

/// An exact amount with 0 to 20 fractional digits, as JSON number text.
fn amount() -> impl Strategy<Value = String> {
    (-1_000_000_000_000i64..1_000_000_000_000, 0u32..=20)
        .prop_map(|(m, s)| Decimal::new(m.into(), s).unwrap().to_string())
}

/// Feeds the same records three ways: in one page; shuffled and split into
/// pages summarised apart, then merged; shuffled and split into pages of one
/// summariser. Returns the first summary and the JSON of all three.
fn three_ways<S, O: Serialize>(
    raws: &[Box<RawValue>],
    seed: u64,
    cuts: &[Index],
    new: impl Fn() -> S,
    add: impl Fn(&mut S, u32, &[&RawValue]),
    merge: impl Fn(&mut S, S),
    finish: impl Fn(S) -> O,
) -> (O, [serde_json::Value; 3]) {
    let all: Vec<&RawValue> = raws.iter().map(|r| &**r).collect();
    let mut one = new();
    add(&mut one, 1, &all);
    let one = finish(one);

    // Fisher–Yates with a xorshift generator.
    let mut shuffled = all.clone();
    let mut x = seed | 1;
    for i in (1..shuffled.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        shuffled.swap(i, (x % (i as u64 + 1)) as usize);
    }
    let mut bounds: Vec<usize> = cuts.iter().map(|c| c.index(shuffled.len() + 1)).collect();
    bounds.push(0);
    bounds.push(shuffled.len());
    bounds.sort_unstable();
    let pages: Vec<&[&RawValue]> = bounds.windows(2).map(|w| &shuffled[w[0]..w[1]]).collect();

    let mut merged = new();
    for (i, p) in pages.iter().enumerate() {
        let mut part = new();
        add(&mut part, i as u32 + 1, p);
        merge(&mut merged, part);
    }
    let mut paged = new();
    for (i, p) in pages.iter().enumerate() {
        add(&mut paged, i as u32 + 1, p);
    }
    let json = [
        serde_json::to_value(&one).unwrap(),
        serde_json::to_value(finish(merged)).unwrap(),
        serde_json::to_value(finish(paged)).unwrap(),
    ];
    (one, json)
}

fn raw(json: String) -> Box<RawValue> {
    RawValue::from_string(json).unwrap()
}

// ---------------------------------------------------------------- customers

#[derive(Debug, Clone)]
struct Cust {
    id: u8,
    name: &'static str,
    currency: u8,
    cost: Option<String>,
    usd: Option<String>,
    budget: Option<String>,
    percent: Option<String>,
    upgraded: bool,
}

impl Cust {
    fn currency_label(&self) -> &'static str {
        ["EUR", "GBP", "legacy:fr-FR", "unknown"][self.currency as usize]
    }

    fn json(&self) -> String {
        let mut fields = vec![
            format!(r#""id":"c{}""#, self.id),
            format!(r#""name":"{}""#, self.name),
            format!(r#""isUpgraded":{}"#, self.upgraded),
        ];
        match self.currency {
            0 => fields.push(r#""currencyCode":"EUR""#.into()),
            1 => fields.push(r#""currencyCode":"gbp""#.into()),
            2 => fields.push(r#""currencyLocale":"fr-FR""#.into()),
            _ => {}
        }
        if let Some(c) = &self.cost {
            fields.push(format!(r#""totalCost":{c}"#));
        }
        if let Some(u) = &self.usd {
            fields.push(format!(r#""usdTotalCost":{u}"#));
        }
        if let Some(b) = &self.budget {
            fields.push(format!(r#""budget":{{"amount":{b}}}"#));
        }
        if let Some(p) = &self.percent {
            fields.push(format!(r#""percentUsed":{p}"#));
        }
        format!("{{{}}}", fields.join(","))
    }
}

fn customer() -> impl Strategy<Value = Cust> {
    (
        0u8..6,
        prop::sample::select(vec!["Contoso", "CONTOSO", "Fabrikam"]),
        0u8..4,
        prop::option::of(amount()),
        prop::option::of(amount()),
        prop::option::of(amount()),
        prop::option::of(amount()),
        any::<bool>(),
    )
        .prop_map(
            |(id, name, currency, cost, usd, budget, percent, upgraded)| Cust {
                id,
                name,
                currency,
                cost,
                usd,
                budget,
                percent,
                upgraded,
            },
        )
}

fn summarise_customers(
    records: &[Cust],
    options: &CustomerOptions,
    seed: u64,
    cuts: &[Index],
) -> (CustomerSummary, [serde_json::Value; 3]) {
    let raws: Vec<Box<RawValue>> = records.iter().map(|c| raw(c.json())).collect();
    three_ways(
        &raws,
        seed,
        cuts,
        || CustomerSummariser::new(options.clone()),
        |s, p, items| s.add_page(p, items).unwrap(),
        |s, o| s.merge(o).unwrap(),
        |s| s.finish().unwrap(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn customers_sum_exactly_whatever_the_order_and_pages(
        records in prop::collection::vec(customer(), 0..40),
        top_n in prop::option::of(0usize..5),
        seed in any::<u64>(),
        cuts in prop::collection::vec(any::<Index>(), 0..5),
    ) {
        let mut options = CustomerOptions::default();
        options.top_n = top_n;
        let (s, [a, b, c]) = summarise_customers(&records, &options, seed, &cuts);
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(&a, &c);
        prop_assert_eq!(s.records, records.len() as u64);

        // Independent sums of the generated amounts.
        let zero = || "0".to_string();
        let mut by_currency: BTreeMap<&str, Vec<Decimal>> = BTreeMap::new();
        for r in &records {
            by_currency.entry(r.currency_label()).or_default().push(d(r.cost.as_ref().unwrap_or(&zero())));
        }
        let usd_all: Vec<Decimal> = records.iter().map(|r| d(r.usd.as_ref().unwrap_or(&zero()))).collect();
        prop_assert_eq!(s.usd, sum(&usd_all));
        prop_assert_eq!(s.currency_totals.len(), by_currency.len());
        for t in &s.currency_totals {
            let label = t.currency.label();
            prop_assert_eq!(t.amount, sum(&by_currency[label.as_str()]));
            let rows: Vec<Decimal> = s.customers.iter().filter(|c| c.currency == t.currency).map(|c| c.cost).collect();
            prop_assert_eq!(t.amount, sum(&rows));
            prop_assert_eq!(t.records, rows.len() as u64);
        }
        // Every partition of the USD total adds up to it.
        prop_assert_eq!(sum(s.currency_totals.iter().map(|t| &t.usd)), s.usd);
        prop_assert_eq!(sum(s.top.iter().map(|r| &r.usd)), s.usd);
        prop_assert_eq!(sum(s.customers.iter().map(|r| &r.usd)), s.usd);
        prop_assert_eq!(s.azure_plan.usd.checked_add(s.legacy.usd).unwrap(), s.usd);
        // A customer billed in two currencies has a row for each, and is one
        // customer of its plan and of the ranking.
        let ids: std::collections::BTreeSet<&str> = s.customers.iter().map(|c| c.customer_id.as_str()).collect();
        let in_plans: std::collections::BTreeSet<(&str, bool)> =
            s.customers.iter().map(|c| (c.customer_id.as_str(), c.is_upgraded)).collect();
        prop_assert_eq!(s.azure_plan.customers + s.legacy.customers, in_plans.len() as u64);
        prop_assert_eq!(s.top.iter().map(|r| r.count).sum::<u64>(), ids.len() as u64);
        let b = &s.budget;
        prop_assert_eq!(b.no_budget + b.under + b.unknown + b.near + b.over, ids.len() as u64);
        // Each row's missing counts add up to the summary's, and a row with a
        // budget and a missing totalCost is never compared with it.
        prop_assert_eq!(s.customers.iter().map(|c| c.missing_cost).sum::<u64>(), s.missing_cost);
        prop_assert_eq!(s.customers.iter().map(|c| c.missing_usd).sum::<u64>(), s.missing_usd);
        for c in &s.customers {
            let unknown = c.missing_cost > 0 && c.budget.is_some();
            prop_assert_eq!(c.status == BudgetStatus::Unknown, unknown);
        }
        // Sorted by USD descending, then id.
        for w in s.customers.windows(2) {
            prop_assert!(w[0].usd > w[1].usd || (w[0].usd == w[1].usd && w[0].customer_id <= w[1].customer_id));
        }
    }
}

// ---------------------------------------------------------------- resources

#[derive(Debug, Clone)]
struct Res {
    rg: &'static str,
    kind: &'static str,
    name: u8,
    entitlement: u8,
    currency: u8,
    cost: Option<String>,
    usd: Option<String>,
}

impl Res {
    fn json(&self) -> String {
        let mut fields = vec![
            format!(
                r#""resourceUri":"/subscriptions/s/resourceGroups/{}/providers/{}/x/r{}""#,
                self.rg, self.kind, self.name
            ),
            format!(r#""resourceType":"{}""#, self.kind),
            format!(r#""name":"r{}""#, self.name),
            format!(
                r#""entitlementId":"E{}","entitlementName":"Plan {}""#,
                self.entitlement, self.entitlement
            ),
        ];
        if !self.rg.is_empty() {
            fields.push(format!(r#""resourceGroupName":"{}""#, self.rg));
        }
        match self.currency {
            0 => fields.push(r#""currencyCode":"EUR""#.into()),
            1 => fields.push(r#""currencyCode":"GBP""#.into()),
            _ => {}
        }
        if let Some(c) = &self.cost {
            fields.push(format!(r#""totalCost":{c}"#));
        }
        if let Some(u) = &self.usd {
            fields.push(format!(r#""usdTotalCost":{u}"#));
        }
        format!("{{{}}}", fields.join(","))
    }
}

fn resource() -> impl Strategy<Value = Res> {
    (
        prop::sample::select(vec!["TESTRG1", "testrg1", "Prod", "PROD", "prod", ""]),
        prop::sample::select(vec![
            "Microsoft.Compute",
            "microsoft.compute",
            "Microsoft.Storage",
        ]),
        0u8..5,
        0u8..3,
        0u8..3,
        prop::option::of(amount()),
        prop::option::of(amount()),
    )
        .prop_map(|(rg, kind, name, entitlement, currency, cost, usd)| Res {
            rg,
            kind,
            name,
            entitlement,
            currency,
            cost,
            usd,
        })
}

fn dimension() -> impl Strategy<Value = ResourceDimension> {
    prop::sample::select(vec![
        ResourceDimension::ResourceGroup,
        ResourceDimension::ResourceType,
        ResourceDimension::Resource,
        ResourceDimension::Entitlement,
    ])
}

fn summarise_resources(
    records: &[Res],
    options: &ResourceOptions,
    seed: u64,
    cuts: &[Index],
) -> (ResourceSummary, [serde_json::Value; 3]) {
    let raws: Vec<Box<RawValue>> = records.iter().map(|c| raw(c.json())).collect();
    three_ways(
        &raws,
        seed,
        cuts,
        || ResourceSummariser::new(options.clone()),
        |s, p, items| s.add_page(p, items).unwrap(),
        |s, o| s.merge(o).unwrap(),
        |s| s.finish().unwrap(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn resource_groups_sum_exactly_whatever_the_order_and_pages(
        records in prop::collection::vec(resource(), 0..40),
        group_by in dimension(),
        then_by in prop::option::of(dimension()),
        top_n in prop::option::of(0usize..4),
        seed in any::<u64>(),
        cuts in prop::collection::vec(any::<Index>(), 0..5),
    ) {
        let mut options = ResourceOptions::default();
        options.group_by = group_by;
        options.then_by = then_by;
        options.top_n = top_n;
        let (s, [a, b, c]) = summarise_resources(&records, &options, seed, &cuts);
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(&a, &c);

        let zero = || "0".to_string();
        let usd_all: Vec<Decimal> = records.iter().map(|r| d(r.usd.as_ref().unwrap_or(&zero()))).collect();
        prop_assert_eq!(s.usd, sum(&usd_all));
        for t in &s.currency_totals {
            let label = t.currency.label();
            let want: Vec<Decimal> = records
                .iter()
                .filter(|r| ["EUR", "GBP", "unknown"][r.currency as usize] == label)
                .map(|r| d(r.cost.as_ref().unwrap_or(&zero())))
                .collect();
            prop_assert_eq!(t.amount, sum(&want));
        }
        prop_assert_eq!(sum(s.groups.iter().map(|g| &g.usd)), s.usd);
        prop_assert_eq!(s.groups.iter().map(|g| g.records).sum::<u64>(), records.len() as u64);
        // The flat rows: level 1 alone, and level 2 alone, add up per currency.
        let rows = s.rows();
        for t in &s.currency_totals {
            let level = |l: u8| sum(rows.iter().filter(|r| r.level == l && r.currency == t.currency).map(|r| &r.amount));
            prop_assert_eq!(level(1), t.amount);
            if then_by.is_some() {
                // The `others` row has no children: it stands for its groups'.
                let others = sum(rows.iter().filter(|r| r.others && r.currency == t.currency).map(|r| &r.amount));
                prop_assert_eq!(level(2).checked_add(others).unwrap(), t.amount);
            }
        }
        for g in s.groups.iter().filter(|g| !g.others) {
            if then_by.is_some() {
                prop_assert_eq!(sum(g.children.iter().map(|c| &c.usd)), g.usd);
            } else {
                prop_assert!(g.children.is_empty());
            }
        }
        if let Some(n) = top_n {
            prop_assert_eq!(s.groups.iter().filter(|g| !g.others).count() as u64, s.group_count.min(n as u64));
        }
    }
}

// ---------------------------------------------------------------- utilization

#[derive(Debug, Clone)]
struct Use {
    day: u32,
    hour: u32,
    offset: &'static str,
    name: &'static str,
    category: &'static str,
    region: &'static str,
    unit: &'static str,
    quantity: String,
    rg: Option<&'static str>,
    tag: Option<(&'static str, &'static str)>,
}

impl Use {
    fn start(&self) -> String {
        format!(
            "2024-03-{:02}T{:02}:17:00{}",
            self.day, self.hour, self.offset
        )
    }

    fn json(&self) -> String {
        let mut instance = vec![];
        if let Some(rg) = self.rg {
            instance.push(format!(
                r#""resourceUri":"/subscriptions/s/resourceGroups/{rg}/providers/p/t/n""#
            ));
        }
        if let Some((k, v)) = self.tag {
            instance.push(format!(r#""tags":{{"{k}":"{v}"}}"#));
        }
        format!(
            r#"{{"usageStartTime":"{}","resource":{{"name":"{}","category":"{}","region":"{}"}},
                "quantity":{},"unit":"{}","instanceData":{{{}}}}}"#,
            self.start(),
            self.name,
            self.category,
            self.region,
            self.quantity,
            self.unit,
            instance.join(",")
        )
    }
}

fn usage() -> impl Strategy<Value = Use> {
    (
        (
            1u32..=9,
            0u32..24,
            prop::sample::select(vec!["Z", "+02:00", "-05:30"]),
        ),
        prop::sample::select(vec!["Hot LRS Data Stored", "Standard IO", "D2 v3"]),
        prop::sample::select(vec!["Storage", "storage", "Compute"]),
        prop::sample::select(vec!["West Europe", "North Europe"]),
        prop::sample::select(vec!["1 GB/Month", "10K", "1 Hour"]),
        amount(),
        prop::option::of(prop::sample::select(vec!["Prod", "PROD", "dev"])),
        prop::option::of(prop::sample::select(vec![
            ("env", "prod"),
            ("Env", "prod"),
            ("env", "dev"),
            ("owner", "x"),
        ])),
    )
        .prop_map(
            |((day, hour, offset), name, category, region, unit, quantity, rg, tag)| Use {
                day,
                hour,
                offset,
                name,
                category,
                region,
                unit,
                quantity,
                rg,
                tag,
            },
        )
}

fn utilization_options() -> impl Strategy<Value = UtilizationOptions> {
    (
        prop::sample::select(vec!["hour", "day", "week", "month"]),
        prop::sample::select(vec![0, 60, -330]),
        prop::sample::select(vec![
            r#""meter""#,
            r#""category""#,
            r#""region""#,
            r#""resource-group""#,
            r#""tag","tagKey":"ENV""#,
        ]),
    )
        .prop_map(|(bucket, offset, group_by)| {
            serde_json::from_str(&format!(
                r#"{{"bucket":"{bucket}","offsetMinutes":{offset},"groupBy":{group_by}}}"#
            ))
            .unwrap()
        })
}

fn summarise_usage(records: &[&Use], options: &UtilizationOptions) -> UtilizationSummary {
    let mut s = UtilizationSummariser::new(options.clone()).unwrap();
    let raws: Vec<Box<RawValue>> = records.iter().map(|u| raw(u.json())).collect();
    let items: Vec<&RawValue> = raws.iter().map(|r| &**r).collect();
    s.add_page(1, &items).unwrap();
    s.finish().unwrap()
}

/// A filter, as JSON for the options and as the documented predicate.
#[derive(Debug, Clone)]
enum Filter {
    Category(&'static str),
    Region(&'static str),
    ResourceGroup(&'static str),
    Tag(&'static str, Option<&'static str>),
    MeterContains(&'static str),
}

impl Filter {
    fn json(&self) -> String {
        match self {
            Filter::Category(c) => format!(r#"{{"category":"{c}"}}"#),
            Filter::Region(r) => format!(r#"{{"region":"{r}"}}"#),
            Filter::ResourceGroup(g) => format!(r#"{{"resourceGroup":"{g}"}}"#),
            Filter::Tag(k, Some(v)) => format!(r#"{{"tag":{{"key":"{k}","value":"{v}"}}}}"#),
            Filter::Tag(k, None) => format!(r#"{{"tag":{{"key":"{k}"}}}}"#),
            Filter::MeterContains(m) => format!(r#"{{"meterContains":"{m}"}}"#),
        }
    }

    fn keeps(&self, u: &Use) -> bool {
        match self {
            Filter::Category(c) => u.category.eq_ignore_ascii_case(c),
            Filter::Region(r) => u.region.eq_ignore_ascii_case(r),
            Filter::ResourceGroup(g) => u.rg.is_some_and(|rg| rg.eq_ignore_ascii_case(g)),
            Filter::Tag(k, v) => u
                .tag
                .is_some_and(|(tk, tv)| tk.eq_ignore_ascii_case(k) && v.is_none_or(|v| v == tv)),
            Filter::MeterContains(m) => u
                .name
                .to_ascii_lowercase()
                .contains(&m.to_ascii_lowercase()),
        }
    }
}

fn filter() -> impl Strategy<Value = Filter> {
    prop_oneof![
        prop::sample::select(vec!["STORAGE", "Compute", "Network"]).prop_map(Filter::Category),
        prop::sample::select(vec!["west europe", "North Europe"]).prop_map(Filter::Region),
        prop::sample::select(vec!["prod", "DEV"]).prop_map(Filter::ResourceGroup),
        (
            prop::sample::select(vec!["env", "ENV", "owner"]),
            prop::option::of(prop::sample::select(vec!["prod", "Prod", "x"]))
        )
            .prop_map(|(k, v)| Filter::Tag(k, v)),
        prop::sample::select(vec!["lrs", "d2", "IO", "zzz"]).prop_map(Filter::MeterContains),
    ]
}

fn with_filters(options: &UtilizationOptions, filters: &str) -> UtilizationOptions {
    let mut v = serde_json::json!({
        "bucket": options.bucket,
        "offsetMinutes": options.offset_minutes,
        "groupBy": options.group_by,
        "filters": serde_json::from_str::<serde_json::Value>(filters).unwrap(),
    });
    if let Some(k) = &options.tag_key {
        v["tagKey"] = k.clone().into();
    }
    serde_json::from_value(v).unwrap()
}

/// (unit, key) → exact total, over all series.
fn totals(s: &UtilizationSummary) -> BTreeMap<(String, Option<String>), Decimal> {
    s.series
        .iter()
        .map(|x| ((x.unit.clone(), x.key.clone()), x.total))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn series_sum_exactly_whatever_the_order_and_pages(
        records in prop::collection::vec(usage(), 0..40),
        options in utilization_options(),
        seed in any::<u64>(),
        cuts in prop::collection::vec(any::<Index>(), 0..5),
    ) {
        let raws: Vec<Box<RawValue>> = records.iter().map(|u| raw(u.json())).collect();
        let (s, [a, b, c]) = three_ways(
            &raws,
            seed,
            &cuts,
            || UtilizationSummariser::new(options.clone()).unwrap(),
            |s, p, items| s.add_page(p, items).unwrap(),
            |s, o| s.merge(o).unwrap(),
            |s| s.finish().unwrap(),
        );
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(&a, &c);
        prop_assert_eq!(s.records, records.len() as u64);

        // The fast page scanner feeds the same summary as decoding.
        let jsons: Vec<String> = records.iter().map(Use::json).collect();
        let body = format!(r#"{{"totalCount":{},"items":[{}]}}"#, records.len(), jsons.join(","));
        let mut scanned = UtilizationSummariser::new(options.clone()).unwrap();
        let info = scanned.add_scanned_page(1, body.as_bytes()).unwrap();
        prop_assert_eq!(info.item_count, records.len());
        prop_assert_eq!(&serde_json::to_value(scanned.finish().unwrap()).unwrap(), &a);

        // Per unit, the series add up to the records' quantities: units never mix.
        for unit in ["1 GB/Month", "10K", "1 Hour"] {
            let want: Vec<Decimal> = records.iter().filter(|r| r.unit == unit).map(|r| d(&r.quantity)).collect();
            let got: Vec<Decimal> = s.series.iter().filter(|x| x.unit == unit).map(|x| x.total).collect();
            prop_assert_eq!(sum(&got), sum(&want));
        }
        for x in &s.series {
            let exact = x.exact_values.as_ref().unwrap();
            prop_assert_eq!(exact.len(), s.bucket_starts.len());
            prop_assert_eq!(x.values.len(), s.bucket_starts.len());
            prop_assert_eq!(sum(exact), x.total);
            prop_assert!(exact.iter().all(|v| *v <= exact[x.peak_index]));
        }
        // Contiguous buckets, covering every record.
        let (b, off) = (options.bucket, options.offset_minutes);
        if let Some(first) = s.bucket_starts.first() {
            let first = b.index(*first as i64 / 1000, off);
            for (i, start) in s.bucket_starts.iter().enumerate() {
                prop_assert_eq!(*start, b.start(first + i as i64, off) as f64 * 1000.0);
            }
            for r in &records {
                let i = b.index(Timestamp::parse(&r.start()).unwrap().unix_seconds(), off) - first;
                prop_assert!(i >= 0 && (i as usize) < s.bucket_starts.len());
            }
        } else {
            prop_assert!(records.is_empty());
        }
    }

    #[test]
    fn filters_commute_with_grouping(
        records in prop::collection::vec(usage(), 0..40),
        options in utilization_options(),
        filter in filter(),
    ) {
        let all: Vec<&Use> = records.iter().collect();
        let kept: Vec<&Use> = records.iter().filter(|u| filter.keeps(u)).collect();
        // Filter while aggregating == aggregate what the filter keeps.
        let filtered = summarise_usage(&all, &with_filters(&options, &filter.json()));
        let prefiltered = summarise_usage(&kept, &options);
        prop_assert_eq!(filtered.records, kept.len() as u64);
        prop_assert_eq!(filtered.filtered_out, (records.len() - kept.len()) as u64);
        prop_assert_eq!(&filtered.bucket_starts, &prefiltered.bucket_starts);
        prop_assert_eq!(&filtered.series, &prefiltered.series);

        // Group by a dimension, then pick a group == filter on it, then group.
        if let Filter::Category(c) = &filter {
            let mut by_category = options.clone();
            by_category.group_by = SeriesDimension::Category;
            by_category.tag_key = None;
            let grouped = totals(&summarise_usage(&all, &by_category));
            let picked: BTreeMap<_, _> = grouped
                .into_iter()
                .filter(|((_, k), _)| k.as_deref().is_some_and(|k| k.eq_ignore_ascii_case(c)))
                .collect();
            let mut cat_options = with_filters(&options, &filter.json());
            cat_options.group_by = SeriesDimension::Category;
            cat_options.tag_key = None;
            let then_grouped = totals(&summarise_usage(&all, &cat_options));
            prop_assert_eq!(picked, then_grouped);
        }
    }

    #[test]
    fn time_filters_keep_exactly_the_records_in_range(
        records in prop::collection::vec(usage(), 0..40),
        options in utilization_options(),
        from in 0i64..10 * 24,
        hours in 1i64..5 * 24,
    ) {
        let start = Timestamp::parse("2024-03-01T00:00:00Z").unwrap().add_seconds(from * 3600);
        let end = start.add_seconds(hours * 3600);
        let inside = |u: &&Use| {
            let t = Timestamp::parse(&u.start()).unwrap().unix_nanos();
            t >= start.unix_nanos() && t < end.unix_nanos()
        };
        let kept: Vec<&Use> = records.iter().filter(inside).collect();
        let filters = format!(r#"{{"start":"{start}","end":"{end}"}}"#);
        let filtered = summarise_usage(&records.iter().collect::<Vec<_>>(), &with_filters(&options, &filters));
        let prefiltered = summarise_usage(&kept, &options);
        prop_assert_eq!(filtered.records, kept.len() as u64);
        prop_assert_eq!(totals(&filtered), totals(&prefiltered));
        // The buckets span the filter's range, whatever the data.
        let b = options.bucket;
        let lo = b.index(start.unix_seconds(), options.offset_minutes);
        let hi = b.index(end.unix_seconds() - 1, options.offset_minutes);
        prop_assert_eq!(filtered.bucket_starts.len() as i64, hi - lo + 1);
    }
}
