//! Behaviour under concurrency: counters are exact after many threads increment them, histogram scrapes taken
//! while observers run are always consistent, and in-flight gauges return to zero when the threads holding their
//! guards panic.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Barrier;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;

use metrics_core::{BoundedStr, Format, LabelValue, OVERFLOW_VALUE, Outcome, Registry, metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
enum ConcurrencyWorker {
    Alpha,
    Beta,
    Gamma,
}

metrics! {
    namespace = "concurrency";

    /// Jobs done, by worker and outcome.
    counter jobs_total { worker: ConcurrencyWorker, outcome: Outcome }

    /// Heartbeats sent.
    counter heartbeats_total;

    /// Requests by tenant (at most 16 tenants).
    counter tenant_requests_total { tenant: BoundedStr<16> }

    /// Seconds of work done.
    counter work_seconds_total: f64;

    /// Time jobs waited, by worker.
    histogram wait_seconds { worker: ConcurrencyWorker, buckets = [0.25, 0.5, 1.0, 2.0] }

    /// Time traced jobs waited, with the trace of the latest in each bucket.
    histogram traced_wait_seconds { buckets = [0.25, 0.5, 1.0, 2.0], exemplars = true }

    /// Jobs in flight.
    gauge in_flight;

    /// Jobs in flight, by worker.
    gauge worker_in_flight { worker: ConcurrencyWorker }

    /// Jobs by a churning key, values removed while threads record them.
    counter churn_total { key: BoundedStr<64>, removable = true }
}

const THREADS: usize = 8;
const PER_THREAD: usize = 20_000;

/// The series thread `thread` uses for its `i`-th job: spread so that threads collide on every series.
fn job_labels(thread: usize, i: usize) -> (ConcurrencyWorker, Outcome) {
    (
        ConcurrencyWorker::ALL[(thread + i) % 3],
        Outcome::ALL[(i / 3) % 2],
    )
}

#[test]
fn enum_counters_are_exact_after_concurrent_increments() {
    thread::scope(|scope| {
        for t in 0..THREADS {
            scope.spawn(move || {
                for i in 0..PER_THREAD {
                    let (worker, outcome) = job_labels(t, i);
                    JOBS_TOTAL.labels(worker, outcome).inc();
                }
            });
        }
    });
    let mut expected: BTreeMap<(usize, usize), u64> = BTreeMap::new();
    for t in 0..THREADS {
        for i in 0..PER_THREAD {
            let (worker, outcome) = job_labels(t, i);
            *expected
                .entry((worker.index(), outcome.index()))
                .or_default() += 1;
        }
    }
    assert_eq!(expected.len(), 6, "every series was hit");
    let text = Registry::builder()
        .register(&JOBS_TOTAL)
        .build()
        .expect("valid")
        .encode_to_string(Format::Text004);
    let scraped = parse_exposition(&text.expect("encode"));
    let mut total = 0;
    for ((worker, outcome), count) in expected {
        let (worker, outcome) = (ConcurrencyWorker::ALL[worker], Outcome::ALL[outcome]);
        assert_eq!(
            JOBS_TOTAL.labels(worker, outcome).get(),
            count,
            "{worker:?} {outcome:?}"
        );
        let line = scraped
            .iter()
            .find(|s| {
                s.labels == [("worker", worker.as_str()), ("outcome", outcome.as_str())].map(owned)
            })
            .expect("the series is scraped");
        assert_eq!(line.value, count as f64);
        total += count;
    }
    assert_eq!(total, (THREADS * PER_THREAD) as u64);
}

#[test]
fn a_labelless_counter_is_exact_after_concurrent_increments() {
    thread::scope(|scope| {
        for t in 0..THREADS {
            scope.spawn(move || {
                for i in 0..PER_THREAD {
                    // Mix `inc` and `inc_by`: both are one atomic add.
                    if (t + i) % 2 == 0 {
                        HEARTBEATS_TOTAL.inc();
                    } else {
                        HEARTBEATS_TOTAL.inc_by(3);
                    }
                }
            });
        }
    });
    assert_eq!(
        HEARTBEATS_TOTAL.get(),
        (THREADS * PER_THREAD / 2 * (1 + 3)) as u64
    );
}

#[test]
fn a_float_counter_is_exact_after_concurrent_adds() {
    thread::scope(|scope| {
        for t in 0..THREADS {
            scope.spawn(move || {
                for i in 0..PER_THREAD {
                    // Dyadic steps keep every partial sum exact, so any lost update would show.
                    assert!(WORK_SECONDS_TOTAL.inc_by(if (t + i) % 2 == 0 { 0.25 } else { 0.5 }));
                }
            });
        }
    });
    assert_eq!(
        WORK_SECONDS_TOTAL.get(),
        (THREADS * PER_THREAD / 2) as f64 * 0.75
    );
}

#[test]
fn a_bounded_family_is_exact_and_its_overflow_accounted_after_concurrent_increments() {
    // 24 tenants race for 16 slots: which 8 overflow depends on the race, the totals do not.
    let tenants: Vec<String> = (0..24).map(|i| format!("tenant-{i:02}")).collect();
    let tenant_of = |t: usize, i: usize| (t * 7 + i) % tenants.len();
    thread::scope(|scope| {
        for t in 0..THREADS {
            let tenants = &tenants;
            scope.spawn(move || {
                for i in 0..PER_THREAD {
                    TENANT_REQUESTS_TOTAL
                        .labels(&tenants[tenant_of(t, i)])
                        .inc();
                }
            });
        }
    });
    let mut expected = vec![0u64; tenants.len()];
    for t in 0..THREADS {
        for i in 0..PER_THREAD {
            expected[tenant_of(t, i)] += 1;
        }
    }
    let registry = Registry::builder()
        .register(&TENANT_REQUESTS_TOTAL)
        .build()
        .expect("valid");
    let scraped = parse_exposition(
        &registry
            .encode_to_string(Format::OpenMetrics)
            .expect("encode"),
    );
    let series: BTreeMap<&str, f64> = scraped
        .iter()
        .filter(|s| s.name == "concurrency_tenant_requests_total")
        .map(|s| (s.labels[0].1.as_str(), s.value))
        .collect();
    assert_eq!(
        series.len(),
        16 + 1,
        "the cap's 16 tenants and the overflow series: {series:?}"
    );
    let mut overflowed = 0;
    for (tenant, count) in tenants.iter().zip(expected) {
        match series.get(tenant.as_str()) {
            Some(value) => assert_eq!(*value, count as f64, "{tenant}"),
            None => overflowed += count,
        }
    }
    assert_eq!(
        series[OVERFLOW_VALUE], overflowed as f64,
        "everything past the cap landed on the overflow series"
    );
    let overflow_family = scraped
        .iter()
        .find(|s| s.name == "metrics_label_overflow_total")
        .expect("the overflow family is scraped");
    assert_eq!(
        overflow_family.labels,
        [
            ("family", "concurrency_tenant_requests_total"),
            ("label", "tenant")
        ]
        .map(owned)
    );
    assert_eq!(
        overflow_family.value, overflowed as f64,
        "each overflowed increment is counted once"
    );
    assert_eq!(series.values().sum::<f64>(), (THREADS * PER_THREAD) as f64);
}

/// Observations are dyadic fractions, so every sum is exact and the final sum can be compared bit for bit.
const OBSERVATIONS: [f64; 6] = [0.125, 0.25, 0.375, 0.75, 1.5, 3.0];
const OBSERVERS: usize = 3;
const SCRAPES: usize = 500;

/// One histogram series as a scrape showed it.
#[derive(Debug, Clone, Default)]
struct HistogramSnapshot {
    buckets: Vec<(f64, f64)>,
    count: f64,
    sum: f64,
}

/// Groups the histogram samples of one scrape by series, checking the in-scrape invariants: `le` strictly
/// increasing and ending at `+Inf`, cumulative counts monotonic, `_count` equal to the `+Inf` bucket.
fn histogram_snapshots(text: &str) -> BTreeMap<Vec<(String, String)>, HistogramSnapshot> {
    let mut series: BTreeMap<Vec<(String, String)>, HistogramSnapshot> = BTreeMap::new();
    for sample in parse_exposition(text) {
        let Some(suffix) = sample.name.strip_prefix("concurrency_wait_seconds") else {
            continue;
        };
        let mut labels = sample.labels.clone();
        let le = labels
            .iter()
            .position(|(name, _)| name == "le")
            .map(|at| labels.remove(at).1);
        let snapshot = series.entry(labels).or_default();
        match (suffix, le) {
            ("_bucket", Some(le)) => {
                let bound = if le == "+Inf" {
                    f64::INFINITY
                } else {
                    le.parse().expect("a numeric le")
                };
                snapshot.buckets.push((bound, sample.value));
            }
            ("_count", None) => snapshot.count = sample.value,
            ("_sum", None) => snapshot.sum = sample.value,
            other => panic!("unexpected histogram sample {other:?} in:\n{text}"),
        }
    }
    for (labels, snapshot) in &series {
        let bounds: Vec<f64> = snapshot.buckets.iter().map(|b| b.0).collect();
        assert_eq!(
            bounds,
            [0.25, 0.5, 1.0, 2.0, f64::INFINITY],
            "{labels:?}: le order"
        );
        assert!(
            snapshot.buckets.windows(2).all(|w| w[0].1 <= w[1].1),
            "{labels:?}: buckets decrease: {snapshot:?}"
        );
        assert_eq!(
            snapshot.count, snapshot.buckets[4].1,
            "{labels:?}: _count differs from the +Inf bucket"
        );
    }
    series
}

#[test]
fn histogram_scrapes_stay_consistent_while_observers_run() {
    let registry = Registry::builder()
        .register(&WAIT_SECONDS)
        .build()
        .expect("valid");
    let stop = AtomicBool::new(false);
    let observed = AtomicU64::new(0);
    let started = Barrier::new(OBSERVERS + 1);
    let (scrapes, changed) = thread::scope(|scope| {
        let observers: Vec<_> = (0..OBSERVERS)
            .map(|o| {
                let (stop, started) = (&stop, &started);
                scope.spawn(move || {
                    started.wait();
                    let mut done = 0usize;
                    while !stop.load(Ordering::Relaxed) || done == 0 {
                        let worker = ConcurrencyWorker::ALL[(o + done) % 3];
                        WAIT_SECONDS
                            .labels(worker)
                            .observe(OBSERVATIONS[done % OBSERVATIONS.len()]);
                        done += 1;
                    }
                    done
                })
            })
            .collect();
        started.wait();
        let mut previous: Option<BTreeMap<_, HistogramSnapshot>> = None;
        let mut changed = 0;
        for scrape in 0..SCRAPES {
            let format = if scrape % 2 == 0 {
                Format::Text004
            } else {
                Format::OpenMetrics
            };
            let current = histogram_snapshots(&registry.encode_to_string(format).expect("encode"));
            assert_eq!(current.len(), 3, "one series per worker");
            if let Some(previous) = &previous {
                for (labels, now) in &current {
                    let before = &previous[labels];
                    assert!(
                        now.count >= before.count,
                        "{labels:?}: count went down: {before:?} -> {now:?}"
                    );
                    assert!(
                        now.sum >= before.sum,
                        "{labels:?}: sum went down: {before:?} -> {now:?}"
                    );
                    for (b, n) in before.buckets.iter().zip(&now.buckets) {
                        assert!(
                            n.1 >= b.1,
                            "{labels:?}: bucket le={} went down: {before:?} -> {now:?}",
                            n.0
                        );
                    }
                    changed += usize::from(now.count > before.count);
                }
            }
            previous = Some(current);
        }
        stop.store(true, Ordering::Relaxed);
        for observer in observers {
            observed.fetch_add(observer.join().expect("observer") as u64, Ordering::Relaxed);
        }
        (SCRAPES, changed)
    });
    eprintln!(
        "checked {scrapes} scrapes; {changed} series-scrapes saw new observations; {} observations",
        observed.load(Ordering::Relaxed)
    );
    assert!(
        changed > 0,
        "no scrape overlapped an observation: the test proved nothing"
    );

    // At rest, the last scrape holds every observation exactly.
    let last = histogram_snapshots(
        &registry
            .encode_to_string(Format::OpenMetrics)
            .expect("encode"),
    );
    let count: f64 = last.values().map(|s| s.count).sum();
    assert_eq!(count, observed.load(Ordering::Relaxed) as f64);
    for worker in ConcurrencyWorker::ALL {
        let histogram = WAIT_SECONDS.labels(*worker);
        let snapshot = &last[&vec![owned(("worker", worker.as_str()))]];
        assert_eq!(snapshot.count, histogram.count() as f64);
        assert_eq!(snapshot.sum, histogram.sum());
    }
}

const EXEMPLAR_SCRAPES: usize = 1_000;

/// Each exemplar a scrape shows is one observation whole: its value is the one its labels name, it sits in the
/// bucket of that value, and an observer's later observation never carries an earlier timestamp.
#[test]
fn exemplar_scrapes_show_whole_observations_while_observers_run() {
    let registry = Registry::builder()
        .register(&TRACED_WAIT_SECONDS)
        .build()
        .expect("valid");
    let stop = AtomicBool::new(false);
    let started = Barrier::new(OBSERVERS + 1);
    let bounds = [0.25, 0.5, 1.0, 2.0, f64::INFINITY];
    let mut seen = 0usize;
    let mut changed = 0usize;
    thread::scope(|scope| {
        for observer in 0..OBSERVERS {
            let (stop, started) = (&stop, &started);
            scope.spawn(move || {
                started.wait();
                let mut done = 0usize;
                while !stop.load(Ordering::Relaxed) || done == 0 {
                    // A value unique to the observation, in every bucket in turn.
                    let value = OBSERVATIONS[done % OBSERVATIONS.len()] + done as f64 * 1e-9;
                    let trace = format!("{observer}-{done}");
                    let value_text = value.to_string();
                    TRACED_WAIT_SECONDS.observe_with_exemplar(
                        value,
                        &[("trace_id", &trace), ("value", &value_text)],
                    );
                    done += 1;
                }
            });
        }
        started.wait();
        let mut previous = Vec::new();
        for _ in 0..EXEMPLAR_SCRAPES {
            let text = registry
                .encode_to_string(Format::OpenMetrics)
                .expect("encode");
            // Per observer: (observation number, timestamp) of each exemplar in this scrape.
            let mut by_observer: BTreeMap<String, Vec<(usize, f64)>> = BTreeMap::new();
            let mut current = Vec::new();
            for sample in parse_exposition(&text) {
                let Some((labels, value, timestamp)) = sample.exemplar else {
                    continue;
                };
                let le = &sample.labels[0].1;
                let bucket = bounds
                    .iter()
                    .position(|b| {
                        *le == if b.is_infinite() {
                            "+Inf".to_owned()
                        } else {
                            format!("{b:?}")
                        }
                    })
                    .unwrap_or_else(|| panic!("le {le}"));
                let label = |name: &str| {
                    labels.iter().find(|(n, _)| n == name).map_or_else(
                        || panic!("exemplar label {name} in {labels:?}"),
                        |(_, v)| v.clone(),
                    )
                };
                assert_eq!(
                    label("value").parse::<f64>().expect("a number"),
                    value,
                    "labels and value of one observation: {labels:?}"
                );
                assert!(
                    value <= bounds[bucket] && (bucket == 0 || value > bounds[bucket - 1]),
                    "{value} shown in bucket le={le}"
                );
                let trace = label("trace_id");
                let (observer, done) = trace.split_once('-').expect("observer-number");
                by_observer
                    .entry(observer.to_owned())
                    .or_default()
                    .push((done.parse().expect("a number"), timestamp));
                current.push(trace);
                seen += 1;
            }
            for (observer, mut exemplars) in by_observer {
                exemplars.sort_by_key(|(done, _)| *done);
                assert!(
                    exemplars.windows(2).all(|w| w[0].1 <= w[1].1),
                    "observer {observer}: a later observation with an earlier timestamp: {exemplars:?}"
                );
            }
            changed += usize::from(current != previous);
            previous = current;
        }
        stop.store(true, Ordering::Relaxed);
    });
    eprintln!(
        "checked {EXEMPLAR_SCRAPES} scrapes, {seen} exemplars, {changed} scrapes with new ones"
    );
    assert!(
        changed > 1,
        "no scrape overlapped an observation: the test proved nothing"
    );
}

#[test]
fn in_flight_gauges_return_to_zero_when_guard_holders_panic() {
    let held = Barrier::new(THREADS + 1);
    let release = Barrier::new(THREADS + 1);
    let caught = thread::scope(|scope| {
        let threads: Vec<_> = (0..THREADS)
            .map(|t| {
                let (held, release) = (&held, &release);
                scope.spawn(move || {
                    let work = || {
                        let _running = IN_FLIGHT.track_inflight();
                        let _worker = WORKER_IN_FLIGHT
                            .labels(ConcurrencyWorker::ALL[t % 3])
                            .track_inflight();
                        held.wait();
                        release.wait();
                        panic!("job {t} failed while in flight (expected by this test)");
                    };
                    // Half the threads catch their panic, half let it end the thread.
                    if t % 2 == 0 {
                        catch_unwind(AssertUnwindSafe(work)).is_err()
                    } else {
                        work()
                    }
                })
            })
            .collect();
        held.wait();
        let holders = i64::try_from(THREADS).expect("a few threads");
        assert_eq!(IN_FLIGHT.get(), holders, "every guard is held");
        let by_worker: i64 = ConcurrencyWorker::ALL
            .iter()
            .map(|w| WORKER_IN_FLIGHT.labels(*w).get())
            .sum();
        assert_eq!(by_worker, holders);
        release.wait();
        threads
            .into_iter()
            .map(thread::ScopedJoinHandle::join)
            .collect::<Vec<_>>()
    });
    assert_eq!(
        caught.iter().filter(|r| matches!(r, Ok(true))).count(),
        THREADS / 2,
        "caught panics"
    );
    assert_eq!(
        caught.iter().filter(|r| r.is_err()).count(),
        THREADS / 2,
        "threads ended by their panic"
    );
    assert_eq!(IN_FLIGHT.get(), 0);
    for worker in ConcurrencyWorker::ALL {
        assert_eq!(WORKER_IN_FLIGHT.labels(*worker).get(), 0, "{worker:?}");
    }
    let registry = Registry::builder()
        .register(&IN_FLIGHT)
        .register(&WORKER_IN_FLIGHT)
        .build()
        .expect("valid");
    let scraped = parse_exposition(&registry.encode_to_string(Format::Text004).expect("encode"));
    assert_eq!(scraped.len(), 1 + 3);
    assert!(scraped.iter().all(|s| s.value == 0.0), "{scraped:?}");
}

/// The keys of `churn_total`, and the amount each one's every increment adds: distinct primes above the number of
/// increments the test makes, so a series holding anything but a multiple of its own prime received another key's
/// increment.
const CHURN_KEYS: [(&str, u64); 8] = [
    ("k0", 1_000_003),
    ("k1", 1_000_033),
    ("k2", 1_000_037),
    ("k3", 1_000_039),
    ("k4", 1_000_081),
    ("k5", 1_000_099),
    ("k6", 1_000_117),
    ("k7", 1_000_121),
];

/// `key -> value` of every `churn_total` sample in a scrape, checking on the way that each holds only its own
/// key's increments.
#[allow(
    clippy::cast_sign_loss,
    clippy::cast_possible_truncation,
    reason = "a counter's whole value below 2^53 is exact in f64"
)]
fn churn_series(text: &str) -> BTreeMap<String, u64> {
    parse_exposition(text)
        .into_iter()
        .filter(|sample| sample.name == "concurrency_churn_total")
        .map(|sample| {
            let key = sample.labels[0].1.clone();
            let value = sample.value as u64;
            let weight = CHURN_KEYS
                .iter()
                .find(|(k, _)| *k == key)
                .unwrap_or_else(|| {
                    panic!("unexpected series {key:?} (overflow, or a key never recorded)")
                })
                .1;
            assert_eq!(
                value % weight,
                0,
                "{key} holds another key's increments: {value}"
            );
            (key, value)
        })
        .collect()
}

/// Removal racing increments and scrapes, as `RemovableFamily` documents it: a series only ever holds its own
/// key's increments (none through a removed key's reused cells); a key's series after its last removal holds
/// every increment that looked it up after that removal returned, and none that finished before it began (the
/// removed count is discarded, never resurrected); the removed cells are reused (more removals than the spare
/// indices, and still no overflow).
///
/// One writer is an idle worker: it holds its series for 1.5 s (inside `record`'s closure, the only way to hold one
/// on a removable family) while its key is removed and other keys take removed keys' cells, then writes. Its write
/// must land in the removed series. The merged first version reused cells after a second without writes, so this
/// write (through a kept `labels(..)` reference there) landed in another key's series, which the scraper's prime
/// check catches within 5 ms.
#[test]
fn removal_racing_increments_and_scrapes_loses_and_misplaces_nothing_undocumented() {
    const WRITERS: usize = 3;
    const RUN: std::time::Duration = std::time::Duration::from_secs(4);
    // One logical clock orders every lookup, increment and removal (each SeqCst read-modify-write is a total
    // order that also carries happens-before).
    let clock = AtomicU64::new(0);
    let stop = AtomicBool::new(false);
    let registry = Registry::builder()
        .register(&CHURN_TOTAL)
        .build()
        .expect("valid");
    let ((increments, idle), removals, scrapes) = thread::scope(|scope| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|t| {
                let (clock, stop) = (&clock, &stop);
                scope.spawn(move || {
                    let mut done = Vec::new();
                    let mut state = 0x9E37_79B9_7F4A_7C15_u64 ^ t as u64;
                    while !stop.load(Ordering::Relaxed) {
                        for _ in 0..64 {
                            state ^= state << 13;
                            state ^= state >> 7;
                            state ^= state << 17;
                            let key = (state % CHURN_KEYS.len() as u64) as usize;
                            let start = clock.fetch_add(1, Ordering::SeqCst);
                            CHURN_TOTAL.record(CHURN_KEYS[key].0, |series| {
                                series.inc_by(CHURN_KEYS[key].1);
                            });
                            let end = clock.fetch_add(1, Ordering::SeqCst);
                            done.push((key, start, end));
                        }
                        // Keeps the total under the smallest prime, so a misplaced increment always shows.
                        thread::sleep(std::time::Duration::from_millis(1));
                    }
                    done
                })
            })
            .collect();
        let idle = scope.spawn(|| {
            let (mut done, mut removed) = (Vec::new(), Vec::new());
            let mut key = 0;
            // Just past the first version's quiet second, when removed cells were given to the next new key.
            let mut hold = 1050;
            while !stop.load(Ordering::Relaxed) {
                key = (key + 5) % CHURN_KEYS.len();
                let start = clock.fetch_add(1, Ordering::SeqCst);
                CHURN_TOTAL.record(CHURN_KEYS[key].0, |series| {
                    // The worker's key goes away while it holds the series; other keys take removed keys' cells.
                    let at = clock.fetch_add(1, Ordering::SeqCst);
                    if CHURN_TOTAL.remove(CHURN_KEYS[key].0) {
                        removed.push((key, at, clock.fetch_add(1, Ordering::SeqCst)));
                    }
                    thread::sleep(std::time::Duration::from_millis(hold));
                    series.inc_by(CHURN_KEYS[key].1);
                });
                let end = clock.fetch_add(1, Ordering::SeqCst);
                done.push((key, start, end));
                hold = if hold >= 1250 { 1050 } else { hold + 50 };
            }
            (done, removed)
        });
        let remover = scope.spawn(|| {
            let mut removed = Vec::new();
            let mut key = 0;
            let started = std::time::Instant::now();
            while started.elapsed() < RUN {
                key = (key + 3) % CHURN_KEYS.len();
                let start = clock.fetch_add(1, Ordering::SeqCst);
                let existed = CHURN_TOTAL.remove(CHURN_KEYS[key].0);
                let end = clock.fetch_add(1, Ordering::SeqCst);
                if existed {
                    removed.push((key, start, end));
                }
                thread::sleep(std::time::Duration::from_millis(25));
            }
            stop.store(true, Ordering::Relaxed);
            removed
        });
        let scraper = scope.spawn(|| {
            let mut scrapes = 0;
            while !stop.load(Ordering::Relaxed) {
                churn_series(&registry.encode_to_string(Format::Text004).expect("encode"));
                scrapes += 1;
                thread::sleep(std::time::Duration::from_millis(5));
            }
            scrapes
        });
        let mut increments: Vec<_> = writers
            .into_iter()
            .flat_map(|w| w.join().expect("writer"))
            .collect();
        let (idle, idle_removed) = idle.join().expect("idle writer");
        increments.extend(&idle);
        let mut removals = remover.join().expect("remover");
        removals.extend(idle_removed);
        (
            (increments, idle),
            removals,
            scraper.join().expect("scraper"),
        )
    });
    assert!(scrapes > 10, "the scrapes raced the rest: {scrapes}");
    let straddled = idle
        .iter()
        .filter(|&&(key, start, end)| {
            removals
                .iter()
                .any(|&(removed, at, _)| removed == key && start < at && at < end)
        })
        .count();
    assert!(
        straddled >= 2,
        "the idle writer held its series across its key's removal, more than a second: {straddled} of {}",
        idle.len()
    );
    assert!(
        increments.len() < 1_000_003,
        "fewer increments than the smallest prime"
    );
    // 64 keys' worth of spare indices: more removals than that reused removed cells.
    assert!(
        removals.len() > 130,
        "enough removals to need reused cells: {}",
        removals.len()
    );
    let text = registry.encode_to_string(Format::Text004).expect("encode");
    assert!(
        text.contains(
            "metrics_label_overflow_total{family=\"concurrency_churn_total\",label=\"key\"} 0"
        ),
        "no key overflowed, so every removed key's cells were given back: {text}"
    );
    let series = churn_series(&text);
    for (key, (name, weight)) in CHURN_KEYS.iter().enumerate() {
        let held = series.get(*name).copied().unwrap_or(0) / weight;
        let last = removals.iter().filter(|r| r.0 == key).max_by_key(|r| r.1);
        let (surely, possibly) = match last {
            None => (0, 0),
            Some(&(_, start, end)) => (end, start),
        };
        let mine = increments.iter().filter(|i| i.0 == key);
        // Looked up after the removal returned: in the new series.
        let at_least = mine.clone().filter(|i| i.1 > surely).count() as u64;
        // Finished before the removal began: in the removed series, discarded.
        let at_most = mine.filter(|i| i.2 > possibly).count() as u64;
        assert!(
            (at_least..=at_most).contains(&held),
            "{name}: the series holds {held} increments, expected {at_least}..={at_most}"
        );
    }
}

fn owned((name, value): (&str, &str)) -> (String, String) {
    (name.to_owned(), value.to_owned())
}

/// Label names and values, in text order.
type Labels = Vec<(String, String)>;

/// An exemplar's labels, value and timestamp.
type ScrapedExemplar = (Labels, f64, f64);

/// One sample line.
#[derive(Debug, Clone, PartialEq)]
struct ScrapedSample {
    name: String,
    labels: Vec<(String, String)>,
    value: f64,
    exemplar: Option<ScrapedExemplar>,
}

/// A small parser of the sample lines both formats share: `name{label="value",...} value`, comments skipped.
///
/// # Panics
///
/// On any line it cannot read: the scrapes under test must be well formed.
fn parse_exposition(text: &str) -> Vec<ScrapedSample> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| parse_line(line).unwrap_or_else(|e| panic!("{e}: {line:?}")))
        .collect()
}

fn parse_line(line: &str) -> Result<ScrapedSample, String> {
    let name_end = line.find(['{', ' ']).ok_or("no value")?;
    let name = line[..name_end].to_owned();
    let mut rest = &line[name_end..];
    let mut labels = Vec::new();
    if let Some(inner) = rest.strip_prefix('{') {
        (labels, rest) = parse_labels(inner)?;
    }
    let value = rest.strip_prefix(' ').ok_or("no space before the value")?;
    let (value, exemplar) = match value.split_once(" # {") {
        Some((value, exemplar)) => {
            let (labels, rest) = parse_labels(exemplar)?;
            let (value_text, at) = rest
                .strip_prefix(' ')
                .and_then(|rest| rest.split_once(' '))
                .ok_or("an exemplar without value and timestamp")?;
            let number = |text: &str| text.parse::<f64>().map_err(|e| format!("{text:?}: {e}"));
            (value, Some((labels, number(value_text)?, number(at)?)))
        }
        None => (value, None),
    };
    let value = match value {
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        other => other
            .parse()
            .map_err(|e| format!("bad value {other:?}: {e}"))?,
    };
    Ok(ScrapedSample {
        name,
        labels,
        value,
        exemplar,
    })
}

/// Reads `label="value",...}` (after the `{`); returns the labels and the text after the `}`.
fn parse_labels(mut inner: &str) -> Result<(Labels, &str), String> {
    let mut labels = Vec::new();
    loop {
        if let Some(after) = inner.strip_prefix('}') {
            return Ok((labels, after));
        }
        let eq = inner.find('=').ok_or("a label without `=`")?;
        let label = inner[..eq].to_owned();
        let quoted = inner[eq + 1..]
            .strip_prefix('"')
            .ok_or("an unquoted label value")?;
        let mut value = String::new();
        let mut chars = quoted.char_indices();
        let end = loop {
            match chars.next().ok_or("an unterminated label value")? {
                (at, '"') => break at,
                (_, '\\') => match chars.next().ok_or("a lone `\\`")?.1 {
                    'n' => value.push('\n'),
                    c @ ('\\' | '"') => value.push(c),
                    c => return Err(format!("invalid escape `\\{c}`")),
                },
                (_, c) => value.push(c),
            }
        };
        labels.push((label, value));
        inner = &quoted[end + 1..];
        inner = inner.strip_prefix(',').unwrap_or(inner);
    }
}
