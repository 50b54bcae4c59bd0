//! One schema, everything derived: the artefacts an operator uses, written from the families a registry serves
//! and the objectives declared on them, so that none of them can drift from the code.
//!
//! | file | what | proved by |
//! |---|---|---|
//! | `catalog.md` | the reference: each family's name, type, unit, HELP, labels and their values or caps, most series, buckets, states, where it is declared, what records it, its objectives | the drift test |
//! | `rules.yml` | recording rules for the rates and error ratios the dashboards and alerts read; multi-window, multi-burn-rate alerts per objective, thresholds, absent alerts | `promtool check rules`, a real Prometheus |
//! | `rules.test.<step>.yml` | a `promtool test rules` case per alert that fires it at its time, and one that must not | `promtool test rules` |
//! | `dashboards/*.json` | a Grafana dashboard per namespace, or per [`CatalogBuilder::dashboard`] | `@grafana/schema`'s `Dashboard` type with TypeScript; every query against a real Prometheus |
//!
//! Objectives come from `metrics!` (`objectives = [..]`) or [`CatalogBuilder::objective`]; a threshold can judge a
//! gauge divided by another (`above(0.8, of = channel_capacity, for = 15m)`, [`metrics_core::Objective::of`]).
//!
//! Every PromQL expression is parsed by `promql-parser` before anything is written, and each name it reads must
//! be a sample the catalog serves or a series its rules record, used as its kind allows.
//!
//! # Writing the files
//!
//! From a user's binary, with [`cli::handle_args`] at the top of `main`:
//!
//! ```text
//! my-service --emit-catalog ops/metrics
//! ```
//!
//! or as a library call, [`Catalog::write_to`]. Commit the files and guard them with
//! [`testing::assert_catalog_matches`] in a test: it fails when the code would write something else, and
//! `METRICS_CATALOG=overwrite` re-blesses them (as `TRYBUILD=overwrite` does for trybuild).
//!
//! ```
//! use metrics_core::{Registry, metrics};
//!
//! metrics! {
//!     namespace = "shop";
//!     /// Checkouts, by outcome.
//!     pub counter checkouts_total {
//!         outcome: metrics_core::Outcome,
//!         objectives = [success_rate(99.9%, over = 30d)],
//!     }
//! }
//!
//! let registry = Registry::builder().register(&CHECKOUTS_TOTAL).build().unwrap();
//! let catalog = metrics_catalog::Catalog::builder("Shop", &registry).build().unwrap();
//! let files = catalog.files().unwrap();
//! assert!(files["rules.yml"].contains("alert: \"ShopCheckoutsSuccessRateBurnFast\""));
//! assert!(files.contains_key("dashboards/shop-shop.json"));
//! ```

mod duration;
mod grafana;
mod markdown;
mod model;
mod promql;
mod rules;
mod yaml;

pub mod cli;
pub mod testing;

use std::collections::BTreeMap;
use std::path::Path;

pub use model::{Catalog, CatalogBuilder, Error, Settings};

/// Whether `file` (a path [`Catalog::files`] returns) is a `promtool test rules` file: `rules.test.<step>.yml`,
/// one per input step, all beside `rules.yml`.
pub fn is_rules_test_file(file: &str) -> bool {
    file.strip_prefix("rules.test.")
        .and_then(|rest| rest.strip_suffix(".yml"))
        .is_some_and(|step| !step.is_empty())
}

impl Catalog {
    /// Every file, by path relative to the catalog's folder, after the drift check.
    ///
    /// # Errors
    ///
    /// A generated expression that does not parse, or names a sample the catalog does not have (a bug in a
    /// generator, reported rather than written).
    pub fn files(&self) -> Result<BTreeMap<String, String>, Error> {
        let rules = rules::rules(self);
        let names = promql::Names::new(self, &rules);
        let mut problems = Vec::new();
        for rule in &rules.recording {
            if let Err(e) = names.check(&format!("recording rule `{}`", rule.record), &rule.expr) {
                problems.push(e);
            }
        }
        for alert in &rules.alerts {
            if let Err(e) = names.check(&format!("alert `{}`", alert.name), &alert.expr) {
                problems.push(e);
            }
        }
        let mut files = BTreeMap::new();
        for (file, dashboard) in grafana::dashboards(self) {
            for query in dashboard_queries(&dashboard) {
                if let Err(e) = names.check(
                    &format!("dashboard `{file}`"),
                    &promql::from_grafana(&query),
                ) {
                    problems.push(e);
                }
            }
            let text =
                serde_json::to_string_pretty(&dashboard).map_err(|e| Error::new(e.to_string()))?;
            files.insert(format!("dashboards/{file}"), text + "\n");
        }
        if !problems.is_empty() {
            return Err(Error::new(problems.join("\n")));
        }
        files.insert("catalog.md".to_owned(), markdown::catalog_md(self));
        files.insert(yaml::RULES_FILE.to_owned(), yaml::rules_file(self, &rules));
        files.extend(yaml::tests_files(&rules));
        Ok(files)
    }

    /// Checks one PromQL expression of your own (a hand-written panel) against the catalog, as the generated
    /// ones are: it parses, and names only samples served or recorded, used as their kind allows. Grafana's
    /// `$job`, `$instance` and `$__rate_interval` are accepted.
    ///
    /// # Errors
    ///
    /// What is wrong with it.
    pub fn check_query(&self, promql: &str) -> Result<(), Error> {
        let rules = rules::rules(self);
        promql::Names::new(self, &rules)
            .check("query", &promql::from_grafana(promql))
            .map_err(Error::new)
    }

    /// Every PromQL expression the dashboards run (panel queries, and the selectors of the variables'
    /// `label_values`), with Grafana's variables replaced, for end-to-end tests that run them against a
    /// Prometheus; and every recorded series name.
    pub fn queries(&self) -> (Vec<String>, Vec<String>) {
        let rules = rules::rules(self);
        let dashboards = grafana::dashboards(self)
            .iter()
            .flat_map(|(_, d)| dashboard_queries(d))
            .map(|q| promql::from_grafana(&q))
            .collect();
        (
            dashboards,
            rules.recording.into_iter().map(|r| r.record).collect(),
        )
    }

    /// The names of the alerts the rules define.
    pub fn alert_names(&self) -> Vec<String> {
        rules::rules(self)
            .alerts
            .into_iter()
            .map(|a| a.name)
            .collect()
    }

    /// Writes [`files`](Self::files) under `dir`, creating it.
    ///
    /// # Errors
    ///
    /// As [`files`](Self::files), or an I/O error naming the path.
    pub fn write_to(&self, dir: &Path) -> Result<Vec<String>, Error> {
        let files = self.files()?;
        for (path, text) in &files {
            let full = dir.join(path);
            if let Some(parent) = full.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| Error::new(format!("{}: {e}", parent.display())))?;
            }
            std::fs::write(&full, text)
                .map_err(|e| Error::new(format!("{}: {e}", full.display())))?;
        }
        Ok(files.into_keys().collect())
    }
}

/// The `expr` of each target and the `query` of each variable.
fn dashboard_queries(dashboard: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    for panel in dashboard["panels"].as_array().into_iter().flatten() {
        for target in panel["targets"].as_array().into_iter().flatten() {
            if let Some(expr) = target["expr"].as_str() {
                out.push(expr.to_owned());
            }
        }
    }
    for variable in dashboard["templating"]["list"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if variable["type"] == "query"
            && let Some(query) = variable["query"].as_str()
        {
            out.push(query.to_owned());
        }
    }
    out
}
