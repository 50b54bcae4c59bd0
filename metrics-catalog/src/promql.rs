//! The drift check: every PromQL expression of the rules and dashboards, parsed by a real PromQL parser
//! (`promql-parser`), must name only samples the catalog serves or records, with labels they have, and use them
//! as their kind allows: `rate`/`increase` only on counters (a counter's `_total`, a histogram's `_bucket`,
//! `_count` and `_sum`), `histogram_quantile` only over buckets.

use std::collections::BTreeMap;

use metrics_core::MetricKind;
use promql_parser::label::MatchOp;
use promql_parser::parser::{self, Expr, LabelModifier};

use crate::model::Catalog;
use crate::rules::Rules;

/// How a sample may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    /// A counter: `rate` and `increase` apply.
    Counter,
    /// A histogram's cumulative buckets: a counter, and what `histogram_quantile` reads.
    Bucket,
    /// A value read as it is (gauge, state set, info).
    Plain,
    /// A recorded rate of buckets: what `histogram_quantile` reads, never `rate`d again.
    RecordedBucket,
    /// Any other recorded series.
    Recorded,
}

/// What one name is, and the labels its series carry.
#[derive(Debug, Clone)]
struct Known {
    use_: Use,
    family: String,
    labels: Vec<String>,
}

/// The samples a catalog's expressions may name.
#[derive(Debug)]
pub(crate) struct Names {
    known: BTreeMap<String, Known>,
}

impl Names {
    pub(crate) fn new(catalog: &Catalog, rules: &Rules) -> Self {
        let mut known = BTreeMap::new();
        for entry in &catalog.families {
            let mut labels: Vec<String> = entry
                .label_names()
                .iter()
                .map(|l| (*l).to_owned())
                .collect();
            if entry.kind() == MetricKind::StateSet {
                labels.push(entry.descriptor.name.to_owned());
            }
            let mut add = |name: String, use_: Use, extra: &[&str]| {
                let mut labels = labels.clone();
                labels.extend(extra.iter().map(|l| (*l).to_owned()));
                known.insert(
                    name,
                    Known {
                        use_,
                        family: entry.name.clone(),
                        labels,
                    },
                );
            };
            match entry.kind() {
                MetricKind::Counter => add(entry.name.clone(), Use::Counter, &[]),
                MetricKind::Histogram => {
                    add(format!("{}_bucket", entry.name), Use::Bucket, &["le"]);
                    add(format!("{}_count", entry.name), Use::Counter, &[]);
                    add(format!("{}_sum", entry.name), Use::Counter, &[]);
                }
                MetricKind::Gauge | MetricKind::StateSet | MetricKind::Info => {
                    add(entry.name.clone(), Use::Plain, &[]);
                }
            }
        }
        for rule in &rules.recording {
            // A recorded series keeps the labels of what it reads, plus its rule's own.
            let mut labels = Vec::new();
            if let Ok(expr) = parser::parse(&rule.expr) {
                selectors(&expr, &mut |name, _| {
                    if let Some(k) = known.get(name) {
                        labels.extend(k.labels.iter().cloned());
                    }
                });
            }
            labels.extend(rule.labels.iter().map(|(k, _)| k.clone()));
            let use_ = if rule.record.contains("_bucket:") {
                Use::RecordedBucket
            } else {
                Use::Recorded
            };
            known.insert(
                rule.record.clone(),
                Known {
                    use_,
                    family: rule.record.clone(),
                    labels,
                },
            );
        }
        Self { known }
    }

    /// Checks one expression; `what` says where it comes from, for the message.
    pub(crate) fn check(&self, what: &str, promql: &str) -> Result<(), String> {
        let expr =
            parser::parse(promql).map_err(|e| format!("{what}: `{promql}` does not parse: {e}"))?;
        let mut problems = Vec::new();
        self.walk(&expr, Context::VALUE, &mut problems);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(format!("{what}: `{promql}`: {}", problems.join("; ")))
        }
    }

    fn walk(&self, expr: &Expr, context: Context, problems: &mut Vec<String>) {
        match expr {
            Expr::Aggregate(agg) => {
                if let Some(LabelModifier::Include(labels) | LabelModifier::Exclude(labels)) =
                    &agg.modifier
                {
                    let mut available = vec!["job".to_owned(), "instance".to_owned()];
                    selectors(&agg.expr, &mut |name, _| {
                        if let Some(k) = self.known.get(name) {
                            available.extend(k.labels.iter().cloned());
                        }
                    });
                    for label in &labels.labels {
                        if !available.contains(label) {
                            problems.push(format!(
                                "groups by `{label}`, a label none of its series has"
                            ));
                        }
                    }
                }
                if let Some(param) = &agg.param {
                    self.walk(param, Context::VALUE, problems);
                }
                self.walk(&agg.expr, context, problems);
            }
            Expr::Unary(u) => self.walk(&u.expr, context, problems),
            Expr::Binary(b) => {
                self.walk(&b.lhs, context, problems);
                self.walk(&b.rhs, context, problems);
            }
            Expr::Paren(p) => self.walk(&p.expr, context, problems),
            Expr::Subquery(s) => self.walk(&s.expr, Context::VALUE, problems),
            Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::Extension(_) => {}
            Expr::VectorSelector(vs) => {
                self.selector(vs.name.as_deref(), &vs.matchers, context, false, problems);
            }
            Expr::MatrixSelector(ms) => {
                self.selector(
                    ms.vs.name.as_deref(),
                    &ms.vs.matchers,
                    context,
                    true,
                    problems,
                );
            }
            Expr::Call(call) => {
                let name = call.func.name;
                for (i, arg) in call.args.args.iter().enumerate() {
                    let context = match (name, i) {
                        ("rate" | "irate" | "increase", _) => Context {
                            rate: true,
                            ..context
                        },
                        ("histogram_quantile", 1) => Context {
                            quantile: true,
                            ..context
                        },
                        ("histogram_quantile", _) => Context::VALUE,
                        _ => context,
                    };
                    self.walk(arg, context, problems);
                }
            }
        }
    }

    fn selector(
        &self,
        name: Option<&str>,
        matchers: &promql_parser::label::Matchers,
        context: Context,
        _range: bool,
        problems: &mut Vec<String>,
    ) {
        let name = name.map(str::to_owned).or_else(|| {
            matchers
                .matchers
                .iter()
                .find(|m| m.name == "__name__" && m.op == MatchOp::Equal)
                .map(|m| m.value.clone())
        });
        let Some(name) = name else {
            problems.push("a selector without a metric name".to_owned());
            return;
        };
        let Some(known) = self.known.get(&name) else {
            problems.push(format!(
                "`{name}` is neither a served sample nor a recorded series"
            ));
            return;
        };
        for m in &matchers.matchers {
            if m.name != "__name__"
                && m.name != "job"
                && m.name != "instance"
                && !known.labels.contains(&m.name)
            {
                problems.push(format!("`{name}` has no label `{}`", m.name));
            }
        }
        if context.rate && !matches!(known.use_, Use::Counter | Use::Bucket) {
            problems.push(format!(
                "`rate`/`increase` of `{name}`, which is not a counter (family `{}`)",
                known.family
            ));
        }
        if context.quantile && !matches!(known.use_, Use::Bucket | Use::RecordedBucket) {
            problems.push(format!(
                "`histogram_quantile` over `{name}`, which is not a histogram's buckets"
            ));
        }
        if !context.rate && known.use_ == Use::Bucket {
            // Cumulative bucket counters mean something only as rates; a heatmap reads recorded bucket rates.
            problems.push(format!("`{name}` read outside `rate`"));
        }
    }
}

/// What the enclosing functions do with a selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Context {
    /// Under `rate`, `irate` or `increase`.
    rate: bool,
    /// Under `histogram_quantile`'s second argument.
    quantile: bool,
}

impl Context {
    const VALUE: Self = Self {
        rate: false,
        quantile: false,
    };
}

/// Calls `f` with the name (or `__name__`) of every selector in `expr`.
fn selectors(expr: &Expr, f: &mut dyn FnMut(&str, bool)) {
    match expr {
        Expr::Aggregate(agg) => {
            selectors(&agg.expr, f);
            if let Some(p) = &agg.param {
                selectors(p, f);
            }
        }
        Expr::Unary(u) => selectors(&u.expr, f),
        Expr::Binary(b) => {
            selectors(&b.lhs, f);
            selectors(&b.rhs, f);
        }
        Expr::Paren(p) => selectors(&p.expr, f),
        Expr::Subquery(s) => selectors(&s.expr, f),
        Expr::VectorSelector(vs) => {
            if let Some(name) = &vs.name {
                f(name, false);
            }
        }
        Expr::MatrixSelector(ms) => {
            if let Some(name) = &ms.vs.name {
                f(name, true);
            }
        }
        Expr::Call(call) => {
            for arg in &call.args.args {
                selectors(arg, f);
            }
        }
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::Extension(_) => {}
    }
}

/// A dashboard query as PromQL: Grafana's variables replaced by values of their type, `label_values(sel, label)`
/// reduced to its selector.
pub(crate) fn from_grafana(query: &str) -> String {
    let mut q = query
        .replace("$__rate_interval", "5m")
        .replace("$__interval", "1m")
        .replace("$__range", "1h")
        .replace("$job", ".*")
        .replace("$instance", ".*");
    if let Some(inner) = q
        .strip_prefix("label_values(")
        .and_then(|s| s.strip_suffix(')'))
    {
        q = inner
            .rsplit_once(',')
            .map_or(inner, |(selector, _)| selector)
            .trim()
            .to_owned();
    }
    q
}
