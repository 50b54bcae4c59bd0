//! The collectors read back through a registry: process values against `/proc` and `ps`, runtimes by name, channels
//! under load, build info from this crate's build.

use std::process::Command;

use metrics_core::{Format, Registry};

metrics_collectors::process_collector!();
metrics_collectors::tokio_runtime_collector!();
metrics_collectors::channel_collector!();
metrics_collectors::build_info!("collectors_test");

fn scrape() -> String {
    Registry::global()
        .expect("a valid registry")
        .encode_to_string(Format::Text004)
        .expect("no external source")
}

/// The value of the one sample line starting with `series ` (name plus labels).
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .map(|v| v.parse().expect("a number"))
}

#[cfg(target_os = "linux")]
#[test]
fn process_values_agree_with_proc_and_ps() {
    let ps = |fields: &str| -> Vec<f64> {
        let out = Command::new("ps")
            .args(["-o", fields, "-p", &std::process::id().to_string()])
            .output()
            .expect("run ps");
        String::from_utf8(out.stdout)
            .unwrap()
            .split_ascii_whitespace()
            .map(|v| v.parse().unwrap())
            .collect()
    };
    let before = scrape();
    let ps_values = ps("rss=,vsz=,nlwp=");
    let after = scrape();
    let (rss_kib, vsz_kib, threads) = (ps_values[0], ps_values[1], ps_values[2]);
    let between = |name: &str, expected: f64, slack: f64| {
        let (a, b) = (value(&before, name).unwrap(), value(&after, name).unwrap());
        let (low, high) = (a.min(b) - slack, a.max(b) + slack);
        assert!(
            (low..=high).contains(&expected),
            "{name}: ps says {expected}, scrapes say {a} and {b}"
        );
    };
    // Memory moves while the test runs (the scrape itself allocates): 8 MiB of slack.
    between(
        "process_resident_memory_bytes",
        rss_kib * 1024.0,
        8.0 * 1024.0 * 1024.0,
    );
    between(
        "process_virtual_memory_bytes",
        vsz_kib * 1024.0,
        64.0 * 1024.0 * 1024.0,
    );
    // Other tests of this binary start and stop threads meanwhile.
    between("process_threads", threads, 4.0);

    let fds = std::fs::read_dir("/proc/self/fd").unwrap().count() as f64;
    between("process_open_fds", fds, 8.0);
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap();
    let soft: f64 = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_ascii_whitespace().nth(3))
        .and_then(|v| v.parse().ok())
        .expect("a finite open files limit");
    assert_eq!(value(&after, "process_max_fds"), Some(soft));

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    let start = value(&after, "process_start_time_seconds").unwrap();
    let elapsed = ps("etimes=")[0];
    assert!(
        (now - elapsed - start).abs() <= 2.0,
        "started at {start}, ps says {elapsed} s ago, now is {now}"
    );
    let cpu = value(&after, "process_cpu_seconds_total").unwrap();
    assert!(cpu >= 0.0 && cpu <= elapsed.max(1.0) * 64.0, "{cpu}");

    // Metadata as client_golang writes it.
    assert!(after.contains("# TYPE process_cpu_seconds_total counter\n"));
    assert!(after.contains("# TYPE process_resident_memory_bytes gauge\n"));
}

#[cfg(target_os = "linux")]
#[test]
fn cpu_time_grows_with_work_and_agrees_with_ps() {
    let cpu = || value(&scrape(), "process_cpu_seconds_total").unwrap();
    let before = cpu();
    // Spin until 0.2 s of CPU time is counted: on a shared machine that takes longer than 0.2 s of wall time.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let mut x = 0u64;
    while cpu() - before < 0.2 {
        assert!(
            std::time::Instant::now() < deadline,
            "CPU time does not grow"
        );
        for _ in 0..1_000_000 {
            x = std::hint::black_box(x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1));
        }
    }
    let ours = cpu();
    let out = Command::new("ps")
        .args(["-o", "times=", "-p", &std::process::id().to_string()])
        .output()
        .expect("run ps");
    let theirs: f64 = String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // ps prints whole seconds.
    assert!((ours - theirs).abs() <= 1.5, "ours {ours} s, ps {theirs} s");
}

#[test]
fn runtimes_are_labelled_by_name() {
    let one = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(3)
        .build()
        .unwrap();
    let two = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    metrics_collectors::runtime::register("rt_one", one.handle()).unwrap();
    metrics_collectors::runtime::register("rt_two", two.handle()).unwrap();
    assert_eq!(
        metrics_collectors::runtime::register("rt_one", two.handle()),
        Err(metrics_collectors::runtime::RegisterError::Duplicate(
            "rt_one".into()
        ))
    );
    assert!(metrics_collectors::runtime::register("", two.handle()).is_err());

    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
    let tasks: Vec<_> = (0..5)
        .map(|_| {
            let rx = std::sync::Arc::clone(&rx);
            one.spawn(async move {
                tokio::task::spawn_blocking(move || {
                    let _ = rx.lock().unwrap().recv();
                })
                .await
                .unwrap();
            })
        })
        .collect();
    let text = scrape();
    assert_eq!(
        value(&text, "tokio_runtime_workers{runtime=\"rt_one\"}"),
        Some(3.0)
    );
    assert_eq!(
        value(&text, "tokio_runtime_workers{runtime=\"rt_two\"}"),
        Some(1.0)
    );
    assert_eq!(
        value(&text, "tokio_runtime_alive_tasks{runtime=\"rt_one\"}"),
        Some(5.0)
    );
    assert_eq!(
        value(&text, "tokio_runtime_alive_tasks{runtime=\"rt_two\"}"),
        Some(0.0)
    );
    assert!(
        value(
            &text,
            "tokio_runtime_global_queue_depth{runtime=\"rt_one\"}"
        )
        .is_some()
    );
    assert!(
        value(
            &text,
            "tokio_runtime_worker_parks_total{runtime=\"rt_one\"}"
        )
        .is_some()
    );
    // Built with `--cfg tokio_unstable`, the unstable families are there too.
    #[cfg(tokio_unstable)]
    {
        let spawned = value(
            &text,
            "tokio_runtime_spawned_tasks_total{runtime=\"rt_one\"}",
        );
        assert!(spawned.is_some_and(|n| n >= 5.0), "{spawned:?}");
        assert!(value(&text, "tokio_runtime_blocking_threads{runtime=\"rt_one\"}").is_some());
    }
    assert!(
        text.contains(
            "metrics_label_overflow_total{family=\"tokio_runtime_workers\",label=\"runtime\"} 2\n"
        ),
        "the two refused registrations are counted:\n{text}"
    );
    drop(tx);
    for task in tasks {
        one.block_on(task).unwrap();
    }
    assert!(metrics_collectors::runtime::deregister("rt_two"));
    // A finished task leaves the count just after its output is handed over: wait for it, with a deadline.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while value(&scrape(), "tokio_runtime_alive_tasks{runtime=\"rt_one\"}") != Some(0.0) {
        assert!(
            std::time::Instant::now() < deadline,
            "tasks still alive:\n{}",
            scrape()
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let text = scrape();
    assert_eq!(
        value(&text, "tokio_runtime_workers{runtime=\"rt_two\"}"),
        None
    );
}

#[test]
fn channels_export_capacity_depth_full_events_and_wait() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (tx, mut rx) = metrics_collectors::channel::channel::<u32>("test_jobs", 2);
        tx.send(1).await.unwrap();
        tx.send(2).await.unwrap();
        assert!(tx.try_send(3).is_err(), "full");
        let text = scrape();
        assert_eq!(
            value(&text, "channel_capacity{channel=\"test_jobs\"}"),
            Some(2.0)
        );
        assert_eq!(
            value(&text, "channel_depth{channel=\"test_jobs\"}"),
            Some(2.0)
        );
        assert_eq!(
            value(&text, "channel_full_total{channel=\"test_jobs\"}"),
            Some(1.0)
        );

        // A send that waits 50 ms for room: a full event and a wait in the (0.01, 0.05] or (0.05, 0.1] bucket.
        let waiting = tx.clone();
        let sender = tokio::spawn(async move { waiting.send(4).await });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert_eq!(rx.recv().await, Some(1));
        sender.await.unwrap().unwrap();
        let text = scrape();
        assert_eq!(
            value(&text, "channel_full_total{channel=\"test_jobs\"}"),
            Some(2.0)
        );
        assert_eq!(
            value(&text, "channel_depth{channel=\"test_jobs\"}"),
            Some(2.0)
        );
        assert_eq!(
            value(
                &text,
                "channel_send_wait_seconds_count{channel=\"test_jobs\"}"
            ),
            Some(3.0)
        );
        assert_eq!(
            value(
                &text,
                "channel_send_wait_seconds_bucket{channel=\"test_jobs\",le=\"0.0001\"}"
            ),
            Some(2.0),
            "the sends that found room waited 0:\n{text}"
        );
        let waited = value(
            &text,
            "channel_send_wait_seconds_sum{channel=\"test_jobs\"}",
        )
        .unwrap();
        assert!((0.04..1.0).contains(&waited), "{waited}");

        let mut buffer = Vec::new();
        assert_eq!(rx.recv_many(&mut buffer, 10).await, 2);
        assert_eq!(
            value(&scrape(), "channel_depth{channel=\"test_jobs\"}"),
            Some(0.0)
        );

        // A second channel of the same name adds up; a dropped receiver stops counting.
        let (_tx2, rx2) = metrics_collectors::channel::channel::<u32>("test_jobs", 5);
        assert_eq!(
            value(&scrape(), "channel_capacity{channel=\"test_jobs\"}"),
            Some(7.0)
        );
        drop(rx2);
        drop(rx);
        assert_eq!(
            value(&scrape(), "channel_capacity{channel=\"test_jobs\"}"),
            Some(0.0)
        );
        assert!(tx.send(9).await.is_err(), "closed");
    });
}

#[test]
fn channel_names_past_the_cap_or_invalid_go_to_overflow() {
    let (_tx, _rx) = metrics_collectors::channel::channel::<()>("bad\nname", 1);
    let text = scrape();
    assert_eq!(
        value(&text, "channel_capacity{channel=\"__overflow__\"}"),
        Some(1.0),
        "{text}"
    );
    assert!(
        value(
            &text,
            "metrics_label_overflow_total{family=\"channel_depth\",label=\"channel\"}"
        )
        .unwrap()
            >= 1.0
    );
}

#[test]
fn build_info_has_this_crates_version() {
    let text = scrape();
    let line = format!(
        "collectors_test_build_info{{version=\"{}\",revision=\"unknown\",rustc=\"unknown\"}} 1",
        env!("CARGO_PKG_VERSION")
    );
    assert!(text.contains(&line), "no `{line}` in:\n{text}");
    assert_eq!(BUILD_INFO.values()[0], env!("CARGO_PKG_VERSION"));
}
