//! `GET /v1/customers/{c}/subscriptions/{s}/utilizations/azure`.
//!
//! Records are ordered by `usageStartTime`, then by instance (details) or
//! meter (aggregated). Record `i` of a window is located through per-day
//! prefix counts and generated on its own, so paging a million-record
//! subscription never materialises it.

use super::data::{
    hourly_quantity, instance, instance_text, Customer, Instance, Subscription, SubscriptionKind,
    DATA_DAYS, METERS, QTY_SCALE,
};
use super::json::{datetime_offset, datetime_z, fixed, guid, Json};
use super::listings::{collection_id, page, MAX_SIZE};
use super::paging::{decode, parse_size, Cursor, ListKind};
use super::reply::{bad_input, bad_token, Reply};
use super::rng::hash;
use super::router::{not_valid_subscription, Ctx};
use crate::time::Timestamp;

/// The `Retry-After` of a first-page 204 (no data for the window): an hour,
/// in seconds.
const NO_DATA_RETRY_AFTER_SECS: &str = "3600";

/// How long before now a window must end to get data: Partner Center
/// returns nothing for an `end_time` of now, while now − 2 h works (so
/// clients clamp their window's end; a window ending later gets a 204).
pub(crate) const END_BEFORE_NOW_SECS: i64 = 2 * 3_600;

const FLAG_HOURLY: u8 = 1;
const FLAG_DETAILS: u8 = 2;
/// The default and largest page size.
const DEFAULT_SIZE: u32 = MAX_SIZE;

/// Seconds, rounded up to a whole second (windows compare whole-hour starts).
fn ceil_secs(t: &Timestamp) -> i64 {
    t.unix_seconds() + i64::from(t.subsec_nanos() > 0)
}

fn parse_time(ctx: &Ctx<'_>, name: &str) -> Result<i64, Reply> {
    let missing = || {
        let mut d = String::from("The ");
        d.push_str(name);
        d.push_str(" parameter is required and must be a date-time such as 2024-01-31T00:00:00Z.");
        bad_input(&d)
    };
    let v = ctx.url.param(name).ok_or_else(missing)?;
    Timestamp::parse(v).map(|t| ceil_secs(&t)).map_err(|_| {
        let mut d = String::from("The ");
        d.push_str(name);
        d.push_str(" parameter is not a valid date-time: '");
        d.extend(v.chars().take(64));
        d.push_str("'.");
        bad_input(&d)
    })
}

fn first_request(ctx: &Ctx<'_>, id: u64) -> Result<Cursor, Reply> {
    let start = parse_time(ctx, "start_time")?;
    let end = parse_time(ctx, "end_time")?;
    if end < start {
        return Err(bad_input("end_time must not be earlier than start_time."));
    }
    let mut flags = FLAG_DETAILS;
    if let Some(g) = ctx.url.param("granularity") {
        if g.eq_ignore_ascii_case("hourly") {
            flags |= FLAG_HOURLY;
        } else if !g.eq_ignore_ascii_case("daily") {
            return Err(bad_input("granularity must be 'daily' or 'hourly'."));
        }
    }
    if let Some(d) = ctx.url.param("show_details") {
        if d.eq_ignore_ascii_case("false") {
            flags &= !FLAG_DETAILS;
        } else if !d.eq_ignore_ascii_case("true") {
            return Err(bad_input("show_details must be 'true' or 'false'."));
        }
    }
    let size = match ctx.url.param("size") {
        Some(v) => parse_size(v, MAX_SIZE).ok_or_else(|| {
            bad_input("The size parameter must be an integer between 1 and 1000.")
        })?,
        None => DEFAULT_SIZE,
    };
    Ok(Cursor {
        kind: ListKind::Utilization,
        ctx: id,
        offset: 0,
        size,
        start,
        end,
        flags,
    })
}

/// The rows of one day: instances (details) or meters with their hourly sums.
enum DayRows {
    Detail(Vec<(u64, Instance)>),
    Aggregated(Vec<(u8, [u128; 24])>),
}

impl DayRows {
    fn len(&self) -> usize {
        match self {
            DayRows::Detail(v) => v.len(),
            DayRows::Aggregated(v) => v.len(),
        }
    }
}

/// The window and layout of one utilization query.
struct Query<'a> {
    seed: u64,
    c: &'a Customer,
    s: &'a Subscription,
    day0: i64,
    hourly: bool,
    details: bool,
}

impl Query<'_> {
    fn slots(&self) -> u64 {
        u64::from(DATA_DAYS) * if self.hourly { 24 } else { 1 }
    }

    fn slot_len(&self) -> i64 {
        if self.hourly {
            3600
        } else {
            86_400
        }
    }

    /// The first slot starting at or after `t`.
    fn slot_at(&self, t: i64) -> u64 {
        let base = self.day0 * 86_400;
        if t <= base {
            return 0;
        }
        let n = (t - base + self.slot_len() - 1) / self.slot_len();
        (n as u64).min(self.slots())
    }

    /// Records in slots before `slot`.
    fn before(&self, slot: u64) -> u64 {
        let p = if self.details {
            &self.s.day_prefix_detail
        } else {
            &self.s.day_prefix_agg
        };
        let days = u64::from(DATA_DAYS);
        if !self.hourly {
            return p[slot.min(days) as usize];
        }
        let (d, h) = (slot / 24, slot % 24);
        if d >= days {
            p[days as usize] * 24
        } else {
            let d = d as usize;
            p[d] * 24 + h * (p[d + 1] - p[d])
        }
    }

    /// The last slot in `lo..hi` whose first record index is `<= g`.
    fn slot_of(&self, g: u64, lo: u64, hi: u64) -> u64 {
        let (mut lo, mut hi) = (lo, hi.saturating_sub(1).max(lo));
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            if self.before(mid) <= g {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        lo
    }

    fn rows(&self, day: u32) -> DayRows {
        let (seed, ci, s) = (self.seed, self.c.index, self.s);
        let mut detail = Vec::new();
        let mut agg: Vec<(u8, [u128; 24])> = Vec::new();
        let first_hour = (self.day0 + i64::from(day)) as u64 * 24;
        for j in 0..s.instances {
            let inst = instance(seed, ci, s, j);
            if !inst.active(day) {
                continue;
            }
            if self.details {
                detail.push((j, inst));
            } else {
                let meter = &METERS[inst.meter as usize];
                let pos = match agg.binary_search_by_key(&inst.slot, |(m, _)| *m) {
                    Ok(p) => p,
                    Err(p) => {
                        agg.insert(p, (inst.slot, [0; 24]));
                        p
                    }
                };
                for h in 0..24 {
                    agg[pos].1[h] +=
                        hourly_quantity(seed, ci, s.index, j, meter, first_hour + h as u64);
                }
            }
        }
        if self.details {
            DayRows::Detail(detail)
        } else {
            DayRows::Aggregated(agg)
        }
    }

    fn write(&self, j: &mut Json, slot: u64, rows: &DayRows, k: usize) {
        let (seed, ci, s) = (self.seed, self.c.index, self.s);
        let day = if self.hourly { slot / 24 } else { slot };
        let start = self.day0 * 86_400 + slot as i64 * self.slot_len();
        let first_hour = (self.day0 as u64 + day) * 24;
        let hour = (slot % 24) as usize;
        let (meter_idx, qty, detail) = match rows {
            DayRows::Detail(v) => {
                let (jx, inst) = v[k];
                let meter = &METERS[inst.meter as usize];
                let q = if self.hourly {
                    hourly_quantity(seed, ci, s.index, jx, meter, first_hour + hour as u64)
                } else {
                    (0..24)
                        .map(|h| hourly_quantity(seed, ci, s.index, jx, meter, first_hour + h))
                        .sum()
                };
                (inst.meter, q, Some((jx, inst)))
            }
            DayRows::Aggregated(v) => {
                let (slot_m, sums) = &v[k];
                let q = if self.hourly {
                    sums[hour]
                } else {
                    sums.iter().sum()
                };
                (s.meters[*slot_m as usize], q, None)
            }
        };
        let meter = &METERS[meter_idx as usize];
        let text = detail.map(|(jx, inst)| instance_text(seed, ci, s, jx, &inst));
        let region = match &text {
            Some(t) => t.region,
            None if meter.zone => "Zone 1",
            None => super::data::REGIONS[s.regions[0] as usize].0,
        };
        j.begin_obj();
        j.kstr("usageStartTime", &datetime_offset(start));
        j.kstr("usageEndTime", &datetime_offset(start + self.slot_len()));
        j.kobj("resource");
        let m = hash(&[0x3E7E, u64::from(meter_idx)]);
        j.kstr("id", &guid(m, hash(&[m])));
        j.kstr("name", meter.name);
        j.kstr("category", meter.category);
        j.kstr("subcategory", meter.subcategory);
        j.kstr("region", region);
        j.end_obj();
        j.kraw("quantity", &fixed(qty, QTY_SCALE));
        j.kstr("unit", meter.unit);
        j.kobj("infoFields");
        j.end_obj();
        if let Some(t) = &text {
            j.kobj("instanceData");
            j.kstr("resourceUri", &t.resource_uri);
            j.kstr("location", t.location);
            j.kstr("partNumber", meter.part);
            j.kstr("orderNumber", &s.order_id);
            if !t.tags.is_empty() {
                j.kobj("tags");
                for (k, v) in &t.tags {
                    j.kstr(k, v);
                }
                j.end_obj();
            }
            if t.info.is_empty() {
                j.kraw("additionalInfo", "null");
            } else {
                j.kobj("additionalInfo");
                for (k, v) in &t.info {
                    j.kstr(k, v);
                }
                j.end_obj();
            }
            j.end_obj();
        }
        j.attributes("AzureUtilizationRecord");
        j.end_obj();
    }
}

/// Serves one page of utilization records.
pub(crate) fn utilization(ctx: &Ctx<'_>, c: &Customer, s: &Subscription) -> Reply {
    if s.kind != SubscriptionKind::Legacy {
        return not_valid_subscription(400, &s.id);
    }
    let seed = ctx.sim.config().seed;
    let id = collection_id(Some(c), Some(s));
    let seek = ctx.url.param("seek_operation");
    if let Some(op) = seek {
        if !op.eq_ignore_ascii_case("Next") {
            return bad_input("Invalid seek_operation: only 'Next' is supported.");
        }
    }
    let cursor = match ctx.token {
        Some(t) => match decode(seed, t) {
            Some(cur) if cur.kind == ListKind::Utilization && cur.ctx == id => cur,
            _ => return bad_token(),
        },
        None if seek.is_some() => {
            return bad_input(
                "The MS-ContinuationToken header is required with seek_operation=Next.",
            )
        }
        None => match first_request(ctx, id) {
            Ok(cur) => cur,
            Err(e) => return e,
        },
    };
    let q = Query {
        seed,
        c,
        s,
        day0: ctx.sim.day0(),
        hourly: cursor.flags & FLAG_HOURLY != 0,
        details: cursor.flags & FLAG_DETAILS != 0,
    };
    // The window is of report times: usage is reported this long after it.
    let delay = i64::from(ctx.sim.config().report_delay_hours) * 3_600;
    let (s0, s1) = (
        q.slot_at(cursor.start - delay),
        q.slot_at(cursor.end - delay),
    );
    let base = q.before(s0);
    // A subscription without hourly data has no hourly records at all.
    let total = if q.hourly && !s.hourly_data {
        0
    } else {
        q.before(s1) - base
    };
    let now = ctx
        .sim
        .config()
        .now
        .unix_seconds()
        .max(ctx.wall_clock.unix_seconds());
    let too_late = cursor.end > now - END_BEFORE_NOW_SECS;
    if ctx.token.is_none() && (total == 0 || too_late) {
        // "No data for this window (yet)": 204 with a Retry-After, as the
        // seed describes it; clients keep it as a hint, never as an error.
        return Reply::no_content().with_header("Retry-After", NO_DATA_RETRY_AFTER_SECS);
    }
    let path = format!(
        "customers/{}/subscriptions/{}/utilizations/azure",
        c.id, s.id
    );
    let self_uri = if ctx.token.is_some() {
        format!("/{path}?seek_operation=Next")
    } else {
        format!(
            "/{path}?start_time={}&end_time={}&size={}&granularity={}&show_details={}",
            datetime_z(cursor.start),
            datetime_z(cursor.end),
            cursor.size,
            if q.hourly { "hourly" } else { "daily" },
            q.details
        )
    };
    let next = format!("{path}?seek_operation=Next");
    // Position of the first record of the page.
    let g = base + cursor.offset.min(total);
    let mut slot = q.slot_of(g, s0, s1);
    let mut k = (g - q.before(slot)) as usize;
    let mut cache: Option<(u64, DayRows)> = None;
    page(ctx, cursor, total, &self_uri, &next, &mut |j, _| {
        loop {
            let day = if q.hourly { slot / 24 } else { slot };
            if cache.as_ref().map(|(d, _)| *d) != Some(day) {
                cache = Some((day, q.rows(day as u32)));
            }
            let rows = match &cache {
                Some((_, r)) => r,
                None => return,
            };
            if k < rows.len() {
                q.write(j, slot, rows, k);
                k += 1;
                return;
            }
            if slot + 1 >= s1 {
                return; // cannot happen: the page never runs past the window
            }
            slot += 1;
            k = 0;
        }
    })
}
