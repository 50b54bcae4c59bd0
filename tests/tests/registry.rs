//! Registration: families from every linked crate reach `Registry::global`, enum series exist before use, the
//! explicit `RegistryBuilder::register` path works and dedups, and clashing names are refused with both source
//! locations.

use fixture_families::{FixtureStage, QUEUE_DEPTH, STAGE_RUNS_TOTAL};
use metrics_core::{
    BoundedStr, Descriptor, Family, Format, LabelDescriptor, LabelValue, LabelValues, MetricKind,
    Number, Outcome, Problem, Registry, RegistryError, Sample, Series, SeriesSink, SourceLocation,
    metrics, source_location,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
enum RegistryShard {
    Primary,
    Replica,
}

/// The first line of the `metrics!` block below, so a test can check a macro family's location falls inside it.
const BLOCK_START: u32 = line!();
metrics! {
    namespace = "registry";

    /// Writes per shard.
    counter writes_total { shard: RegistryShard }

    /// Time spent waiting for a shard.
    histogram wait_seconds { shard: RegistryShard, buckets = [0.1, 1.0] }

    /// Connections open now.
    gauge connections;
}
/// The last line of the `metrics!` block above.
const BLOCK_END: u32 = line!();

/// A family written by hand: a gauge read at scrape time, with a name chosen by each test's descriptor.
struct HandMade(&'static Descriptor);

impl Family for HandMade {
    fn descriptor(&self) -> &'static Descriptor {
        self.0
    }

    fn collect(&self, sink: &mut dyn SeriesSink) {
        sink.series(&Series::new(&[]), &Sample::Gauge(Number::I64(7)));
    }
}

/// A hand-made family of `kind` named `name`, declared where the macro is called. Only gauges are ever encoded:
/// the clash tests stop at `build`.
macro_rules! hand_made {
    ($kind:ident, $name:literal) => {
        HandMade(&Descriptor::new(
            $name,
            "A family written by hand.",
            MetricKind::$kind,
            source_location!(),
        ))
    };
}

fn global() -> &'static Registry {
    Registry::global().unwrap_or_else(|error| panic!("the global registry is invalid: {error}"))
}

fn global_names() -> Vec<&'static str> {
    global()
        .families()
        .iter()
        .map(|family| family.descriptor().name)
        .collect()
}

#[test]
fn global_registry_holds_families_of_the_fixture_crate_and_of_this_file() {
    let names = global_names();
    for expected in [
        "fixture_stage_runs_total",
        "fixture_queue_depth",
        "registry_writes_total",
        "registry_wait_seconds",
    ] {
        assert!(
            names.contains(&expected),
            "`{expected}` is missing from the global registry: {names:?}"
        );
    }
    // The statics the tests name are the very objects the registry holds, not copies.
    let fixture = global()
        .families()
        .into_iter()
        .find(|f| f.descriptor().name == "fixture_queue_depth");
    let fixture = fixture.expect("the fixture gauge is registered");
    assert!(std::ptr::addr_eq(
        fixture.descriptor(),
        QUEUE_DEPTH.descriptor()
    ));
}

#[test]
fn global_registry_orders_families_by_name() {
    let names = global_names();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
}

#[test]
fn every_enum_series_exists_at_zero_before_first_use() {
    let text = global().encode_to_string(Format::Text004).expect("encode");
    let mut seen = 0;
    for stage in FixtureStage::ALL {
        for outcome in Outcome::ALL {
            let line = format!(
                "fixture_stage_runs_total{{stage=\"{}\",outcome=\"{}\"}} 0\n",
                stage.as_str(),
                outcome.as_str()
            );
            assert!(text.contains(&line), "missing {line:?} in:\n{text}");
            assert_eq!(STAGE_RUNS_TOTAL.labels(*stage, *outcome).get(), 0);
            seen += 1;
        }
    }
    assert_eq!(seen, 6, "3 stages x 2 outcomes");
    assert_eq!(
        text.matches("fixture_stage_runs_total{").count(),
        seen,
        "no other series of the family"
    );
    assert!(text.contains("\nfixture_queue_depth 0\n"));
}

#[test]
fn explicit_registration_serves_exactly_the_registered_families() {
    CONNECTIONS.set(3);
    let registry = Registry::builder()
        .register(&CONNECTIONS)
        .register(&QUEUE_DEPTH)
        .build()
        .expect("build");
    let names: Vec<_> = registry
        .families()
        .iter()
        .map(|f| f.descriptor().name)
        .collect();
    assert_eq!(names, ["fixture_queue_depth", "registry_connections"]);
    let text = registry.encode_to_string(Format::Text004).expect("encode");
    assert_eq!(
        text,
        "# HELP fixture_queue_depth Items waiting in the fixture queue.\n\
         # TYPE fixture_queue_depth gauge\n\
         fixture_queue_depth 0\n\
         # HELP registry_connections Connections open now.\n\
         # TYPE registry_connections gauge\n\
         registry_connections 3\n"
    );
}

#[test]
fn explicit_registration_accepts_a_hand_made_family() {
    static QUEUE_LAG: HandMade = hand_made!(Gauge, "registry_hand_made_lag");
    let registry = Registry::builder()
        .register(&QUEUE_LAG)
        .build()
        .expect("build");
    let text = registry
        .encode_to_string(Format::OpenMetrics)
        .expect("encode");
    assert_eq!(
        text,
        "# TYPE registry_hand_made_lag gauge\n\
         # HELP registry_hand_made_lag A family written by hand.\n\
         registry_hand_made_lag 7\n\
         # EOF\n"
    );
}

#[test]
fn registering_the_same_family_twice_keeps_one() {
    let registry = Registry::builder()
        .register(&WRITES_TOTAL)
        .register(&STAGE_RUNS_TOTAL)
        .register(&WRITES_TOTAL)
        .linked()
        .build()
        .expect("duplicates of one family are not a clash");
    let names: Vec<_> = registry
        .families()
        .iter()
        .map(|f| f.descriptor().name)
        .collect();
    assert_eq!(
        names
            .iter()
            .filter(|n| **n == "registry_writes_total")
            .count(),
        1
    );
    assert_eq!(
        names
            .iter()
            .filter(|n| **n == "fixture_stage_runs_total")
            .count(),
        1
    );
    assert_eq!(
        names,
        global_names(),
        "the linked set already held both; registering them again adds nothing"
    );
    let text = registry.encode_to_string(Format::Text004).expect("encode");
    assert_eq!(
        text.matches("# TYPE registry_writes_total counter\n")
            .count(),
        1
    );
}

/// The source text at a macro family's location: it must be the family's own declaration, not the `metrics!`
/// invocation (every family of a block shares that one).
fn declared_at(location: SourceLocation) -> &'static str {
    assert!(location.file.ends_with("tests/registry.rs"), "{location}");
    assert!(
        (BLOCK_START..=BLOCK_END).contains(&location.line),
        "{location} is not inside the `metrics!` block (lines {BLOCK_START}..={BLOCK_END})"
    );
    let line = include_str!("registry.rs")
        .lines()
        .nth(location.line as usize - 1)
        .expect("the line exists");
    &line[location.column as usize - 1..]
}

#[test]
fn macro_families_are_located_at_their_own_declaration() {
    assert_eq!(
        declared_at(WRITES_TOTAL.descriptor().location),
        "writes_total { shard: RegistryShard }"
    );
    assert_eq!(
        declared_at(CONNECTIONS.descriptor().location),
        "connections;"
    );
    assert_eq!(
        WRITES_TOTAL.descriptor().location.module_path,
        module_path!()
    );
}

/// The clash problem the registry reported, or a panic saying what it built instead.
fn single_clash(result: Result<Registry, RegistryError>) -> (RegistryError, Problem) {
    let error = match result {
        Ok(registry) => panic!("clashing families were accepted: {registry:?}"),
        Err(error) => error,
    };
    let [problem] = error.problems() else {
        panic!("expected one problem, got: {error}")
    };
    assert!(matches!(problem, Problem::Clash { .. }), "{problem:?}");
    let problem = problem.clone();
    (error, problem)
}

#[test]
fn two_families_with_one_name_are_refused_naming_both_locations() {
    static FIRST: HandMade = hand_made!(Gauge, "registry_duplicate");
    static SECOND: HandMade = hand_made!(Gauge, "registry_duplicate");
    let (error, problem) = single_clash(
        Registry::builder()
            .register(&FIRST)
            .register(&SECOND)
            .build(),
    );
    let message = error.to_string();
    let (first, second) = (FIRST.descriptor().location, SECOND.descriptor().location);
    assert_ne!(
        first.line, second.line,
        "the two declarations are on different lines"
    );
    for location in [first, second] {
        assert!(location.file.ends_with("registry.rs"), "{location}");
        let text = format!("{}:{}:{}", location.file, location.line, location.column);
        assert!(
            message.contains(&text),
            "the message does not name {text}: {message}"
        );
    }
    let Problem::Clash { sample, .. } = problem else {
        unreachable!()
    };
    assert_eq!(sample, "registry_duplicate");
}

#[test]
fn a_histogram_and_a_gauge_named_like_its_count_sample_clash() {
    // `registry_wait_seconds` is a histogram: it writes `registry_wait_seconds_count`.
    static COUNT_GAUGE: HandMade = hand_made!(Gauge, "registry_wait_seconds_count");
    let (error, problem) = single_clash(
        Registry::builder()
            .register(&WAIT_SECONDS)
            .register(&COUNT_GAUGE)
            .build(),
    );
    let message = error.to_string();
    let Problem::Clash {
        sample,
        first,
        second,
    } = problem
    else {
        unreachable!()
    };
    assert_eq!(sample, "registry_wait_seconds_count");
    let mut families = [first.0, second.0];
    families.sort_unstable();
    assert_eq!(
        families,
        ["registry_wait_seconds", "registry_wait_seconds_count"]
    );

    let histogram = WAIT_SECONDS.descriptor().location;
    assert_eq!(
        declared_at(histogram),
        "wait_seconds { shard: RegistryShard, buckets = [0.1, 1.0] }"
    );
    for location in [histogram, COUNT_GAUGE.descriptor().location] {
        assert!(
            message.contains(&location.to_string()),
            "the message does not name {location}: {message}"
        );
    }
}

#[test]
fn a_counter_and_a_gauge_with_its_family_name_clash() {
    // OpenMetrics writes the counter family `registry_writes` as `# TYPE registry_writes counter`.
    static FAMILY_GAUGE: HandMade = hand_made!(Gauge, "registry_writes");
    let (_, problem) = single_clash(
        Registry::builder()
            .register(&WRITES_TOTAL)
            .register(&FAMILY_GAUGE)
            .build(),
    );
    let Problem::Clash { sample, .. } = problem else {
        unreachable!()
    };
    assert_eq!(sample, "registry_writes");
}

#[test]
fn a_counter_named_like_another_counters_created_sample_clashes() {
    // OpenMetrics reserves `registry_jobs_created` for the optional created timestamp of counter family
    // `registry_jobs`; python's strict parser refuses a family of that name beside it ("Clashing name").
    static JOBS: HandMade = hand_made!(Counter, "registry_jobs_total");
    static JOBS_CREATED: HandMade = hand_made!(Counter, "registry_jobs_created_total");
    let (_, problem) = single_clash(
        Registry::builder()
            .register(&JOBS)
            .register(&JOBS_CREATED)
            .build(),
    );
    let Problem::Clash { sample, .. } = problem else {
        unreachable!()
    };
    assert_eq!(sample, "registry_jobs_created");
}

#[test]
fn a_hand_built_family_labelled_job_or_instance_is_refused() {
    // Prometheus attaches `job` and `instance` to every scraped series and renames a series' own
    // `exported_job`: `metrics!` refuses the names at compile time, the registry for families built by hand.
    static LABELS: [LabelDescriptor; 2] = [
        LabelDescriptor::new("job", LabelValues::Enum(&["a"])),
        LabelDescriptor::new("instance", LabelValues::Enum(&["b"])),
    ];
    static TARGETED: HandMade = HandMade(
        &Descriptor::new(
            "registry_targeted",
            "A family written by hand.",
            MetricKind::Gauge,
            source_location!(),
        )
        .with_labels(&LABELS),
    );
    let error = Registry::builder()
        .register(&TARGETED)
        .build()
        .expect_err("`job` and `instance` are refused");
    let names: Vec<_> = error
        .problems()
        .iter()
        .map(|problem| match problem {
            Problem::InvalidName { name, reason, .. } => (name.as_str(), *reason),
            Problem::Clash { .. } | Problem::Policy { .. } => unreachable!("{problem}"),
        })
        .collect();
    assert_eq!(names.len(), 2, "{error}");
    assert_eq!(names[0].0, "job");
    assert!(names[0].1.contains("exported_job"), "{error}");
    assert_eq!(names[1].0, "instance");
    assert!(names[1].1.contains("exported_instance"), "{error}");
}

#[test]
fn families_that_do_not_clash_build() {
    // The control for the clash tests: the same families beside a hand-made one with a name of its own.
    static OTHER: HandMade = hand_made!(Gauge, "registry_hand_made_other");
    let registry = Registry::builder()
        .register(&WAIT_SECONDS)
        .register(&WRITES_TOTAL)
        .register(&OTHER)
        .build()
        .expect("distinct names build");
    assert_eq!(registry.families().len(), 3);
}

metrics! {
    namespace = "policy";

    /// Jobs by shard.
    counter jobs_total { shard: RegistryShard }
    /// Depth, without labels.
    gauge depth;
    /// Waits, a histogram without labels.
    histogram queue_wait_seconds { buckets = [1.0] }
    /// A family with its own `service` label.
    gauge owned { service: RegistryShard }
}

#[test]
fn a_prefix_and_const_labels_are_written_on_every_series_at_encode_time() {
    let registry = Registry::builder()
        .register(&JOBS_TOTAL)
        .register(&DEPTH)
        .register(&QUEUE_WAIT_SECONDS)
        .prefix("app_")
        .const_label("service", "api")
        .const_label("region", "eu \"west\"")
        .build()
        .expect("valid");
    JOBS_TOTAL.labels(RegistryShard::Primary).inc();
    DEPTH.set(4);
    QUEUE_WAIT_SECONDS.observe(0.5);
    let text = registry.encode_to_string(Format::Text004).expect("encodes");
    let consts = r#"service="api",region="eu \"west\"""#;
    for line in [
        "# TYPE app_policy_jobs_total counter\n".to_owned(),
        format!("app_policy_jobs_total{{{consts},shard=\"primary\"}} 1\n"),
        format!("app_policy_jobs_total{{{consts},shard=\"replica\"}} 0\n"),
        format!("app_policy_depth{{{consts}}} 4\n"),
        format!("app_policy_queue_wait_seconds_bucket{{{consts},le=\"1.0\"}} 1\n"),
        format!("app_policy_queue_wait_seconds_bucket{{{consts},le=\"+Inf\"}} 1\n"),
        format!("app_policy_queue_wait_seconds_sum{{{consts}}} 0.5\n"),
        format!("app_policy_queue_wait_seconds_count{{{consts}}} 1\n"),
    ] {
        assert!(text.contains(&line), "missing {line:?} in:\n{text}");
    }
    let open = registry
        .encode_to_string(Format::OpenMetrics)
        .expect("encodes");
    assert!(open.contains("# TYPE app_policy_jobs counter\n"), "{open}");
    assert!(
        open.contains(&format!(
            "app_policy_jobs_total{{{consts},shard=\"primary\"}} 1\n"
        )),
        "{open}"
    );
    assert_eq!(registry.name_prefix(), "app_");
    assert_eq!(registry.const_labels().count(), 2);
    metrics_core::testing::compare_exposition(
        &registry,
        &["policy_depth"],
        &format!("# HELP app_policy_depth Depth, without labels.\n# TYPE app_policy_depth gauge\napp_policy_depth{{{consts}}} 4"),
    )
    .unwrap_or_else(|mismatch| panic!("{mismatch}"));
}

#[test]
fn const_labels_that_cannot_be_applied_are_refused() {
    let error = Registry::builder()
        .register(&OWNED)
        .prefix("9bad")
        .const_label("service", "api")
        .const_label("job", "x")
        .const_label("le", "1")
        .const_label("region", "")
        .build()
        .expect_err("every setting is wrong");
    let settings: Vec<_> = error
        .problems()
        .iter()
        .filter_map(|problem| match problem {
            Problem::Policy { setting, reason } => Some(format!("{setting}: {reason}")),
            _ => None,
        })
        .collect();
    assert_eq!(settings.len(), 5, "{error}");
    for expected in [
        "prefix(\"9bad\")",
        "const_label(\"service\", \"api\"): family `policy_owned`",
        "exported_job",
        "const_label(\"le\", \"1\"): `le` is written by the exposition itself",
        "const_label(\"region\", \"\"): label values must not be empty",
    ] {
        assert!(
            settings.iter().any(|s| s.contains(expected)),
            "{expected:?} not in {settings:#?}"
        );
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
enum PolicyTenant {
    Acme,
    Globex,
}

metrics! {
    namespace = "optional";

    /// Jobs by tenant (optional) and shard.
    counter tenant_jobs_total { tenant: PolicyTenant, shard: RegistryShard, optional = tenant }
    /// Waits by tenant (optional).
    histogram tenant_wait_seconds { tenant: PolicyTenant, buckets = [1.0, 2.0], optional = tenant }
    /// Jobs running, by tenant (optional).
    gauge tenant_running { tenant: PolicyTenant, optional = [tenant] }
}

#[test]
fn an_optional_label_switched_off_is_summed_away_with_totals_unchanged() {
    use metrics_core::testing::Snapshot;

    let families: [&'static dyn Family; 3] =
        [&TENANT_JOBS_TOTAL, &TENANT_WAIT_SECONDS, &TENANT_RUNNING];
    let on = families
        .iter()
        .fold(Registry::builder(), |builder, family| {
            builder.register(*family)
        })
        .build()
        .expect("valid");
    let off = families
        .iter()
        .fold(Registry::builder(), |builder, family| {
            builder.register(*family)
        })
        .optional_label("tenant", false)
        .build()
        .expect("valid");
    TENANT_JOBS_TOTAL
        .labels(PolicyTenant::Acme, RegistryShard::Primary)
        .inc_by(2);
    TENANT_JOBS_TOTAL
        .labels(PolicyTenant::Globex, RegistryShard::Primary)
        .inc_by(3);
    TENANT_WAIT_SECONDS.labels(PolicyTenant::Acme).observe(0.5);
    TENANT_WAIT_SECONDS
        .labels(PolicyTenant::Globex)
        .observe(1.5);
    TENANT_RUNNING.labels(PolicyTenant::Acme).set(4);
    TENANT_RUNNING.labels(PolicyTenant::Globex).set(1);

    let text = off.encode_to_string(Format::Text004).expect("encodes");
    for line in [
        "optional_tenant_jobs_total{shard=\"primary\"} 5\n",
        "optional_tenant_jobs_total{shard=\"replica\"} 0\n",
        "optional_tenant_wait_seconds_bucket{le=\"1.0\"} 1\n",
        "optional_tenant_wait_seconds_bucket{le=\"2.0\"} 2\n",
        "optional_tenant_wait_seconds_count 2\n",
        "optional_tenant_wait_seconds_sum 2.0\n",
        "optional_tenant_running 5\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in:\n{text}");
    }
    assert!(!text.contains("tenant="), "{text}");
    let declared = on.encode_to_string(Format::Text004).expect("encodes");
    assert!(
        declared.contains("optional_tenant_jobs_total{tenant=\"globex\",shard=\"primary\"} 3\n"),
        "{declared}"
    );
    // The totals, summed over every series, are the same with the label on or off.
    let total = |registry: &Registry| {
        let snapshot = Snapshot::of(registry);
        [PolicyTenant::Acme, PolicyTenant::Globex]
            .iter()
            .map(|tenant| {
                snapshot
                    .value(
                        "optional_tenant_jobs_total",
                        &[("tenant", tenant.as_str()), ("shard", "primary")],
                    )
                    .unwrap_or(0.0)
            })
            .sum::<f64>()
    };
    assert_eq!(total(&on), 5.0);
    assert_eq!(
        Snapshot::of(&off).value("optional_tenant_jobs_total", &[("shard", "primary")]),
        Some(5.0)
    );
}

#[test]
fn switching_a_label_no_family_declares_optional_is_refused() {
    let error = Registry::builder()
        .register(&WRITES_TOTAL)
        .optional_label("shard", false)
        .build()
        .expect_err("`shard` is not optional in `registry_writes_total`");
    assert!(
        error
            .to_string()
            .contains("no registered family declares `shard` optional"),
        "{error}"
    );
}

metrics! {
    namespace = "registry";

    /// Jobs per worker and outcome; workers come and go.
    counter worker_jobs_total { worker: BoundedStr<2>, outcome: Outcome, removable = true }

    /// Heartbeats per worker; a worker silent for a second is dropped.
    counter worker_heartbeats_total { worker: BoundedStr<4>, expire_after = 1s }
}

/// Both formats' exposition of one family (and the built-ins it brings).
fn both_formats(family: &'static dyn Family) -> [String; 2] {
    let registry = Registry::builder().register(family).build().expect("build");
    [Format::Text004, Format::OpenMetrics]
        .map(|format| registry.encode_to_string(format).expect("encode"))
}

#[test]
fn a_removed_bounded_value_leaves_both_formats_and_frees_its_place() {
    let family = &WORKER_JOBS_TOTAL;
    family.record("w1", Outcome::Success, |series| series.inc_by(3));
    family.record("w2", Outcome::Failure, metrics_core::Counter::inc);
    for text in both_formats(family) {
        assert!(
            text.contains("registry_worker_jobs_total{worker=\"w1\",outcome=\"success\"} 3"),
            "{text}"
        );
    }

    assert!(family.remove("w1"));
    assert!(!family.remove("w1"), "removed once");
    assert!(
        family
            .read("w1", Outcome::Success, metrics_core::Counter::get)
            .is_none(),
        "find does not resurrect it"
    );
    for text in both_formats(family) {
        assert!(!text.contains("worker=\"w1\""), "{text}");
        assert!(
            text.contains("registry_worker_jobs_total{worker=\"w2\",outcome=\"failure\"} 1"),
            "{text}"
        );
    }

    // The cap is 2: w2 and the new w3 fit, so w3 is not sent to the overflow series.
    family.record("w3", Outcome::Success, metrics_core::Counter::inc);
    // A third live value does go there, and is counted.
    family.record("w1", Outcome::Success, metrics_core::Counter::inc);
    for text in both_formats(family) {
        assert!(
            text.contains("registry_worker_jobs_total{worker=\"w3\",outcome=\"success\"} 1"),
            "{text}"
        );
        assert!(
            text.contains(
                "registry_worker_jobs_total{worker=\"__overflow__\",outcome=\"success\"} 1"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "metrics_label_overflow_total{family=\"registry_worker_jobs_total\",label=\"worker\"} 1"
            ),
            "{text}"
        );
        assert!(!text.contains("worker=\"w1\""), "{text}");
    }

    // Once w2 is gone, w1 comes back as a new series, from zero (a counter reset to `rate()`).
    assert!(family.remove("w2"));
    family.record("w1", Outcome::Success, metrics_core::Counter::inc);
    let [text, openmetrics] = both_formats(family);
    assert!(
        text.contains("registry_worker_jobs_total{worker=\"w1\",outcome=\"success\"} 1\n"),
        "{text}"
    );
    assert!(!text.contains("worker=\"w2\""), "{text}");
    assert!(
        openmetrics.contains("registry_worker_jobs_total{worker=\"w1\",outcome=\"success\"} 1\n")
    );
}

#[test]
fn an_idle_value_expires_at_the_scrape_after_its_period() {
    let family = &WORKER_HEARTBEATS_TOTAL;
    assert_eq!(
        family.descriptor().expire_after,
        Some(std::time::Duration::from_secs(1)),
        "the descriptor says so, for the schema"
    );
    family.record("busy", metrics_core::Counter::inc);
    family.record("idle", metrics_core::Counter::inc);
    // The first scrape sees both recorded.
    let [text, _] = both_formats(family);
    assert!(
        text.contains("worker=\"idle\"") && text.contains("worker=\"busy\""),
        "{text}"
    );
    std::thread::sleep(std::time::Duration::from_millis(1100));
    family.record("busy", metrics_core::Counter::inc);
    // A second later only `busy` was recorded since: `idle` is gone from this scrape on, in both formats.
    for text in both_formats(family) {
        assert!(
            text.contains("registry_worker_heartbeats_total{worker=\"busy\"} 2"),
            "{text}"
        );
        assert!(!text.contains("worker=\"idle\""), "{text}");
    }
    assert!(family.read("idle", metrics_core::Counter::get).is_none());
    // It comes back as a new series if it records again.
    family.record("idle", metrics_core::Counter::inc);
    let [text, _] = both_formats(family);
    assert!(
        text.contains("registry_worker_heartbeats_total{worker=\"idle\"} 1"),
        "{text}"
    );
}
