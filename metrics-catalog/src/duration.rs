//! Durations as Prometheus writes them (`5m`, `1h`, `3d`, `833ms`), from milliseconds.

/// `ms` as the shortest Prometheus duration that is exactly it: `300000` is `5m`, `90000` is `90s`.
pub(crate) fn format(ms: u64) -> String {
    const UNITS: [(u64, &str); 5] = [
        (86_400_000, "d"),
        (3_600_000, "h"),
        (60_000, "m"),
        (1000, "s"),
        (1, "ms"),
    ];
    if ms == 0 {
        return "0s".to_owned();
    }
    for (size, unit) in UNITS {
        if ms.is_multiple_of(size) {
            return format!("{}{unit}", ms / size);
        }
    }
    unreachable!("every duration is a whole number of milliseconds")
}

/// Human words for a duration in the alert texts: `30 days`, `1 hour`, `15 minutes`.
pub(crate) fn words(ms: u64) -> String {
    const UNITS: [(u64, &str); 5] = [
        (86_400_000, "day"),
        (3_600_000, "hour"),
        (60_000, "minute"),
        (1000, "second"),
        (1, "millisecond"),
    ];
    for (size, unit) in UNITS {
        if ms >= size && ms.is_multiple_of(size) {
            let n = ms / size;
            return if n == 1 {
                format!("1 {unit}")
            } else {
                format!("{n} {unit}s")
            };
        }
    }
    "0 seconds".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortest_exact_unit() {
        assert_eq!(format(300_000), "5m");
        assert_eq!(format(90_000), "90s");
        assert_eq!(format(3 * 86_400_000), "3d");
        assert_eq!(format(833), "833ms");
        assert_eq!(words(30 * 86_400_000), "30 days");
        assert_eq!(words(3_600_000), "1 hour");
    }
}
