//! The seeded partner: customers, subscriptions, resources and meters.
//!
//! Customers and subscriptions are generated once when the simulator is
//! built. Resource usage records and utilization records are generated on
//! demand from `(seed, customer, subscription, index)`, so a subscription with
//! a million utilization records is never held in memory.

use super::json::{datetime_ticks, fixed, guid};
use super::rng::{hash, Rng};
use super::SimConfig;

/// Money is generated as integer units of 10^-19, like the seeds' 19-digit decimals.
pub(crate) const MONEY_SCALE: u32 = 19;
/// Quantities are integer units of 10^-16.
pub(crate) const QTY_SCALE: u32 = 16;
const ONE_QTY: u64 = 10_000_000_000_000_000;
/// FX rates are written as USD per unit of currency, scaled by 10^9.
const RATE_SCALE: u128 = 1_000_000_000;
/// Days of utilization data kept before the reporting horizon.
pub(crate) const DATA_DAYS: u32 = 120;
/// The largest accepted `big_subscription_records`.
pub(crate) const MAX_BIG_RECORDS: u64 = 100_000_000;

// Coordinates mixed into the seed so each kind of value has its own stream.
const T_CUSTOMER: u64 = 0xC057;
const T_SUB: u64 = 0x5AB;
const T_RESOURCE: u64 = 0x7E5;
const T_INSTANCE: u64 = 0x1257;
const T_INSTANCE_TEXT: u64 = 0x1258;
pub(crate) const T_QUANTITY: u64 = 0x9A7;
const T_SPECIAL: u64 = 0x5BEC;
const T_HOURLY: u64 = 0x4042;

/// A currency the seeded partner bills in.
#[derive(Debug)]
pub(crate) struct Currency {
    pub(crate) code: &'static str,
    /// USD per unit, × 10^9.
    rate: u128,
    symbol: &'static str,
    suffixes: &'static [&'static str],
}

pub(crate) const CURRENCIES: [Currency; 5] = [
    Currency {
        code: "USD",
        rate: 1_000_000_000,
        symbol: "$",
        suffixes: &["Inc.", "LLC", "Corp."],
    },
    Currency {
        code: "EUR",
        rate: 1_082_500_000,
        symbol: "€",
        suffixes: &["GmbH", "SAS", "B.V.", "S.p.A."],
    },
    Currency {
        code: "GBP",
        rate: 1_271_500_000,
        symbol: "£",
        suffixes: &["Ltd", "plc"],
    },
    Currency {
        code: "SEK",
        rate: 95_300_000,
        symbol: "kr",
        suffixes: &["AB"],
    },
    Currency {
        code: "JPY",
        rate: 6_670_000,
        symbol: "¥",
        suffixes: &["K.K.", "合同会社"],
    },
];

/// Legacy customers have a `currencyLocale` instead of a `currencyCode`:
/// (locale, index into [`CURRENCIES`], legal suffix).
const LOCALES: [(&str, usize, &str); 5] = [
    ("fr-FR", 1, "SARL"),
    ("de-DE", 1, "GmbH"),
    ("en-US", 0, "Inc."),
    ("en-GB", 2, "Ltd"),
    ("sv-SE", 3, "AB"),
];

const BASE_NAMES: [&str; 40] = [
    "Contoso",
    "Fabrikam",
    "Northwind Traders",
    "Adventure Works",
    "Tailspin Toys",
    "Wide World Importers",
    "Litware",
    "Proseware",
    "Woodgrove Bank",
    "Alpine Ski House",
    "Coho Winery",
    "Fourth Coffee",
    "Lamna Healthcare",
    "Margie's Travel",
    "Trey Research",
    "Wingtip Toys",
    "VanArsdel",
    "Relecloud",
    "Humongous Insurance",
    "Blue Yonder Airlines",
    "Graphic Design Institute",
    "Consolidated Messenger",
    "Lucerne Publishing",
    "City Power & Light",
    "Southridge Video",
    "Datum Corporation",
    "Bellows College",
    "Nod Publishers",
    "Munson's Pickles",
    "Best For You Organics",
    "Wingtip Solutions",
    "Tailwind Logistics",
    "Boreal Analytics",
    "Granite Peak Dental",
    "Harborview Clinics",
    "Kestrel Engineering",
    "Lindqvist Bygg",
    "Nordlys Energi",
    "Sakura Precision",
    "Thames Valley Foods",
];

const QUALIFIERS: [&str; 12] = [
    "",
    " Nordic",
    " Europe",
    " Holdings",
    " Labs",
    " Retail",
    " Services",
    " Cloud",
    " Logistics",
    " Digital",
    " Group",
    " Manufacturing",
];

/// The XSS probe customer's name: any UI that renders it as HTML is broken.
pub(crate) const XSS_NAME: &str = "<img src=x onerror=alert(1)>";
/// A customer name with non-ASCII characters and an ampersand.
pub(crate) const UNICODE_NAME: &str = "Müller & Søn AB";
/// The extra legacy customer holding the big subscription.
pub(crate) const SCALE_TEST_NAME: &str = "Contoso Scale Test";

/// The Azure plan offer.
pub(crate) const AZURE_PLAN_OFFER: &str = "DZH318Z0BCZC";
/// The legacy Microsoft Azure offer served by the utilization API.
pub(crate) const LEGACY_OFFER: &str = "MS-AZR-0145P";
const LICENSE_OFFER: &str = "031C9E47-4802-4248-838E-778FB1D2CC05";

/// What a subscription is, which decides the usage endpoint that serves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SubscriptionKind {
    /// An Azure plan (`DZH318Z0BCZC`): served by `resourceusagerecords`.
    AzurePlan,
    /// A legacy Microsoft Azure subscription (`MS-AZR-0145P`): served by `utilizations/azure`.
    Legacy,
    /// A license-based subscription (e.g. Microsoft 365): no Azure usage at all.
    License,
}

impl SubscriptionKind {
    /// A short lowercase name: `azurePlan`, `legacy` or `license`.
    ///
    /// ```
    /// use partner_usage_core::sim::SubscriptionKind;
    /// assert_eq!(SubscriptionKind::Legacy.as_str(), "legacy");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionKind::AzurePlan => "azurePlan",
            SubscriptionKind::Legacy => "legacy",
            SubscriptionKind::License => "license",
        }
    }
}

/// Ground truth about one simulated customer, for tests and the demo.
///
/// Amounts are the exact decimal strings the simulator writes as JSON numbers.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Customer {
    /// The customer tenant id (a lowercase GUID).
    pub id: String,
    /// The company name (may contain HTML-special and non-ASCII characters).
    pub name: String,
    /// `true` for Azure plan customers (`isUpgraded: true`), `false` for legacy ones.
    pub is_upgraded: bool,
    /// The `currencyCode` sent; `None` for legacy customers.
    pub currency_code: Option<&'static str>,
    /// The `currencyLocale` sent; only legacy customers have one.
    pub currency_locale: Option<&'static str>,
    /// The currency `totalCost` is in (derived from the locale for legacy customers).
    pub currency: &'static str,
    /// `totalCost`: for Azure plan customers, exactly the sum of the resource
    /// usage records of all their Azure plan subscriptions.
    pub total_cost: String,
    /// `usdTotalCost`: the sum of the resources' `usdTotalCost`.
    pub usd_total_cost: String,
    /// `budget.amount`, if the customer has a spending budget.
    pub budget: Option<u64>,
    /// `percentUsed`: `totalCost / budget × 100` rounded to 2 decimals (0 without a budget).
    pub percent_used: String,
    /// The customer's subscriptions, in the order the API lists them.
    pub subscriptions: Vec<Subscription>,
    pub(crate) index: u64,
    pub(crate) modified: (i64, u32),
    pub(crate) symbol: Option<&'static str>,
    pub(crate) customer_budget_field: bool,
    pub(crate) domain: String,
}

/// Ground truth about one simulated subscription.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Subscription {
    /// The subscription id (for an Azure plan, the plan id).
    pub id: String,
    /// `offerId`: `DZH318Z0BCZC`, `MS-AZR-0145P` or a license offer.
    pub offer_id: &'static str,
    /// `offerName`.
    pub offer_name: &'static str,
    /// `friendlyName`.
    pub friendly_name: String,
    /// Which usage endpoint serves it.
    pub kind: SubscriptionKind,
    /// Azure plan: the number of resource usage records; 0 otherwise.
    pub resource_records: u64,
    /// Azure plan: the exact sum of its resources' `totalCost`; `"0"` otherwise.
    pub total_cost: String,
    /// Legacy: the number of utilization records with daily granularity and
    /// `show_details=true` over the whole data window; 0 otherwise.
    pub utilization_records: u64,
    /// Legacy: whether hourly granularity returns records. Partner Center
    /// often has no hourly data where daily works (the digest): for about
    /// one legacy subscription in four an hourly window answers 204, as one
    /// with no usage does. Never for the scale-test subscription.
    pub hourly_data: bool,
    pub(crate) index: u64,
    pub(crate) status: &'static str,
    pub(crate) created_secs: i64,
    pub(crate) modified: (i64, u32),
    pub(crate) quantity: u64,
    pub(crate) order_id: String,
    /// Legacy: number of resource instances.
    pub(crate) instances: u64,
    /// Legacy: the big subscription (instances laid out regularly).
    pub(crate) big: bool,
    /// Legacy: records in the last instance (big subscription only).
    pub(crate) big_tail_days: u32,
    /// Legacy: the meters used, as sorted indices into [`METERS`].
    pub(crate) meters: Vec<u8>,
    /// Legacy: prefix sums of records per day, `show_details=true` (len DATA_DAYS + 1).
    pub(crate) day_prefix_detail: Vec<u64>,
    /// Legacy: prefix sums of records per day, `show_details=false`.
    pub(crate) day_prefix_agg: Vec<u64>,
    /// Azure plan: entitlements (Azure subscription id, name).
    pub(crate) entitlements: Vec<(String, &'static str)>,
    /// Resource groups (names as created; records vary their case).
    pub(crate) groups: Vec<&'static str>,
    pub(crate) regions: Vec<u8>,
}

/// A meter of the legacy utilization API.
#[derive(Debug)]
pub(crate) struct Meter {
    pub(crate) name: &'static str,
    pub(crate) category: &'static str,
    pub(crate) subcategory: &'static str,
    pub(crate) unit: &'static str,
    /// Provider and type path of the resources it meters.
    pub(crate) provider: &'static str,
    pub(crate) prefix: &'static str,
    pub(crate) part: &'static str,
    /// `true`: one unit per running hour (VMs, IPs); else `lo..=hi` per hour in 10^-4 units.
    pub(crate) hourly: bool,
    pub(crate) lo: u64,
    pub(crate) hi: u64,
    /// The meter has no region (`Zone 1` style, like bandwidth).
    pub(crate) zone: bool,
}

pub(crate) const METERS: [Meter; 12] = [
    Meter {
        name: "Standard_D2s_v3",
        category: "Virtual Machines",
        subcategory: "DSv3 Series",
        unit: "1 Hour",
        provider: "Microsoft.Compute/virtualMachines",
        prefix: "vm",
        part: "AAD-34180",
        hourly: true,
        lo: 0,
        hi: 0,
        zone: false,
    },
    Meter {
        name: "Standard_B2ms",
        category: "Virtual Machines",
        subcategory: "BS Series",
        unit: "1 Hour",
        provider: "Microsoft.Compute/virtualMachines",
        prefix: "vm",
        part: "AAF-65283",
        hourly: true,
        lo: 0,
        hi: 0,
        zone: false,
    },
    Meter {
        name: "P10 Disks",
        category: "Storage",
        subcategory: "Premium SSD Managed Disks",
        unit: "1/Month",
        provider: "Microsoft.Compute/disks",
        prefix: "disk",
        part: "AAA-55401",
        hourly: false,
        lo: 13,
        hi: 14,
        zone: false,
    },
    Meter {
        name: "Hot LRS Data Stored",
        category: "Storage",
        subcategory: "Tiered Block Blob",
        unit: "1 GB/Month",
        provider: "Microsoft.Storage/storageAccounts",
        prefix: "st",
        part: "AAD-18170",
        hourly: false,
        lo: 50,
        hi: 40_000,
        zone: false,
    },
    Meter {
        name: "Standard IO - Page Blob/Disk",
        category: "Storage",
        subcategory: "Standard Page Blob",
        unit: "10,000 Transactions",
        provider: "Microsoft.Storage/storageAccounts",
        prefix: "st",
        part: "N7H-00015",
        hourly: false,
        lo: 10,
        hi: 90_000,
        zone: false,
    },
    Meter {
        name: "Data Transfer Out",
        category: "Bandwidth",
        subcategory: "",
        unit: "1 GB",
        provider: "Microsoft.Network/publicIPAddresses",
        prefix: "pip",
        part: "N7H-00008",
        hourly: false,
        lo: 1,
        hi: 30_000,
        zone: true,
    },
    Meter {
        name: "Standard Static Public IP",
        category: "Networking",
        subcategory: "IP Addresses",
        unit: "1 Hour",
        provider: "Microsoft.Network/publicIPAddresses",
        prefix: "pip",
        part: "AAA-72544",
        hourly: true,
        lo: 0,
        hi: 0,
        zone: false,
    },
    Meter {
        name: "vCore",
        category: "SQL Database",
        subcategory: "Single General Purpose - Compute Gen5",
        unit: "1 Hour",
        provider: "Microsoft.Sql/servers/databases",
        prefix: "sqldb",
        part: "AAD-46134",
        hourly: false,
        lo: 10_000,
        hi: 80_000,
        zone: false,
    },
    Meter {
        name: "S1 App",
        category: "Azure App Service",
        subcategory: "Standard Plan",
        unit: "1 Hour",
        provider: "Microsoft.Web/serverFarms",
        prefix: "plan",
        part: "AAA-95120",
        hourly: true,
        lo: 0,
        hi: 0,
        zone: false,
    },
    Meter {
        name: "Operations",
        category: "Key Vault",
        subcategory: "",
        unit: "10,000 Operations",
        provider: "Microsoft.KeyVault/vaults",
        prefix: "kv",
        part: "AAA-83422",
        hourly: false,
        lo: 1,
        hi: 2_500,
        zone: false,
    },
    Meter {
        name: "Data Ingestion",
        category: "Log Analytics",
        subcategory: "",
        unit: "1 GB",
        provider: "Microsoft.OperationalInsights/workspaces",
        prefix: "log",
        part: "AAH-07384",
        hourly: false,
        lo: 5,
        hi: 8_000,
        zone: false,
    },
    Meter {
        name: "LRS Snapshots",
        category: "Storage",
        subcategory: "Standard HDD Managed Disks",
        unit: "1 GB/Month",
        provider: "Microsoft.Compute/snapshots",
        prefix: "snap",
        part: "AAD-11902",
        hourly: false,
        lo: 100,
        hi: 12_000,
        zone: false,
    },
];

/// Regions: (display name, location).
pub(crate) const REGIONS: [(&str, &str); 7] = [
    ("West Europe", "westeurope"),
    ("North Europe", "northeurope"),
    ("East US", "eastus"),
    ("East US 2", "eastus2"),
    ("UK South", "uksouth"),
    ("Sweden Central", "swedencentral"),
    ("Japan East", "japaneast"),
];

const GROUPS: [&str; 10] = [
    "TestRg1",
    "Prod-Web-RG",
    "Networking",
    "sql-rg",
    "Shared-Services",
    "rg-DataPlatform",
    "AppSvc-Prod",
    "Backup-RG",
    "Dev-Sandbox",
    "Monitoring",
];

const WORDS: [&str; 12] = [
    "web", "api", "etl", "crm", "erp", "portal", "batch", "hr", "finance", "shop", "search",
    "build",
];

const ENTITLEMENT_NAMES: [&str; 5] = [
    "Partner Subscription",
    "Azure subscription 1",
    "Production",
    "Development",
    "Shared Services",
];

/// Resource types of Azure plan resource usage records:
/// (provider, type path, USD cost range in whole dollars).
const RESOURCE_TYPES: [(&str, &str, u64, u64); 11] = [
    ("Microsoft.Compute", "virtualMachines", 20, 900),
    ("Microsoft.Compute", "disks", 1, 60),
    ("Microsoft.Storage", "storageAccounts", 0, 40),
    ("Microsoft.Sql", "servers/databases", 5, 700),
    ("Microsoft.Network", "publicIPAddresses", 1, 8),
    ("Microsoft.Network", "virtualNetworks", 0, 0),
    ("Microsoft.Network", "loadBalancers", 5, 40),
    ("Microsoft.Web", "sites", 0, 120),
    ("Microsoft.Web", "serverFarms", 10, 300),
    ("Microsoft.KeyVault", "vaults", 0, 3),
    ("Microsoft.Insights", "components", 0, 25),
];

/// Converts USD units to a currency (floor).
fn from_usd(usd: u128, cur: &Currency) -> u128 {
    usd * RATE_SCALE / cur.rate
}

/// Converts currency units to USD (floor).
pub(crate) fn to_usd(units: u128, cur: &Currency) -> u128 {
    units * cur.rate / RATE_SCALE
}

/// Varies the case of a resource group name the way Partner Center does.
pub(crate) fn group_case(name: &str, variant: u64) -> String {
    match variant % 4 {
        0 => name.to_string(),
        1 => name.to_ascii_uppercase(),
        2 => name.to_ascii_lowercase(),
        _ => {
            // Title-ish: first letter upper, the rest lower.
            let lower = name.to_ascii_lowercase();
            let mut s = String::with_capacity(lower.len());
            for (i, c) in lower.chars().enumerate() {
                s.push(if i == 0 { c.to_ascii_uppercase() } else { c });
            }
            s
        }
    }
}

/// The simulator's generated world.
#[derive(Debug)]
pub(crate) struct World {
    pub(crate) customers: Vec<Customer>,
    /// Day number (since 1970-01-01) of the first day of utilization data.
    pub(crate) day0: i64,
}

impl World {
    pub(crate) fn generate(cfg: &SimConfig) -> World {
        let now = cfg.now.unix_seconds();
        // Usage is reported with a lag: a day appears once it ended 2 hours ago.
        let horizon_day = (now - 2 * 3600).div_euclid(86_400);
        let day0 = horizon_day - i64::from(DATA_DAYS);
        let n = cfg.customers;
        let seed = cfg.seed;
        let mut customers = Vec::with_capacity(n + 1);
        let offset = if n == 0 {
            0
        } else {
            (hash(&[seed, T_SPECIAL]) % n as u64) as usize
        };
        for i in 0..n {
            // Slots 0..5 after the seeded offset force coverage of every kind.
            let slot = (i + n - offset) % n;
            customers.push(gen_customer(seed, i as u64, slot, n, now, day0));
        }
        if cfg.big_subscription_records > 0 {
            let records = cfg.big_subscription_records.min(MAX_BIG_RECORDS);
            customers.push(gen_scale_customer(seed, n as u64, records, now, day0));
        }
        World { customers, day0 }
    }
}

/// The slot of the Azure plan customer with no usage this billing period:
/// one plan subscription without resource usage records, total cost 0.
const NO_USAGE_SLOT: usize = 6;

/// What kind of customer a slot gets: `None` = legacy, `Some(i)` = currency.
fn customer_kind(r: &mut Rng, slot: usize) -> Option<usize> {
    match slot {
        0 => Some(3), // SEK: the non-ASCII name lives here
        1 => None,
        2 => Some(0),
        3 => Some(1),
        4 => Some(2),
        5 => Some(4),
        // An Azure plan customer with no usage yet this billing period (a
        // new tenant): seed 001's example has one (totalCost 0, no budget).
        NO_USAGE_SLOT => Some(0),
        _ => {
            let x = r.range(0, 99);
            match x {
                0..=14 => None,
                15..=44 => Some(0),
                45..=66 => Some(1),
                67..=79 => Some(2),
                80..=89 => Some(3),
                _ => Some(4),
            }
        }
    }
}

fn company_name(i: u64, suffix: &str) -> String {
    let combos = (BASE_NAMES.len() * QUALIFIERS.len()) as u64;
    let c = (i * 7919 + 13) % combos;
    let base = BASE_NAMES[(c / QUALIFIERS.len() as u64) as usize];
    let qual = QUALIFIERS[(c % QUALIFIERS.len() as u64) as usize];
    let mut s = String::with_capacity(40);
    s.push_str(base);
    s.push_str(qual);
    if i >= combos {
        s.push(' ');
        s.push_str(&(i / combos + 1).to_string());
    }
    s.push(' ');
    s.push_str(suffix);
    s
}

fn domain_of(name: &str, i: u64) -> String {
    let mut d: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(20)
        .collect::<String>()
        .to_ascii_lowercase();
    if d.is_empty() {
        d.push_str("customer");
    }
    d.push_str(&i.to_string());
    d.push_str(".onmicrosoft.com");
    d
}

fn modified_at(r: &mut Rng, now: i64) -> (i64, u32) {
    let secs = now - r.range(600, 30 * 3600) as i64;
    let ticks = r.range(0, 9_999_999) as u32;
    // Written as .NET does, trailing zeros dropped, so the fractions vary in
    // length: kept whole, or cut to 5, 2 or no digits (from the ticks
    // themselves, so no other draw moves).
    let unit = [1, 1, 1, 1, 100, 100_000, 10_000_000][(ticks / 7 % 7) as usize];
    (secs, ticks - ticks % unit)
}

fn gen_customer(seed: u64, i: u64, slot: usize, n: usize, now: i64, day0: i64) -> Customer {
    let mut r = Rng::at(&[seed, T_CUSTOMER, i]);
    let id = guid(r.next(), r.next());
    let kind = customer_kind(&mut r, slot);
    let (currency_idx, locale, suffix) = match kind {
        Some(ci) => {
            let cur = &CURRENCIES[ci];
            (ci, None, *r.pick(cur.suffixes))
        }
        None => {
            let (loc, ci, suffix) = *r.pick(&LOCALES);
            (ci, Some(loc), suffix)
        }
    };
    let name = if n >= 3 && slot == 0 {
        UNICODE_NAME.to_string()
    } else if n >= 3 && slot == 2 {
        XSS_NAME.to_string()
    } else {
        company_name(i, suffix)
    };
    let cur = &CURRENCIES[currency_idx];
    let legacy = locale.is_some();
    let mut subscriptions = Vec::new();
    let mut total: u128 = 0;
    let mut usd_total: u128 = 0;
    if legacy {
        let count = r.range(1, 2);
        for s in 0..count {
            subscriptions.push(gen_legacy_sub(seed, i, s, now, day0, None));
        }
        // The spending API reports legacy customers too; some spent nothing.
        if r.chance(0.7) {
            let usd = u128::from(r.range(5, 4000)) * 10u128.pow(MONEY_SCALE)
                + u128::from(r.next()) % 10u128.pow(MONEY_SCALE);
            total = from_usd(usd, cur);
            usd_total = to_usd(total, cur);
        }
    } else {
        let no_usage = n > NO_USAGE_SLOT && slot == NO_USAGE_SLOT;
        let plans = match r.range(0, 9) {
            _ if no_usage => 1,
            0..=5 => 1,
            6..=8 => 2,
            _ => 3,
        };
        for s in 0..plans {
            let mut sub = gen_plan_sub(seed, i, s, now, cur);
            if no_usage {
                sub.resource_records = 0;
            }
            let (t, u) = plan_totals(seed, i, &sub, cur);
            total += t;
            usd_total += u;
            subscriptions.push(Subscription {
                total_cost: fixed(t, MONEY_SCALE),
                ..sub
            });
        }
    }
    if r.chance(0.3) {
        let lic = gen_license_sub(seed, i, subscriptions.len() as u64, now);
        let at = r.range(0, subscriptions.len() as u64) as usize;
        subscriptions.insert(at, lic);
    }
    // Budgets: none / under / near (80–100 %) / over (> 100 %).
    let budget = if legacy || total == 0 {
        None
    } else {
        let category = if (2..6).contains(&slot) {
            (slot as u64 - 2 + seed) % 4
        } else {
            r.range(0, 9) % 4
        };
        let whole = total / 10u128.pow(MONEY_SCALE);
        let pct = match category {
            0 => 0,
            1 => r.range(8, 70),
            2 => r.range(82, 97),
            _ => r.range(110, 700),
        };
        if pct == 0 || whole < 200 {
            None
        } else {
            let amount = (whole * 100 / u128::from(pct)).max(1);
            Some(amount as u64)
        }
    };
    let percent_used = match budget {
        None => "0".to_string(),
        Some(a) => {
            // percent in hundredths, rounded half up
            let denom = u128::from(a) * 10u128.pow(MONEY_SCALE);
            let hundredths = (total * 10_000 * 2 + denom) / (2 * denom);
            fixed(hundredths, 2)
        }
    };
    let modified = modified_at(&mut r, now);
    let symbol = if !legacy && r.chance(0.3) {
        Some(cur.symbol)
    } else {
        None
    };
    let customer_budget_field = r.chance(0.5);
    let domain = domain_of(&name, i);
    Customer {
        id,
        name,
        is_upgraded: !legacy,
        currency_code: if legacy { None } else { Some(cur.code) },
        currency_locale: locale,
        currency: cur.code,
        total_cost: fixed(total, MONEY_SCALE),
        usd_total_cost: fixed(usd_total, MONEY_SCALE),
        budget,
        percent_used,
        subscriptions,
        index: i,
        modified,
        symbol,
        customer_budget_field,
        domain,
    }
}

fn gen_scale_customer(seed: u64, i: u64, records: u64, now: i64, day0: i64) -> Customer {
    let mut r = Rng::at(&[seed, T_CUSTOMER, i]);
    let id = guid(r.next(), r.next());
    let cur = &CURRENCIES[0];
    let total = u128::from(r.range(1000, 90_000)) * 10u128.pow(MONEY_SCALE)
        + u128::from(r.next()) % 10u128.pow(MONEY_SCALE);
    let sub = gen_legacy_sub(seed, i, 0, now, day0, Some(records));
    Customer {
        id,
        name: SCALE_TEST_NAME.to_string(),
        is_upgraded: false,
        currency_code: None,
        currency_locale: Some("en-US"),
        currency: cur.code,
        total_cost: fixed(total, MONEY_SCALE),
        usd_total_cost: fixed(to_usd(total, cur), MONEY_SCALE),
        budget: None,
        percent_used: "0".to_string(),
        subscriptions: vec![sub],
        index: i,
        modified: modified_at(&mut r, now),
        symbol: None,
        customer_budget_field: false,
        domain: "contososcaletest.onmicrosoft.com".to_string(),
    }
}

fn empty_sub(r: &mut Rng, s: u64, now: i64) -> Subscription {
    let id = guid(r.next(), r.next());
    let order_id = guid(r.next(), r.next());
    let created_secs = now - r.range(200, 1500) as i64 * 86_400 - r.range(0, 86_399) as i64;
    let modified = modified_at(r, now);
    Subscription {
        id,
        offer_id: "",
        offer_name: "",
        friendly_name: String::new(),
        kind: SubscriptionKind::License,
        resource_records: 0,
        total_cost: "0".to_string(),
        utilization_records: 0,
        hourly_data: true,
        index: s,
        status: "active",
        created_secs,
        modified,
        quantity: 1,
        order_id,
        instances: 0,
        big: false,
        big_tail_days: 0,
        meters: Vec::new(),
        day_prefix_detail: Vec::new(),
        day_prefix_agg: Vec::new(),
        entitlements: Vec::new(),
        groups: Vec::new(),
        regions: Vec::new(),
    }
}

fn pick_groups(r: &mut Rng, max: u64) -> Vec<&'static str> {
    let k = r.range(1, max) as usize;
    let start = r.below(GROUPS.len());
    (0..k)
        .map(|j| GROUPS[(start + j * 3) % GROUPS.len()])
        .collect()
}

fn gen_plan_sub(seed: u64, c: u64, s: u64, now: i64, _cur: &Currency) -> Subscription {
    let mut r = Rng::at(&[seed, T_SUB, c, s]);
    let mut sub = empty_sub(&mut r, s, now);
    sub.offer_id = AZURE_PLAN_OFFER;
    sub.offer_name = "Azure plan";
    sub.kind = SubscriptionKind::AzurePlan;
    sub.friendly_name = match r.range(0, 3) {
        0 => "Azure plan".to_string(),
        1 => "Azure plan - Production".to_string(),
        2 => "Azure plan - Dev/Test".to_string(),
        _ => "Azure Plan".to_string(),
    };
    let ents = r.range(1, 2);
    for e in 0..ents {
        let name = ENTITLEMENT_NAMES[((r.next() % 5) as usize + e as usize) % 5];
        sub.entitlements.push((guid(r.next(), r.next()), name));
    }
    sub.groups = pick_groups(&mut r, 4);
    sub.resource_records = r.range(5, 40);
    sub
}

fn gen_license_sub(seed: u64, c: u64, s: u64, now: i64) -> Subscription {
    let mut r = Rng::at(&[seed, T_SUB, c, s, 1]);
    let mut sub = empty_sub(&mut r, s, now);
    sub.offer_id = LICENSE_OFFER;
    sub.offer_name = "Microsoft 365 Business Standard";
    sub.friendly_name = "Microsoft 365 Business Standard".to_string();
    sub.quantity = r.range(5, 250);
    sub
}

fn gen_legacy_sub(
    seed: u64,
    c: u64,
    s: u64,
    now: i64,
    _day0: i64,
    big_records: Option<u64>,
) -> Subscription {
    let mut r = Rng::at(&[seed, T_SUB, c, s]);
    let mut sub = empty_sub(&mut r, s, now);
    sub.offer_id = LEGACY_OFFER;
    sub.offer_name = "Microsoft Azure";
    sub.kind = SubscriptionKind::Legacy;
    // From a hash of its own, so that no other draw moves.
    sub.hourly_data = big_records.is_some() || hash(&[seed, T_HOURLY, c, s]) % 4 != 0;
    sub.friendly_name = match r.range(0, 2) {
        0 => "Microsoft Azure".to_string(),
        1 => "Pay-As-You-Go Production".to_string(),
        _ => "Azure Dev/Test".to_string(),
    };
    if r.chance(0.08) {
        sub.status = "suspended";
    }
    // A palette of meters, sorted (aggregated records come in this order).
    let k = r.range(3, 8) as usize;
    let mut chosen = 0u32;
    while chosen.count_ones() < k as u32 {
        chosen |= 1 << r.below(METERS.len());
    }
    // Ascending by construction (no sort: it would cost the wasm bundle).
    sub.meters = (0..METERS.len() as u8)
        .filter(|m| chosen & (1 << m) != 0)
        .collect();
    sub.groups = pick_groups(&mut r, 4);
    let regions = r.range(1, 2) as usize;
    let first = r.below(REGIONS.len());
    sub.regions = (0..regions)
        .map(|j| ((first + j * 2) % REGIONS.len()) as u8)
        .collect();
    let days = u64::from(DATA_DAYS);
    match big_records {
        Some(records) => {
            sub.big = true;
            sub.instances = records.div_ceil(days);
            sub.big_tail_days = (records - (sub.instances - 1) * days) as u32;
            sub.friendly_name = "Scale test".to_string();
            sub.status = "active";
        }
        None => {
            sub.instances = r.range(3, 30);
        }
    }
    build_day_prefixes(seed, c, &mut sub);
    sub.utilization_records = *sub.day_prefix_detail.last().unwrap_or(&0);
    sub
}

/// An instance's place in the utilization data: its meter and active days.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Instance {
    /// Index into [`METERS`].
    pub(crate) meter: u8,
    /// Position of the meter in the subscription's palette.
    pub(crate) slot: u8,
    /// First active day (relative to day0), inclusive.
    pub(crate) start: u32,
    /// Last active day, exclusive.
    pub(crate) end: u32,
}

impl Instance {
    pub(crate) fn active(&self, day: u32) -> bool {
        self.start <= day && day < self.end
    }
}

/// The `j`-th resource instance of a legacy subscription.
pub(crate) fn instance(seed: u64, c: u64, sub: &Subscription, j: u64) -> Instance {
    let pal = sub.meters.len() as u64;
    if sub.big {
        let slot = (j % pal) as u8;
        let (start, end) = if j + 1 < sub.instances {
            (0, DATA_DAYS)
        } else {
            (DATA_DAYS - sub.big_tail_days, DATA_DAYS)
        };
        return Instance {
            meter: sub.meters[slot as usize],
            slot,
            start,
            end,
        };
    }
    let mut r = Rng::at(&[seed, T_INSTANCE, c, sub.index, j]);
    let slot = r.below(sub.meters.len()) as u8;
    let (start, end) = if r.chance(0.7) {
        (0, DATA_DAYS)
    } else {
        let a = r.range(0, u64::from(DATA_DAYS) - 10) as u32;
        let b = r.range(u64::from(a) + 3, u64::from(DATA_DAYS)) as u32;
        (a, b)
    };
    Instance {
        meter: sub.meters[slot as usize],
        slot,
        start,
        end,
    }
}

fn build_day_prefixes(seed: u64, c: u64, sub: &mut Subscription) {
    let days = DATA_DAYS as usize;
    let pal = sub.meters.len();
    let mut detail = vec![0u64; days];
    let mut agg = vec![0u64; days];
    if sub.big {
        // Instances 0..K-1 run every day; the last runs for the tail days.
        let full = sub.instances - 1;
        let tail_start = (DATA_DAYS - sub.big_tail_days) as usize;
        let full_meters = full.min(pal as u64);
        let tail_slot = ((sub.instances - 1) % pal as u64) as usize;
        for d in 0..days {
            detail[d] = full + u64::from(d >= tail_start);
            let tail_new = d >= tail_start && tail_slot as u64 >= full_meters;
            agg[d] = full_meters + u64::from(tail_new);
        }
    } else {
        // Per-meter difference arrays of active instances.
        let mut per_meter = vec![0i64; pal * (days + 1)];
        for j in 0..sub.instances {
            let inst = instance(seed, c, sub, j);
            let base = inst.slot as usize * (days + 1);
            per_meter[base + inst.start as usize] += 1;
            per_meter[base + inst.end as usize] -= 1;
        }
        for m in 0..pal {
            let mut running = 0i64;
            for d in 0..days {
                running += per_meter[m * (days + 1) + d];
                detail[d] += running as u64;
                agg[d] += u64::from(running > 0);
            }
        }
    }
    let prefix = |v: &[u64]| {
        let mut p = Vec::with_capacity(v.len() + 1);
        let mut acc = 0u64;
        p.push(0);
        for &x in v {
            acc += x;
            p.push(acc);
        }
        p
    };
    sub.day_prefix_detail = prefix(&detail);
    sub.day_prefix_agg = prefix(&agg);
}

/// Hourly quantity of an instance, in 10^-16 units of the meter's unit.
pub(crate) fn hourly_quantity(seed: u64, c: u64, s: u64, j: u64, meter: &Meter, hour: u64) -> u128 {
    let x = hash(&[seed, T_QUANTITY, c, s, j, hour]);
    if meter.hourly {
        // Mostly a full hour; sometimes a partial one (start/stop).
        if x % 100 < 85 {
            u128::from(ONE_QTY)
        } else {
            u128::from((x >> 8) % ONE_QTY)
        }
    } else {
        // The instance's own scale, then ±50 % jitter per hour.
        let base = hash(&[seed, T_QUANTITY, c, s, j]);
        let span = meter.hi - meter.lo + 1;
        let per_hour = (meter.lo + base % span) as u128 * u128::from(ONE_QTY) / 10_000;
        let jitter = 500 + (x >> 20) % 1000; // per mille
        per_hour * u128::from(jitter) / 1000 + u128::from(x % 1000)
    }
}

/// One resource usage record of an Azure plan subscription.
#[derive(Debug)]
pub(crate) struct ResourceRecord {
    pub(crate) entitlement: usize,
    pub(crate) group: String,
    pub(crate) provider: &'static str,
    pub(crate) type_path: &'static str,
    pub(crate) name: String,
    pub(crate) cost: u128,
    pub(crate) usd: u128,
}

fn resource_cost(r: &mut Rng, lo: u64, hi: u64, cur: &Currency) -> u128 {
    if hi == 0 {
        return 0;
    }
    let one = 10u128.pow(MONEY_SCALE);
    let usd = u128::from(r.range(lo, hi)) * one + u128::from(r.next()) % one;
    let mut cost = from_usd(usd, cur);
    if r.chance(0.4) {
        // Some amounts carry 16 fractional digits rather than 19.
        cost -= cost % 1000;
    }
    cost
}

/// The `k`-th resource usage record of an Azure plan subscription.
pub(crate) fn resource(
    seed: u64,
    c: u64,
    sub: &Subscription,
    k: u64,
    cur: &Currency,
) -> ResourceRecord {
    let mut r = Rng::at(&[seed, T_RESOURCE, c, sub.index, k]);
    let (provider, type_path, lo, hi) = *r.pick(&RESOURCE_TYPES);
    let cost = resource_cost(&mut r, lo, hi, cur);
    let usd = to_usd(cost, cur);
    let g = *r.pick(&sub.groups);
    let group = group_case(g, r.next());
    let word = *r.pick(&WORDS);
    // The record index keeps names (and so resource URIs) unique.
    let n = k + 1;
    let name = match type_path {
        "virtualMachines" => format!("{word}VM{n}"),
        "disks" => {
            let mut s = format!("{word}VM{n}_OsDisk_1_");
            super::json::push_hex(&mut s, r.next(), 16);
            super::json::push_hex(&mut s, r.next(), 16);
            s
        }
        "storageAccounts" => {
            let mut s: String = g
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            s.push_str("diag");
            s.push_str(&(100 + k).to_string());
            s
        }
        "servers/databases" => format!("sql-{word}-{n}/{word}db"),
        "publicIPAddresses" => format!("pip-{word}-{n}"),
        "virtualNetworks" => format!("vnet-{word}-{n}"),
        "loadBalancers" => format!("lb-{word}-{n}"),
        "sites" => format!("app-{word}-{n}"),
        "serverFarms" => format!("plan-{word}-{n}"),
        "vaults" => format!("kv-{word}-{n}"),
        _ => format!("appi-{word}-{n}"),
    };
    ResourceRecord {
        entitlement: r.below(sub.entitlements.len().max(1)),
        group,
        provider,
        type_path,
        name,
        cost,
        usd,
    }
}

fn plan_totals(seed: u64, c: u64, sub: &Subscription, cur: &Currency) -> (u128, u128) {
    let mut total = 0;
    let mut usd = 0;
    for k in 0..sub.resource_records {
        let rec = resource(seed, c, sub, k, cur);
        total += rec.cost;
        usd += rec.usd;
    }
    (total, usd)
}

/// Text fields of a legacy resource instance.
#[derive(Debug)]
pub(crate) struct InstanceText {
    pub(crate) resource_uri: String,
    pub(crate) location: &'static str,
    pub(crate) region: &'static str,
    /// (key, value) tags; empty = untagged.
    pub(crate) tags: Vec<(&'static str, String)>,
    /// (key, value) additional info; empty = `null`.
    pub(crate) info: Vec<(&'static str, String)>,
}

/// The text of the `j`-th instance of a legacy subscription.
pub(crate) fn instance_text(
    seed: u64,
    c: u64,
    sub: &Subscription,
    j: u64,
    inst: &Instance,
) -> InstanceText {
    let meter = &METERS[inst.meter as usize];
    let mut r = Rng::at(&[seed, T_INSTANCE_TEXT, c, sub.index, j]);
    let g = *r.pick(&sub.groups);
    let group = group_case(g, r.next());
    let word = *r.pick(&WORDS);
    let (region, location) = REGIONS[*r.pick(&sub.regions) as usize];
    let mut uri = String::with_capacity(160);
    uri.push_str("/subscriptions/");
    uri.push_str(&sub.id);
    uri.push_str("/resourceGroups/");
    uri.push_str(&group);
    uri.push_str("/providers/");
    uri.push_str(meter.provider);
    uri.push('/');
    uri.push_str(meter.prefix);
    uri.push('-');
    uri.push_str(word);
    uri.push('-');
    uri.push_str(&j.to_string());
    let mut tags = Vec::new();
    match r.range(0, 3) {
        0 => {}
        1 => tags.push(("env", (*r.pick(&["prod", "dev", "test"])).to_string())),
        _ => {
            tags.push(("env", (*r.pick(&["prod", "dev"])).to_string()));
            tags.push(("costCenter", format!("CC-{}", r.range(1000, 9999))));
        }
    }
    let mut info = Vec::new();
    if meter.category == "Virtual Machines" {
        info.push(("ServiceType", meter.name.to_string()));
        info.push((
            "ImageType",
            (*r.pick(&["Canonical", "Windows Server BYOL", "RHEL"])).to_string(),
        ));
        info.push(("VCPUs", "2".to_string()));
    }
    InstanceText {
        resource_uri: uri,
        location,
        region: if meter.zone { "Zone 1" } else { region },
        tags,
        info,
    }
}

/// `lastModifiedDate` text.
pub(crate) fn modified_text(m: (i64, u32)) -> String {
    datetime_ticks(m.0, m.1)
}

#[cfg(test)]
mod tests {
    use crate::http::{Method, Request};
    use crate::sim::{SimConfig, Simulator};
    use crate::time::Timestamp;

    #[test]
    fn a_now_at_the_ends_of_time_is_no_panic() {
        for secs in [i64::MIN, i64::MAX] {
            let sim = Simulator::new(SimConfig {
                customers: 3,
                now: Timestamp::from_unix(secs, 0),
                ..SimConfig::default()
            });
            let res = sim.handle(&Request {
                method: Method::Get,
                url: "/v1/customers/usagerecords".into(),
                headers: vec![("Authorization".into(), "Bearer t".into())],
            });
            assert_eq!(res.status, 200, "{secs}");
        }
    }
}
