//! Objectives: what an operator is alerted on, declared beside the family they judge.
//!
//! `metrics!` writes them from a family's `objectives = [..]` option (checked at compile time: a latency threshold
//! must be a bucket bound, a success label must have the good values, a state must be one of the states); the
//! `metrics-catalog` crate turns them into recording and alerting rules, their `promtool` tests and dashboard
//! thresholds. They can also be built at run time with the `const` constructors below, for families declared
//! elsewhere (the instrumentation presets' `job_runs_total`, filtered by `function`).

/// How urgent an alert is: the `severity` label of the alerting rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Someone is woken up (`severity="critical"`).
    Critical,
    /// A ticket for working hours (`severity="warning"`).
    Warning,
    /// Shown, never sent (`severity="info"`).
    Info,
}

impl Severity {
    /// The label value: `critical`, `warning` or `info`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Critical => "critical",
            Self::Warning => "warning",
            Self::Info => "info",
        }
    }
}

/// Which events of a success-rate objective are good.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Good {
    /// The family counts every event; those whose `label` is one of `values` are good (`outcome="success"`).
    Label {
        /// The outcome label.
        label: &'static str,
        /// Its good values.
        values: &'static [&'static str],
    },
    /// The family counts the failures; `total` is the sample name counting every event (a counter's `_total`
    /// or a histogram's `_count`).
    FailuresOf {
        /// The sample counting all events.
        total: &'static str,
    },
}

/// What an objective checks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule {
    /// At least `target` (0..1) of the events succeed over `window_secs`: multi-window, multi-burn-rate alerts.
    SuccessRate {
        /// The fraction of good events, such as `0.999`.
        target: f64,
        /// The objective's window in seconds (30 days is usual).
        window_secs: u64,
        /// Which events are good.
        good: Good,
    },
    /// At least `target` of a histogram's observations are at most `threshold`, one of its bucket bounds.
    Latency {
        /// The fraction of fast observations, such as `0.95`.
        target: f64,
        /// The bound, in the family's unit.
        threshold: f64,
        /// The objective's window in seconds.
        window_secs: u64,
    },
    /// A gauge above `value` for `for_secs`; with [`Objective::of`], the gauge divided by another (a channel's
    /// depth over its capacity above 0.8).
    Above {
        /// The threshold.
        value: f64,
        /// How long it must hold before the alert fires.
        for_secs: u64,
    },
    /// A gauge below `value` for `for_secs`; with [`Objective::of`], the gauge divided by another.
    Below {
        /// The threshold.
        value: f64,
        /// How long it must hold before the alert fires.
        for_secs: u64,
    },
    /// A counter increased by more than `value` within `for_secs` (worker restarts).
    Increase {
        /// The most increments allowed in the window.
        value: f64,
        /// The window, in seconds.
        for_secs: u64,
    },
    /// A state set in `state` for `for_secs` (a breaker `open` for a minute).
    State {
        /// The state's name.
        state: &'static str,
        /// How long it must hold before the alert fires.
        for_secs: u64,
    },
    /// The family is critical: an alert when none of its series exists for `for_secs`.
    Absent {
        /// How long it must be missing before the alert fires.
        for_secs: u64,
    },
}

/// One objective: its rule, the series it looks at, and what the alert says.
///
/// ```
/// use metrics_core::{Objective, Severity};
///
/// // A success-rate objective on the instrumentation preset's `job_runs_total`, for one function.
/// const DIGEST: Objective = Objective::success_rate("digest_success", 0.999, 30 * 86_400)
///     .matching(&[("function", "send_digest")])
///     .severity(Severity::Critical)
///     .runbook_url("https://runbooks.example/digest");
/// assert_eq!(DIGEST.matchers, &[("function", "send_digest")]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Objective {
    /// A `snake_case` name, unique within its family: the `objective` label of its rules and part of each alert's
    /// name.
    pub name: &'static str,
    /// What it checks.
    pub rule: Rule,
    /// Equality matchers selecting the series it judges (`function="send_digest"`); empty for all of them.
    pub matchers: &'static [(&'static str, &'static str)],
    /// The alert's `severity` (the slow burn of a success-rate or latency objective is one step lower).
    pub severity: Severity,
    /// The alert's summary; empty for one written from the family's help.
    pub summary: &'static str,
    /// The alert's description; empty for one written from the rule.
    pub description: &'static str,
    /// The alert's `runbook_url` annotation; empty for none.
    pub runbook_url: &'static str,
    /// For [`Rule::Above`] and [`Rule::Below`]: the gauge family (its name as declared, without a registry's
    /// prefix) this one is divided by before the threshold applies, matched on the labels they share; empty for
    /// a threshold on the family itself.
    pub of: &'static str,
}

impl Objective {
    /// An objective named `name` checking `rule`, severity [`Severity::Critical`], no matchers, texts written
    /// for it.
    pub const fn new(name: &'static str, rule: Rule) -> Self {
        Self {
            name,
            rule,
            matchers: &[],
            severity: Severity::Critical,
            summary: "",
            description: "",
            runbook_url: "",
            of: "",
        }
    }

    /// A gauge above `value` for `for_secs` seconds.
    pub const fn above(name: &'static str, value: f64, for_secs: u64) -> Self {
        Self::new(name, Rule::Above { value, for_secs })
    }

    /// A gauge below `value` for `for_secs` seconds.
    pub const fn below(name: &'static str, value: f64, for_secs: u64) -> Self {
        Self::new(name, Rule::Below { value, for_secs })
    }

    /// A success-rate objective counting `outcome="success"` as good.
    pub const fn success_rate(name: &'static str, target: f64, window_secs: u64) -> Self {
        Self::new(
            name,
            Rule::SuccessRate {
                target,
                window_secs,
                good: Good::Label {
                    label: "outcome",
                    values: &["success"],
                },
            },
        )
    }

    /// A latency objective: `target` of the observations at most `threshold` (a bucket bound).
    pub const fn latency(
        name: &'static str,
        target: f64,
        threshold: f64,
        window_secs: u64,
    ) -> Self {
        Self::new(
            name,
            Rule::Latency {
                target,
                threshold,
                window_secs,
            },
        )
    }

    /// The same objective with a success-rate rule's good events replaced.
    #[must_use]
    pub const fn good(mut self, good: Good) -> Self {
        if let Rule::SuccessRate {
            good: ref mut g, ..
        } = self.rule
        {
            *g = good;
        }
        self
    }

    /// The same objective, judging only the series with these label values.
    #[must_use]
    pub const fn matching(mut self, matchers: &'static [(&'static str, &'static str)]) -> Self {
        self.matchers = matchers;
        self
    }

    /// The same objective with this severity.
    #[must_use]
    pub const fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// The same objective with this summary annotation.
    #[must_use]
    pub const fn summary(mut self, summary: &'static str) -> Self {
        self.summary = summary;
        self
    }

    /// The same objective with this description annotation.
    #[must_use]
    pub const fn description(mut self, description: &'static str) -> Self {
        self.description = description;
        self
    }

    /// The same threshold, judging this gauge divided by the gauge family `family` (as declared, without a
    /// registry's prefix), series matched on the labels they share: the other family's labels must all be this
    /// one's. A channel above 80 % full for 15 minutes:
    ///
    /// ```
    /// use metrics_core::Objective;
    ///
    /// const FULL: Objective = Objective::above("channel_saturation", 0.8, 15 * 60).of("channel_capacity");
    /// assert_eq!(FULL.of, "channel_capacity");
    /// ```
    #[must_use]
    pub const fn of(mut self, family: &'static str) -> Self {
        self.of = family;
        self
    }

    /// The same objective with this runbook URL.
    #[must_use]
    pub const fn runbook_url(mut self, url: &'static str) -> Self {
        self.runbook_url = url;
        self
    }
}
