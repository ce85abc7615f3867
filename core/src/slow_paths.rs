//! Counts of the slow paths that the hot path's caches exist to avoid,
//! kept in tests only.
//!
//! A cache that stops working changes no output: every summary stays the
//! same, only slower. So the tests count how often each cache misses and
//! check that the count follows what the cache keys on (the keys of a
//! record, the distinct start times), not the number of records, and that
//! the series index's probes stay few.
//! Counts are per thread, so tests running side by side don't mix them.

use std::cell::Cell;
use std::thread::LocalKey;

thread_local! {
    /// Object keys the scanner had to search for and classify, because
    /// they were not the key the last object of their kind had there.
    pub(crate) static KEY_SEARCHES: Cell<u64> = const { Cell::new(0) };
    /// `usageStartTime` texts parsed, rather than taken from the last
    /// record's parse.
    pub(crate) static START_PARSES: Cell<u64> = const { Cell::new(0) };
    /// Steps past the first table entry a series lookup or a rebuild of
    /// the series index took (linear probing): few while the hash spreads
    /// the series and the table stays at most half full.
    pub(crate) static SERIES_PROBES: Cell<u64> = const { Cell::new(0) };
}

/// Adds one to `counter`.
pub(crate) fn count(counter: &'static LocalKey<Cell<u64>>) {
    counter.with(|c| c.set(c.get() + 1));
}

/// What `counter` counted while `f` ran.
pub(crate) fn during(counter: &'static LocalKey<Cell<u64>>, f: impl FnOnce()) -> u64 {
    let before = counter.with(Cell::get);
    f();
    counter.with(Cell::get) - before
}
