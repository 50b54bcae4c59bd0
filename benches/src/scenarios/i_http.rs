//! I: `GET /metrics` under load. Scenario F's 10,000 + 100 series served over loopback by `metrics-http`, with
//! two scrapers on keep-alive connections sending requests back to back and two threads updating counters
//! meanwhile; the floor is a hand-written std server answering with the floor encoder's text.

use std::sync::Arc;

use metrics_core::Counter;

use super::f_scrape::{self, BENCH_F_REQUESTS_TOTAL, Floor, TENANTS};
use crate::contender::Library;
use crate::harness::Config;
use crate::label_sets::tenant_name;
use crate::load::{self, FloorServer, Load, Outcome};
use crate::report::{Row, Table, number};

/// The requests our server is sent: the default format, OpenMetrics as Prometheus asks for it, and gzip.
pub(crate) const OURS: [(&str, &[(&str, &str)]); 3] = [
    ("text 0.0.4", &[]),
    (
        "OpenMetrics 1.0",
        &[(
            "Accept",
            "application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.5",
        )],
    ),
    ("text 0.0.4, gzip", &[("Accept-Encoding", "gzip")]),
];

/// Our server on a free loopback port, serving scenario F's registry.
pub(crate) fn start_ours() -> metrics_http::ServerHandle {
    let config = metrics_http::Config::default()
        .addr(([127, 0, 0, 1], 0).into())
        .registry(f_scrape::ours_registry());
    metrics_http::spawn(config).expect("the metrics server starts on a free loopback port")
}

/// The handles our writers increment: tenant `i % TENANTS`.
pub(crate) fn our_counters() -> Arc<[&'static Counter]> {
    f_scrape::ours_registry();
    (0..TENANTS)
        .map(|i| BENCH_F_REQUESTS_TOTAL.labels(&tenant_name(i)))
        .collect()
}

/// Runs scenario I.
pub(crate) fn run(config: &Config) -> Table {
    let mut table = Table::new(
        "I: GET /metrics, 10,000 + 100 series over loopback, 2 scrapers back to back, 2 threads updating counters",
        "µs p50",
    );
    table.extra_headers = vec!["µs p99", "req/s", "bytes", "updates/s"];
    let load = Load {
        clients: 2,
        writers: 2,
        duration: config.load_time,
    };

    if config.selects("floor (hand-written)") {
        eprintln!("  floor (hand-written)");
        let floor = Arc::new(Floor::new());
        let encoder = Arc::clone(&floor);
        let server = FloorServer::start(Arc::new(move |out: &mut String| encoder.encode(out)))
            .expect("the floor server starts on a free loopback port");
        let outcome = load::run(server.addr(), &[], load, &|i| floor.add(i))
            .expect("the floor server answers every request");
        table
            .rows
            .push(row(Library::Floor, "std threads, text 0.0.4", outcome));
    }

    let counters = our_counters();
    let server = start_ours();
    for (note, headers) in OURS {
        if !config.selects(&format!("{} ({note})", Library::Ours.name())) {
            continue;
        }
        eprintln!("  {} ({note})", Library::Ours.name());
        let outcome = load::run(server.local_addr(), headers, load, &|i| {
            counters[i % TENANTS].inc();
        })
        .expect("our server answers every request with 200");
        table.rows.push(row(Library::Ours, note, outcome));
    }
    server.shutdown();
    table.notes.push(format!(
        "Each row loads its server for {:?}. Scrapers, writers and the server share the machine's cores, so \
         this is what one machine does under that load, not a server's capacity.",
        config.load_time
    ));
    table
}

fn row(library: Library, note: &str, outcome: Outcome) -> Row {
    let micros = |d: std::time::Duration| d.as_secs_f64() * 1e6;
    Row {
        library,
        note: note.into(),
        value: micros(outcome.p50),
        spread: None,
        extra: vec![
            number(micros(outcome.p99)),
            number(outcome.per_second),
            outcome.bytes.to_string(),
            number(outcome.updates_per_second),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exposition::value;
    use std::time::Duration;

    const SHORT: Load = Load {
        clients: 1,
        writers: 1,
        duration: Duration::from_millis(150),
    };

    fn tenant_42(body: &[u8]) -> Option<f64> {
        let text = std::str::from_utf8(body).expect("UTF-8 text");
        value(text, f_scrape::COUNTER, &[("tenant", "tenant-0042")])
    }

    #[test]
    fn our_server_answers_every_format_under_load() {
        let counters = our_counters();
        let server = start_ours();
        for (note, headers) in OURS {
            let outcome = load::run(server.local_addr(), headers, SHORT, &|i| {
                counters[i % TENANTS].inc();
            })
            .expect("every answer is 200");
            assert!(
                outcome.requests > 0 && outcome.updates_per_second > 0.0,
                "{note}: {outcome:?}"
            );
        }
        let (status, text) = load::fetch(server.local_addr(), OURS[0].1).expect("a scrape");
        assert_eq!(status, 200);
        assert!(tenant_42(&text) >= Some(f_scrape::tenant_count(42) as f64));
        let (_, open_metrics) = load::fetch(server.local_addr(), OURS[1].1).expect("a scrape");
        assert!(open_metrics.ends_with(b"# EOF\n"));
        let (_, gzip) = load::fetch(server.local_addr(), OURS[2].1).expect("a scrape");
        assert_eq!(gzip[..2], [0x1f, 0x8b], "gzip magic");
        server.shutdown();
    }

    #[test]
    fn the_floor_server_serves_the_floor_text() {
        let floor = Arc::new(Floor::new());
        let encoder = Arc::clone(&floor);
        let server = FloorServer::start(Arc::new(move |out: &mut String| encoder.encode(out)))
            .expect("binds");
        let outcome =
            load::run(server.addr(), &[], SHORT, &|i| floor.add(i)).expect("every answer is 200");
        assert!(outcome.requests > 0, "{outcome:?}");
        let (status, text) = load::fetch(server.addr(), &[]).expect("a scrape");
        assert_eq!(status, 200);
        assert!(
            tenant_42(&text) > Some(f_scrape::tenant_count(42) as f64),
            "the writer's updates show"
        );
    }
}
