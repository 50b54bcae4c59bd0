//! A real VictoriaMetrics for end-to-end tests: its single-node binary started on a free loopback port with
//! temporary storage, scraping one target every second, killed on drop. It answers the Prometheus query API, so
//! [`crate::prometheus::query`] and [`crate::prometheus::target_up`] work against its address.

use std::fs::File;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::http::{ChildGuard, TempDir, free_port, try_request, wait_for};
use crate::prometheus::SCRAPE_DEADLINE;

/// A running VictoriaMetrics scraping one target as job `target`.
#[derive(Debug)]
pub struct VictoriaMetrics {
    /// Its HTTP API (Prometheus-compatible).
    pub addr: SocketAddr,
    // Field order: the process dies before its storage directory is removed.
    _process: ChildGuard,
    _dir: TempDir,
}

impl VictoriaMetrics {
    /// Starts `program` (the `victoria-metrics` binary) scraping `target` every second with `job_options` (YAML
    /// lines indented for the scrape job, such as an `authorization` block), and waits until it is healthy.
    ///
    /// # Panics
    ///
    /// When it cannot start or is not healthy within [`SCRAPE_DEADLINE`].
    pub async fn start(program: &Path, target: SocketAddr, job_options: &str) -> Self {
        let dir = TempDir::new("victoria-metrics");
        let config = dir.path().join("scrape.yml");
        std::fs::write(
            &config,
            format!(
                "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: target\n{job_options}    \
                 static_configs:\n      - targets: ['{target}']\n"
            ),
        )
        .expect("write the scrape config");
        let addr = SocketAddr::from(([127, 0, 0, 1], free_port()));
        let log =
            File::create(dir.path().join("victoria-metrics.log")).expect("create the log file");
        let child = Command::new(program)
            .arg(format!("-promscrape.config={}", config.display()))
            .arg(format!(
                "-storageDataPath={}",
                dir.path().join("data").display()
            ))
            .arg(format!("-httpListenAddr={addr}"))
            // Make fresh samples queryable at once (the default hides the last 30 s).
            .arg("-search.latencyOffset=1s")
            .arg("-search.disableCache")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("clone the log file"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|error| panic!("start {}: {error}", program.display()));
        let victoria = Self {
            addr,
            _process: ChildGuard(child),
            _dir: dir,
        };
        wait_for(
            "victoria-metrics healthy",
            SCRAPE_DEADLINE,
            Duration::from_millis(100),
            async || match try_request("GET", addr, "/health", &[]).await {
                Ok(reply) if reply.status == 200 => Ok(()),
                other => Err(format!("{other:?}")),
            },
        )
        .await;
        victoria
    }
}
