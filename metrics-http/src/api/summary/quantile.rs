//! Quantiles from histogram buckets, interpolated as Prometheus' `histogram_quantile` does.

/// The `q` quantile of a histogram given its finite upper `bounds` and `cumulative` counts (one per bound plus
/// the `+Inf` bucket, which is the total), or `None` when it has no observations.
///
/// As in Prometheus: the rank `q * count` falls into the first bucket whose cumulative count reaches it, and the
/// value is interpolated linearly between that bucket's lower bound (0 for the first bucket) and its upper
/// bound. A rank in the `+Inf` bucket gives the largest finite bound; a first bucket with an upper bound of 0 or
/// less gives that bound.
pub(crate) fn histogram_quantile(q: f64, bounds: &[f64], cumulative: &[u64]) -> Option<f64> {
    let count = *cumulative.last()?;
    if count == 0 || cumulative.len() != bounds.len() + 1 || bounds.is_empty() {
        return None;
    }
    let rank = q * count as f64;
    let bucket = cumulative[..bounds.len()]
        .iter()
        .position(|&c| c as f64 >= rank)
        .unwrap_or(bounds.len());
    if bucket == bounds.len() {
        return Some(bounds[bounds.len() - 1]);
    }
    if bucket == 0 && bounds[0] <= 0.0 {
        return Some(bounds[0]);
    }
    let (start, below) = if bucket == 0 {
        (0.0, 0)
    } else {
        (bounds[bucket - 1], cumulative[bucket - 1])
    };
    let end = bounds[bucket];
    let in_bucket = (cumulative[bucket] - below) as f64;
    Some(start + (end - start) * ((rank - below as f64) / in_bucket))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNDS: [f64; 4] = [0.1, 0.5, 1.0, 5.0];

    #[test]
    fn interpolates_inside_the_bucket_the_rank_falls_in() {
        // 10 observations in (0.5, 1]: the median rank 5 is half-way through that bucket.
        let cumulative = [0, 0, 10, 10, 10];
        assert_eq!(histogram_quantile(0.5, &BOUNDS, &cumulative), Some(0.75));
        assert_eq!(histogram_quantile(0.9, &BOUNDS, &cumulative), Some(0.95));
        // First bucket: the lower bound is 0.
        assert_eq!(
            histogram_quantile(0.5, &BOUNDS, &[4, 4, 4, 4, 4]),
            Some(0.05)
        );
    }

    #[test]
    fn matches_prometheus_on_a_spread_histogram() {
        // Prometheus' promql test `histogram_quantile` over buckets 0.1:50, 0.2:70, 0.4:90, 1:100, +Inf:100
        // gives 0.1 * (25/50) for q=0.25 and 0.2 + 0.2 * ((90 - 70) / 20) = 0.4 for q=0.9.
        let bounds = [0.1, 0.2, 0.4, 1.0];
        let cumulative = [50, 70, 90, 100, 100];
        assert!((histogram_quantile(0.25, &bounds, &cumulative).unwrap() - 0.05).abs() < 1e-12);
        assert!((histogram_quantile(0.9, &bounds, &cumulative).unwrap() - 0.4).abs() < 1e-12);
        assert!((histogram_quantile(0.99, &bounds, &cumulative).unwrap() - 0.94).abs() < 1e-12);
    }

    #[test]
    fn a_rank_in_the_inf_bucket_gives_the_largest_finite_bound() {
        assert_eq!(
            histogram_quantile(0.99, &BOUNDS, &[0, 0, 0, 1, 10]),
            Some(5.0)
        );
    }

    #[test]
    fn empty_or_malformed_histograms_have_no_quantile() {
        assert_eq!(histogram_quantile(0.5, &BOUNDS, &[0, 0, 0, 0, 0]), None);
        assert_eq!(histogram_quantile(0.5, &BOUNDS, &[1, 1]), None);
        assert_eq!(histogram_quantile(0.5, &[], &[3]), None);
    }

    #[test]
    fn a_non_positive_first_bound_is_returned_as_is() {
        assert_eq!(
            histogram_quantile(0.1, &[-1.0, 1.0], &[5, 10, 10]),
            Some(-1.0)
        );
    }
}
