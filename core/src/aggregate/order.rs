//! One stable sort for every summary's rows.
//!
//! The standard library's sort is generic over the element and the
//! comparison, so each call site instantiates the whole algorithm again
//! (several KB of wasm apiece). Summaries sort at most a few thousand rows
//! once, so here the algorithm runs once, over indices, and each row type
//! only adds a small permutation step.

use std::cmp::Ordering;

/// Sorts `rows` stably by `cmp`.
pub(crate) fn sort_by<T>(rows: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if rows.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..rows.len()).collect();
    sort_indices(&mut order, &mut |a, b| cmp(&rows[a], &rows[b]));
    permute(rows, &mut order);
}

/// The one instance of the sorting algorithm.
#[inline(never)]
fn sort_indices(order: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

/// Puts `rows[order[i]]` at `i`, in place, by following the permutation's
/// cycles (`order` is used up).
fn permute<T>(rows: &mut [T], order: &mut [usize]) {
    for start in 0..order.len() {
        if order[start] == start {
            continue;
        }
        let mut i = start;
        loop {
            let j = order[i];
            order[i] = i;
            if j == start {
                break;
            }
            rows.swap(i, j);
            i = j;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        let mut seed = 0x9e37_79b9_u64;
        for len in 0..200 {
            let mut v: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((seed >> 59) as u8, i)
                })
                .collect();
            let mut want = v.clone();
            want.sort_by_key(|a| a.0);
            sort_by(&mut v, |a, b| a.0.cmp(&b.0));
            assert_eq!(v, want, "len {len}");
        }
    }
}
