//! A real Prometheus for end-to-end tests: started on a free loopback port with temporary storage and a 1 s
//! scrape interval against one target, killed on drop, queried through its HTTP API with deadlines.

use std::fs::File;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::http::{ChildGuard, TempDir, free_port, try_request, wait_for};

/// How long Prometheus may take to start, scrape and make a sample queryable (it needs about 6 s).
pub const SCRAPE_DEADLINE: Duration = Duration::from_secs(45);

/// A running Prometheus scraping one target as job `target`.
#[derive(Debug)]
pub struct Prometheus {
    /// Its HTTP API.
    pub addr: SocketAddr,
    // Field order: the process dies before its storage directory is removed.
    _process: ChildGuard,
    _dir: TempDir,
}

impl Prometheus {
    /// Starts `program` (the `prometheus` binary) scraping `target` every second, and waits until it is ready.
    ///
    /// # Panics
    ///
    /// When it cannot start or is not ready within [`SCRAPE_DEADLINE`].
    pub async fn start(program: &Path, target: SocketAddr) -> Self {
        Self::start_with(program, target, "").await
    }

    /// As [`Prometheus::start`], with `job_options` (YAML lines indented for the scrape job, such as
    /// `"    honor_labels: true\n"`) added to the scrape job.
    ///
    /// # Panics
    ///
    /// As [`Prometheus::start`].
    pub async fn start_with(program: &Path, target: SocketAddr, job_options: &str) -> Self {
        Self::launch(program, target, job_options, None, &[]).await
    }

    /// As [`Prometheus::start_with`], with the rules file `rules` (its text) loaded and evaluated every second.
    ///
    /// # Panics
    ///
    /// As [`Prometheus::start`], or when the rules do not load (Prometheus does not start).
    pub async fn start_with_rules(
        program: &Path,
        target: SocketAddr,
        job_options: &str,
        rules: &str,
    ) -> Self {
        Self::launch(program, target, job_options, Some(rules), &[]).await
    }

    /// The `trace_id` of every exemplar stored for `series` (such as `x_seconds_bucket`) between `start` and
    /// `end` (Unix seconds; the range must cover the exemplars' own timestamps), polled until there are at least
    /// `at_least`.
    ///
    /// # Panics
    ///
    /// When fewer arrive within [`SCRAPE_DEADLINE`].
    pub async fn exemplar_trace_ids(
        &self,
        series: &str,
        start: f64,
        end: f64,
        at_least: usize,
    ) -> Vec<String> {
        let path = format!(
            "/api/v1/query_exemplars?query={}&start={start:.3}&end={end:.3}",
            encode(series)
        );
        wait_for(
            &format!("{at_least} exemplars of {series}"),
            SCRAPE_DEADLINE,
            Duration::from_millis(250),
            async || {
                let body = self.api(&path).await?;
                let ids: Vec<String> = body["data"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .flat_map(|found| found["exemplars"].as_array().cloned().unwrap_or_default())
                    .filter_map(|e| e["labels"]["trace_id"].as_str().map(str::to_owned))
                    .collect();
                if ids.len() >= at_least {
                    Ok(ids)
                } else {
                    Err(body.to_string())
                }
            },
        )
        .await
    }

    /// The alerts named `name` in `/api/v1/alerts`, each with its state (`pending` or `firing`).
    ///
    /// # Errors
    ///
    /// As [`api`].
    pub async fn alerts(&self, name: &str) -> Result<Vec<String>, String> {
        let body = self.api("/api/v1/alerts").await?;
        Ok(body["data"]["alerts"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|alert| alert["labels"]["alertname"] == name)
            .map(|alert| alert["state"].as_str().unwrap_or_default().to_owned())
            .collect())
    }

    /// As [`Prometheus::start_with`], with extra command-line `flags` (such as
    /// `--enable-feature=exemplar-storage`).
    ///
    /// # Panics
    ///
    /// As [`Prometheus::start`].
    pub async fn start_with_flags(
        program: &Path,
        target: SocketAddr,
        job_options: &str,
        flags: &[&str],
    ) -> Self {
        Self::launch(program, target, job_options, None, flags).await
    }

    /// As [`Prometheus::start_with_rules`], with extra command-line `flags` as well.
    ///
    /// # Panics
    ///
    /// As [`Prometheus::start_with_rules`].
    pub async fn start_with_rules_and_flags(
        program: &Path,
        target: SocketAddr,
        job_options: &str,
        rules: &str,
        flags: &[&str],
    ) -> Self {
        Self::launch(program, target, job_options, Some(rules), flags).await
    }

    async fn launch(
        program: &Path,
        target: SocketAddr,
        job_options: &str,
        rules: Option<&str>,
        flags: &[&str],
    ) -> Self {
        let dir = TempDir::new("prometheus");
        let config = dir.path().join("prometheus.yml");
        let rule_files = match rules {
            Some(text) => {
                let path = dir.path().join("rules.yml");
                std::fs::write(&path, text).expect("write the rules");
                format!(
                    "  evaluation_interval: 1s\nrule_files:\n  - '{}'\n",
                    path.display()
                )
            }
            None => String::new(),
        };
        std::fs::write(
            &config,
            format!(
                "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n{rule_files}scrape_configs:\n  - job_name: target\n{job_options}    \
                 static_configs:\n      - targets: ['{target}']\n"
            ),
        )
        .expect("write the Prometheus config");
        let addr = SocketAddr::from(([127, 0, 0, 1], free_port()));
        let log = File::create(dir.path().join("prometheus.log")).expect("create the log file");
        let child = Command::new(program)
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.path().join("data").display()
            ))
            .arg(format!("--web.listen-address={addr}"))
            .args(flags)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("clone the log file"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|error| panic!("start {}: {error}", program.display()));
        let prometheus = Self {
            addr,
            _process: ChildGuard(child),
            _dir: dir,
        };
        wait_for(
            "prometheus ready",
            SCRAPE_DEADLINE,
            Duration::from_millis(100),
            async || match try_request("GET", addr, "/-/ready", &[]).await {
                Ok(reply) if reply.status == 200 => Ok(()),
                other => Err(format!("{other:?}")),
            },
        )
        .await;
        prometheus
    }

    /// `GET path` on the API; see [`api`].
    ///
    /// # Errors
    ///
    /// As [`api`].
    pub async fn api(&self, path: &str) -> Result<Value, String> {
        api(self.addr, path).await
    }

    /// The series of an instant query; see [`query`].
    ///
    /// # Errors
    ///
    /// As [`query`].
    pub async fn query(&self, promql: &str) -> Result<Vec<(Value, f64)>, String> {
        query(self.addr, promql).await
    }

    /// Waits until the target is up; see [`target_up`].
    pub async fn target_up(&self) {
        target_up(self.addr, "prometheus").await;
    }

    /// Waits until each of `queries` returns data (a catalog's recorded series and dashboard queries: no empty
    /// panel).
    ///
    /// # Panics
    ///
    /// With the first query that returns no data within [`SCRAPE_DEADLINE`], or when there is no query.
    pub async fn every_query_returns_data<'a>(
        &self,
        queries: impl IntoIterator<Item = &'a String>,
    ) {
        let mut any = false;
        for promql in queries {
            any = true;
            wait_for(
                promql,
                SCRAPE_DEADLINE,
                Duration::from_millis(500),
                async || match self.query(promql).await?.as_slice() {
                    [] => Err("no data".to_owned()),
                    _ => Ok(()),
                },
            )
            .await;
        }
        assert!(any, "no query to check");
    }

    /// Waits until alert `name` is pending or firing.
    ///
    /// # Panics
    ///
    /// When it is neither within [`SCRAPE_DEADLINE`].
    pub async fn alert_goes_off(&self, name: &str) {
        wait_for(
            name,
            SCRAPE_DEADLINE,
            Duration::from_millis(500),
            async || {
                let states = self.alerts(name).await?;
                if states.iter().any(|s| s == "pending" || s == "firing") {
                    Ok(())
                } else {
                    Err(format!("{states:?}"))
                }
            },
        )
        .await;
    }
}

/// `GET path` on a Prometheus-compatible API (Prometheus, VictoriaMetrics) at `addr`, as JSON whose `status` is
/// `success`.
///
/// # Errors
///
/// The status and body otherwise.
pub async fn api(addr: SocketAddr, path: &str) -> Result<Value, String> {
    let reply = try_request("GET", addr, path, &[]).await?;
    let body: Value = serde_json::from_slice(&reply.body)
        .map_err(|e| format!("{path}: {e}: {}", reply.text()))?;
    if reply.status == 200 && body["status"] == "success" {
        Ok(body)
    } else {
        Err(format!("{path}: {} {body}", reply.status))
    }
}

/// The series of an instant query at `addr`: each one's labels and value.
///
/// # Errors
///
/// As [`api`], or a value that is not a number.
pub async fn query(addr: SocketAddr, promql: &str) -> Result<Vec<(Value, f64)>, String> {
    let body = api(addr, &format!("/api/v1/query?query={}", encode(promql))).await?;
    body["data"]["result"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|series| {
            let value = series["value"][1]
                .as_str()
                .and_then(|v| v.parse::<f64>().ok())
                .ok_or_else(|| format!("{promql}: unexpected value {series}"))?;
            Ok((series["metric"].clone(), value))
        })
        .collect()
}

/// Waits until the scraper at `addr` (named `who` in messages) reports its one target up with an empty
/// `lastError`.
///
/// # Panics
///
/// When it is not within [`SCRAPE_DEADLINE`].
pub async fn target_up(addr: SocketAddr, who: &str) {
    wait_for(
        &format!("{who}: target up"),
        SCRAPE_DEADLINE,
        Duration::from_millis(250),
        async || {
            let body = api(addr, "/api/v1/targets").await?;
            let targets = body["data"]["activeTargets"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            match targets.as_slice() {
                [target] if target["health"] == "up" && target["lastError"] == "" => Ok(()),
                _ => Err(format!("{targets:?}")),
            }
        },
    )
    .await;
}

/// Percent-encodes a query parameter value.
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
