//! Customers, customer usage records, subscriptions and resource usage
//! records: collections served from the generated world.

use super::data::{
    modified_text, resource, Customer, Subscription, SubscriptionKind, CURRENCIES, MONEY_SCALE,
};
use super::json::{datetime_ticks, fixed, Json};
use super::paging::{decode, encode, link_prefix, parse_size, Cursor, ListKind};
use super::reply::{bad_input, bad_token, error, Code, Reply};
use super::rng::hash;
use super::router::Ctx;

/// The page size limit of every listing.
pub(crate) const MAX_SIZE: u32 = 1000;
/// The customers list's page size when `size` is absent.
pub(crate) const DEFAULT_CUSTOMERS_SIZE: u32 = 100;

/// Identifies a collection inside continuation tokens.
pub(crate) fn collection_id(c: Option<&Customer>, s: Option<&Subscription>) -> u64 {
    hash(&[
        c.map_or(u64::MAX, |c| c.index),
        s.map_or(u64::MAX, |s| s.index),
    ])
}

/// Works out where this page starts: from the token on a next-page request,
/// else from `size` (`default` when absent; `None` = everything in one page).
pub(crate) fn resolve(
    ctx: &Ctx<'_>,
    kind: ListKind,
    id: u64,
    default: Option<u32>,
    seek_key: &str,
) -> Result<Cursor, Reply> {
    let seed = ctx.sim.config().seed;
    let seek = ctx.url.param(seek_key);
    if let Some(op) = seek {
        if !op.eq_ignore_ascii_case("Next") {
            let mut d = String::from("Invalid ");
            d.push_str(seek_key);
            d.push_str(": only 'Next' is supported.");
            return Err(bad_input(&d));
        }
    }
    match ctx.token {
        Some(t) => {
            let c = decode(seed, t).ok_or_else(bad_token)?;
            if c.kind != kind || c.ctx != id {
                return Err(bad_token());
            }
            Ok(c)
        }
        None if seek.is_some() => Err(bad_input(
            "The MS-ContinuationToken header is required with seek operation 'Next'.",
        )),
        None => {
            let size = match ctx.url.param("size") {
                Some(v) => parse_size(v, MAX_SIZE).ok_or_else(|| {
                    bad_input("The size parameter must be an integer between 1 and 1000.")
                })?,
                None => default.unwrap_or(0),
            };
            Ok(Cursor {
                kind,
                ctx: id,
                offset: 0,
                size,
                start: 0,
                end: 0,
                flags: 0,
            })
        }
    }
}

/// Writes a link object `{uri, method, headers}`.
pub(crate) fn link(j: &mut Json, name: &str, uri: &str, token: Option<&str>) {
    j.kobj(name);
    j.kstr("uri", uri);
    j.kstr("method", "GET");
    j.karr("headers");
    if let Some(t) = token {
        j.begin_obj();
        j.kstr("key", crate::http::headers::CONTINUATION_TOKEN);
        j.kstr("value", t);
        j.end_obj();
    }
    j.end_arr();
    j.end_obj();
}

/// Writes one page of a collection: `{totalCount, items, continuationToken
/// (when there is a next page), links, attributes}`.
/// `next_path` is the next link's uri without the leading form
/// (e.g. `customers?size=40&seekOperation=Next`).
pub(crate) fn page(
    ctx: &Ctx<'_>,
    cursor: Cursor,
    total: u64,
    self_uri: &str,
    next_path: &str,
    item: &mut dyn FnMut(&mut Json, u64),
) -> Reply {
    let seed = ctx.sim.config().seed;
    let start = cursor.offset.min(total);
    let end = if cursor.size == 0 {
        total
    } else {
        start.saturating_add(u64::from(cursor.size)).min(total)
    };
    let mut j = Json::with_capacity(((end - start) as usize + 1) * 600);
    j.begin_obj();
    j.knum("totalCount", end - start);
    j.karr("items");
    for i in start..end {
        item(&mut j, i);
    }
    j.end_arr();
    // A PagedResourceCollection also carries the token in the body (seed
    // 000); the next link's header is what clients send.
    let token = (end < total).then(|| {
        encode(
            seed,
            &Cursor {
                offset: end,
                ..cursor
            },
        )
    });
    if let Some(t) = &token {
        j.kstr("continuationToken", t);
    }
    j.kobj("links");
    link(&mut j, "self", self_uri, None);
    if let Some(t) = &token {
        let mut uri = String::from(link_prefix(seed, cursor.kind, cursor.ctx));
        uri.push_str(next_path);
        link(&mut j, "next", &uri, Some(t));
    }
    j.end_obj();
    j.attributes("Collection");
    j.end_obj();
    Reply::ok(j)
}

fn customer_item(j: &mut Json, c: &Customer) {
    j.begin_obj();
    j.kstr("id", &c.id);
    j.kstr("commerceId", &c.id);
    j.kobj("companyProfile");
    j.kstr("tenantId", &c.id);
    j.kstr("domain", &c.domain);
    j.kstr("companyName", &c.name);
    j.attributes("CustomerCompanyProfile");
    j.end_obj();
    j.kstr("relationshipToPartner", "reseller");
    j.kbool("allowDelegatedAccess", true);
    j.kobj("links");
    let mut uri = String::from("/customers/");
    uri.push_str(&c.id);
    link(j, "self", &uri, None);
    j.end_obj();
    j.attributes("Customer");
    j.end_obj();
}

/// `GET /v1/customers?size=N`, paged with `seekOperation=Next`.
pub(crate) fn customers(ctx: &Ctx<'_>) -> Reply {
    let cursor = match resolve(
        ctx,
        ListKind::Customers,
        collection_id(None, None),
        Some(DEFAULT_CUSTOMERS_SIZE),
        "seekOperation",
    ) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let all = ctx.sim.customers();
    let size = cursor.size.to_string();
    let self_uri = format!("/customers?size={size}");
    let next = format!("customers?size={size}&seekOperation=Next");
    page(
        ctx,
        cursor,
        all.len() as u64,
        &self_uri,
        &next,
        &mut |j, i| customer_item(j, &all[i as usize]),
    )
}

/// `GET /v1/customers/{c}`.
pub(crate) fn customer(_ctx: &Ctx<'_>, c: &Customer) -> Reply {
    let mut j = Json::with_capacity(512);
    customer_item(&mut j, c);
    Reply::ok(j)
}

fn budget(j: &mut Json, name: &str, amount: Option<u64>) {
    j.kobj(name);
    if let Some(a) = amount {
        j.knum("amount", a);
    }
    j.attributes("SpendingBudget");
    j.end_obj();
}

fn usage_record(j: &mut Json, c: &Customer) {
    j.begin_obj();
    budget(j, "budget", c.budget);
    if c.customer_budget_field {
        budget(j, "customerSpendingBudget", c.budget);
    }
    j.kraw("percentUsed", &c.percent_used);
    j.kbool("isUpgraded", c.is_upgraded);
    j.kstr("resourceId", &c.id);
    j.kstr("id", &c.id);
    j.kstr("resourceName", &c.name);
    j.kstr("name", &c.name);
    j.kraw("totalCost", &c.total_cost);
    if let Some(code) = c.currency_code {
        j.kstr("currencyCode", code);
    }
    if let Some(loc) = c.currency_locale {
        j.kstr("currencyLocale", loc);
    }
    if let Some(sym) = c.symbol {
        j.kstr("currencySymbol", sym);
    }
    j.kraw("usdTotalCost", &c.usd_total_cost);
    j.kstr("lastModifiedDate", &modified_text(c.modified));
    j.attributes("CustomerMonthlyUsageRecord");
    j.end_obj();
}

/// `GET /v1/customers/usagerecords`: one record per customer; all in one
/// page unless `size` is given.
pub(crate) fn usage_records(ctx: &Ctx<'_>) -> Reply {
    let cursor = match resolve(
        ctx,
        ListKind::UsageRecords,
        collection_id(None, None),
        None,
        "seekOperation",
    ) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let all = ctx.sim.customers();
    let next = format!(
        "customers/usagerecords?size={}&seekOperation=Next",
        cursor.size
    );
    page(
        ctx,
        cursor,
        all.len() as u64,
        "/customers/usagerecords",
        &next,
        &mut |j, i| usage_record(j, &all[i as usize]),
    )
}

fn subscription_item(j: &mut Json, c: &Customer, s: &Subscription) {
    j.begin_obj();
    j.kstr("id", &s.id);
    match s.kind {
        SubscriptionKind::AzurePlan => {
            if let Some((e, _)) = s.entitlements.first() {
                j.kstr("entitlementId", e);
            }
        }
        SubscriptionKind::Legacy => j.kstr("entitlementId", &s.id),
        _ => {}
    }
    j.kstr("offerId", s.offer_id);
    j.kstr("offerName", s.offer_name);
    j.kstr("friendlyName", &s.friendly_name);
    j.knum("quantity", s.quantity);
    let license = s.kind == SubscriptionKind::License;
    j.kstr("unitType", if license { "Licenses" } else { "Usage-based" });
    j.kbool("hasPurchasableAddons", false);
    let created = datetime_ticks(s.created_secs, 0);
    j.kstr("creationDate", &created);
    j.kstr("effectiveStartDate", &created);
    j.kstr(
        "commitmentEndDate",
        if license {
            "2027-06-30T00:00:00Z"
        } else {
            "9999-12-14T00:00:00Z"
        },
    );
    j.kstr("status", s.status);
    j.kbool("autoRenewEnabled", license);
    j.kbool("isTrial", false);
    j.kstr("billingType", if license { "license" } else { "usage" });
    j.kstr("billingCycle", if license { "monthly" } else { "none" });
    j.kstr("contractType", "subscription");
    j.kstr("consumptionType", if license { "none" } else { "usage" });
    j.kstr("orderId", &s.order_id);
    j.kobj("links");
    let mut uri = String::from("/customers/");
    uri.push_str(&c.id);
    uri.push_str("/subscriptions/");
    uri.push_str(&s.id);
    link(j, "self", &uri, None);
    j.end_obj();
    j.kobj("attributes");
    let mut etag = String::new();
    super::json::push_hex(
        &mut etag,
        hash(&[c.index, s.index, s.modified.0 as u64]),
        16,
    );
    j.kstr("etag", &etag);
    j.kstr("objectType", "Subscription");
    j.end_obj();
    j.end_obj();
}

/// `GET /v1/customers/{c}/subscriptions`.
pub(crate) fn subscriptions(ctx: &Ctx<'_>, c: &Customer) -> Reply {
    let cursor = match resolve(
        ctx,
        ListKind::Subscriptions,
        collection_id(Some(c), None),
        None,
        "seekOperation",
    ) {
        Ok(cur) => cur,
        Err(e) => return e,
    };
    let self_uri = format!("/customers/{}/subscriptions", c.id);
    let next = format!(
        "customers/{}/subscriptions?size={}&seekOperation=Next",
        c.id, cursor.size
    );
    let subs = &c.subscriptions;
    page(
        ctx,
        cursor,
        subs.len() as u64,
        &self_uri,
        &next,
        &mut |j, i| subscription_item(j, c, &subs[i as usize]),
    )
}

/// `GET /v1/customers/{c}/subscriptions/{s}`.
pub(crate) fn subscription(_ctx: &Ctx<'_>, c: &Customer, s: &Subscription) -> Reply {
    let mut j = Json::with_capacity(1024);
    subscription_item(&mut j, c, s);
    Reply::ok(j)
}

/// `GET /v1/customers/{c}/subscriptions/{s}/resourceusagerecords`: Azure plans only.
pub(crate) fn resource_usage(ctx: &Ctx<'_>, c: &Customer, s: &Subscription) -> Reply {
    if s.kind != SubscriptionKind::AzurePlan {
        let mut d = String::from("Subscription ");
        d.push_str(&s.id);
        d.push_str(" has offer ");
        d.push_str(s.offer_id);
        d.push_str(
            ": resource usage records are only available for Azure plan subscriptions. \
             Use utilizations/azure for Microsoft Azure (MS-AZR-0145P) subscriptions.",
        );
        return error(400, Code::Str("UnsupportedSubscriptionType"), &d);
    }
    let cursor = match resolve(
        ctx,
        ListKind::ResourceUsage,
        collection_id(Some(c), Some(s)),
        None,
        "seekOperation",
    ) {
        Ok(cur) => cur,
        Err(e) => return e,
    };
    let seed = ctx.sim.config().seed;
    let cur = CURRENCIES
        .iter()
        .find(|x| x.code == c.currency)
        .unwrap_or(&CURRENCIES[0]);
    let path = format!(
        "customers/{}/subscriptions/{}/resourceusagerecords",
        c.id, s.id
    );
    let self_uri = format!("/{path}");
    let next = format!("{path}?size={}&seekOperation=Next", cursor.size);
    let modified = modified_text(s.modified);
    page(
        ctx,
        cursor,
        s.resource_records,
        &self_uri,
        &next,
        &mut |j, k| {
            let r = resource(seed, c.index, s, k, cur);
            let (ent_id, ent_name) = s
                .entitlements
                .get(r.entitlement)
                .map_or((s.id.as_str(), "Partner Subscription"), |(id, n)| {
                    (id.as_str(), *n)
                });
            let uri = format!(
                "/subscriptions/{ent_id}/resourceGroups/{}/providers/{}/{}/{}",
                r.group, r.provider, r.type_path, r.name
            );
            j.begin_obj();
            j.kstr("subscriptionId", &s.id);
            j.kstr("resourceUri", &uri);
            j.kstr("resourceType", r.provider);
            j.kstr("entitlementId", ent_id);
            j.kstr("entitlementName", ent_name);
            j.kstr("resourceGroupName", &r.group);
            j.kstr("name", &r.name);
            j.kstr("resourceName", &r.name);
            j.kraw("totalCost", &fixed(r.cost, MONEY_SCALE));
            j.kstr("currencyCode", c.currency);
            j.kraw("usdTotalCost", &fixed(r.usd, MONEY_SCALE));
            j.kstr("lastModifiedDate", &modified);
            j.attributes("ResourceUsageRecord");
            j.end_obj();
        },
    )
}
