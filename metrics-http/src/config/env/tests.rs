use std::collections::HashMap;
use std::time::Duration;

use proptest::prelude::*;

use super::super::{DEFAULT_ADDR, MAX_CONCURRENT_SCRAPES, MAX_TOKEN_FILE_BYTES};
use super::*;
use crate::guard::limit::ScrapeLimiter;

fn from(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    Config::from_lookup(|name| vars.get(name).cloned())
}

/// A temporary directory removed on drop.
struct Dir(std::path::PathBuf);

impl Dir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("metrics-http-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn no_variables_give_the_loopback_defaults() {
    let config = from(&[]).unwrap();
    assert_eq!(config.addr, DEFAULT_ADDR);
    assert!(!config.allow_remote);
    assert!(config.bearer_token.is_none());
    assert!(config.warnings().is_empty());
}

#[test]
fn variables_override_the_defaults() {
    let config = from(&[
        ("METRICS_ADDR", "127.0.0.1:9100"),
        ("METRICS_BEARER_TOKEN", "abc"),
        ("METRICS_HEADER_READ_TIMEOUT", "750ms"),
        ("METRICS_REQUEST_TIMEOUT", "3"),
        ("METRICS_SCRAPE_TIMEOUT_OFFSET", "0"),
        ("METRICS_RESPONSE_WRITE_TIMEOUT", "2s"),
        ("METRICS_MAX_CONCURRENT_SCRAPES", "2"),
        ("METRICS_MAX_CONNECTIONS", "8"),
        ("METRICS_SUMMARY_INTERVAL", "1m"),
        ("METRICS_SUMMARY_RETENTION", "1d"),
        ("METRICS_SUMMARY_MEMORY_LIMIT", "1048576"),
        ("METRICS_ALLOWED_HOSTS", "metrics.internal, box.local"),
    ])
    .unwrap();
    assert_eq!(config.addr.port(), 9100);
    assert!(
        config
            .bearer_token
            .as_ref()
            .unwrap()
            .matches(Some(&"Bearer abc".parse().unwrap()))
    );
    assert_eq!(config.header_read_timeout, Duration::from_millis(750));
    assert_eq!(config.request_timeout, Duration::from_secs(3));
    assert_eq!(config.scrape_timeout_offset, Duration::ZERO);
    assert_eq!(config.response_write_timeout, Duration::from_secs(2));
    assert_eq!(config.max_concurrent_scrapes, 2);
    assert_eq!(config.max_connections, 8);
    assert_eq!(config.summary_slots(), 24 * 60 + 1);
    assert_eq!(config.summary_memory_limit, 1 << 20);
    assert!(config.answers_host(Some("box.local:9100")));
    assert!(!config.answers_host(Some("attacker.example")));
}

#[test]
fn binding_beyond_loopback_needs_the_opt_in() {
    let error = from(&[("METRICS_ADDR", "0.0.0.0:9464")]).unwrap_err();
    assert_eq!(error.setting(), "METRICS_ADDR");
    assert!(
        from(&[
            ("METRICS_ADDR", "0.0.0.0:9464"),
            ("METRICS_ALLOW_REMOTE", "true")
        ])
        .is_ok()
    );
    assert!(
        from(&[("METRICS_ADDR", "[::ffff:127.0.0.1]:9464")]).is_ok(),
        "mapped loopback is loopback"
    );
}

#[test]
fn errors_name_the_variable_and_the_builder_method() {
    let error = from(&[("METRICS_HEADER_READ_TIMEOUT", "0s")]).unwrap_err();
    assert_eq!(error.setting(), "METRICS_HEADER_READ_TIMEOUT");
    assert_eq!(
        error.to_string(),
        "invalid metrics server setting METRICS_HEADER_READ_TIMEOUT (Config::header_read_timeout): 0ns must be \
         greater than zero"
    );
    let error = Config::default()
        .request_timeout(Duration::ZERO)
        .validate()
        .unwrap_err();
    assert_eq!(error.setting(), "METRICS_REQUEST_TIMEOUT");
    assert!(!error.to_string().contains("`request_timeout`"));
}

#[test]
fn every_value_is_checked_against_the_bound_it_really_has() {
    let too_many = "18446744073709551615";
    let error = from(&[("METRICS_MAX_CONCURRENT_SCRAPES", too_many)]).unwrap_err();
    assert_eq!(error.setting(), "METRICS_MAX_CONCURRENT_SCRAPES");
    assert!(
        error.to_string().contains("above the supported maximum"),
        "{error}"
    );
    let at_limit = MAX_CONCURRENT_SCRAPES.to_string();
    let config = from(&[("METRICS_MAX_CONCURRENT_SCRAPES", &at_limit)]).unwrap();
    // What panicked at start before: a semaphore with more permits than tokio allows.
    assert!(
        ScrapeLimiter::new(config.max_concurrent_scrapes)
            .try_acquire()
            .is_some()
    );
    let above = (MAX_CONCURRENT_SCRAPES + 1).to_string();
    assert!(from(&[("METRICS_MAX_CONCURRENT_SCRAPES", &above)]).is_err());
    assert!(from(&[("METRICS_MAX_CONNECTIONS", "0")]).is_err());
    assert!(from(&[("METRICS_MAX_CONNECTIONS", "65537")]).is_err());
    assert!(from(&[("METRICS_MAX_CONNECTIONS", "99999999999999999999999")]).is_err());
    assert!(from(&[("METRICS_MAX_CONNECTIONS", "65536")]).is_ok());
    for name in [
        "METRICS_HEADER_READ_TIMEOUT",
        "METRICS_REQUEST_TIMEOUT",
        "METRICS_RESPONSE_WRITE_TIMEOUT",
        "METRICS_SHUTDOWN_DRAIN",
        "METRICS_SCRAPE_TIMEOUT_OFFSET",
    ] {
        assert!(from(&[(name, "1h")]).is_ok(), "{name}=1h");
        let absurd = from(&[(name, "3601s")]).unwrap_err();
        assert_eq!(absurd.setting(), name);
        assert!(absurd.to_string().contains("supported maximum"), "{absurd}");
        assert!(from(&[(name, "1000000d")]).is_err(), "{name}");
    }
    for huge in [Duration::MAX, Duration::from_secs(u64::MAX / 2)] {
        assert!(
            Config::default()
                .header_read_timeout(huge)
                .validate()
                .is_err()
        );
        assert!(
            Config::default()
                .response_write_timeout(huge)
                .validate()
                .is_err()
        );
        assert!(Config::default().summary_interval(huge).validate().is_err());
    }
    assert!(
        from(&[
            ("METRICS_SUMMARY_INTERVAL", "2d"),
            ("METRICS_SUMMARY_RETENTION", "30d")
        ])
        .is_err()
    );
}

#[test]
fn summary_retention_must_cover_at_least_one_interval() {
    let zero = from(&[("METRICS_SUMMARY_RETENTION", "0")]).unwrap_err();
    assert_eq!(zero.setting(), "METRICS_SUMMARY_RETENTION");
    assert!(zero.to_string().contains("greater than zero"), "{zero}");
    let short = from(&[
        ("METRICS_SUMMARY_INTERVAL", "1m"),
        ("METRICS_SUMMARY_RETENTION", "30s"),
    ])
    .unwrap_err();
    assert_eq!(short.setting(), "METRICS_SUMMARY_RETENTION");
    assert!(
        short
            .to_string()
            .contains("shorter than the summary interval"),
        "{short}"
    );
    assert!(
        from(&[
            ("METRICS_SUMMARY_INTERVAL", "1m"),
            ("METRICS_SUMMARY_RETENTION", "1m")
        ])
        .is_ok()
    );
    assert!(
        from(&[
            ("METRICS_SUMMARY_RETENTION", "367d"),
            ("METRICS_SUMMARY_INTERVAL", "1d")
        ])
        .is_err()
    );
    assert!(
        from(&[
            ("METRICS_SUMMARY_INTERVAL", "1ms"),
            ("METRICS_SUMMARY_RETENTION", "1d")
        ])
        .is_err()
    );
}

#[test]
fn token_from_a_file_and_errors_never_show_it() {
    let dir = Dir::new("config-token");
    let file = dir.0.join("token");
    std::fs::write(&file, "from-file-token\n").unwrap();
    let config = from(&[("METRICS_BEARER_TOKEN_FILE", file.to_str().unwrap())]).unwrap();
    assert!(
        config
            .bearer_token
            .as_ref()
            .unwrap()
            .matches(Some(&"Bearer from-file-token".parse().unwrap()))
    );
    assert!(
        !format!("{config:?}").contains("from-file-token"),
        "Debug redacts the token"
    );
    let both = from(&[
        ("METRICS_BEARER_TOKEN", "x"),
        ("METRICS_BEARER_TOKEN_FILE", file.to_str().unwrap()),
    ]);
    assert_eq!(both.unwrap_err().setting(), "METRICS_BEARER_TOKEN_FILE");
    let bad = from(&[("METRICS_BEARER_TOKEN", "two words")]).unwrap_err();
    assert!(!bad.to_string().contains("two words"));
    std::fs::remove_file(&file).unwrap();
    let missing = from(&[("METRICS_BEARER_TOKEN_FILE", file.to_str().unwrap())]).unwrap_err();
    assert!(missing.to_string().contains("cannot read"));
}

#[test]
fn token_files_must_be_small_regular_files() {
    let dir = Dir::new("config-token-kinds");
    let big = dir.0.join("big");
    let size = usize::try_from(MAX_TOKEN_FILE_BYTES).unwrap() + 1;
    std::fs::write(&big, "x".repeat(size)).unwrap();
    let error = from(&[("METRICS_BEARER_TOKEN_FILE", big.to_str().unwrap())]).unwrap_err();
    assert!(
        error.to_string().contains("larger than 4096 bytes"),
        "{error}"
    );
    let error = from(&[("METRICS_BEARER_TOKEN_FILE", dir.0.to_str().unwrap())]).unwrap_err();
    assert!(error.to_string().contains("not a regular file"), "{error}");
    #[cfg(unix)]
    {
        let error = from(&[("METRICS_BEARER_TOKEN_FILE", "/dev/zero")]).unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
        // A FIFO: opening it would wait for a writer forever. Run in a thread so a regression fails, not hangs.
        let fifo = dir.0.join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let path = fifo.to_str().unwrap().to_owned();
        let (done, result) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = done.send(from(&[("METRICS_BEARER_TOKEN_FILE", &path)]).map(|_| ()));
        });
        let error = result
            .recv_timeout(Duration::from_secs(5))
            .expect("reading a FIFO token file returns at once")
            .unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
    }
}

#[cfg(unix)]
#[test]
fn a_token_file_readable_by_others_gives_a_warning() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = Dir::new("config-token-mode");
    let file = dir.0.join("token");
    std::fs::write(&file, "mode-token").unwrap();
    let path = file.to_str().unwrap();
    for (mode, warned) in [
        (0o600, false),
        (0o400, false),
        (0o640, true),
        (0o644, true),
        (0o604, true),
    ] {
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
        let config = from(&[("METRICS_BEARER_TOKEN_FILE", path)]).unwrap();
        assert_eq!(
            config.warnings().len(),
            usize::from(warned),
            "mode {mode:o}"
        );
        if warned {
            let warning = &config.warnings()[0];
            assert!(warning.contains(&format!("{mode:04o}")), "{warning}");
            assert!(warning.contains("chmod 600"), "{warning}");
            assert!(!warning.contains("mode-token"), "never the token");
        }
    }
}

#[test]
fn unusable_values_are_rejected() {
    assert!(from(&[("METRICS_ADDR", "localhost")]).is_err());
    assert!(from(&[("METRICS_ALLOW_REMOTE", "maybe")]).is_err());
    assert!(from(&[("METRICS_REQUEST_TIMEOUT", "0s")]).is_err());
    assert!(from(&[("METRICS_MAX_CONCURRENT_SCRAPES", "0")]).is_err());
    assert!(from(&[("METRICS_MAX_CONCURRENT_SCRAPES", "-1")]).is_err());
    assert_eq!(
        from(&[("METRICS_ALLOWED_HOSTS", "host:9464")])
            .unwrap_err()
            .setting(),
        "METRICS_ALLOWED_HOSTS"
    );
    let long = "x".repeat(50_000);
    let error = from(&[("METRICS_ADDR", &long)]).unwrap_err();
    assert!(error.to_string().len() < 400, "the error quotes an excerpt");
}

/// Values a user plausibly writes by mistake (from the table on `Config`): each is refused with an error naming
/// the variable and saying what it takes, never accepted as something else.
#[test]
fn plausible_mistakes_are_errors_naming_their_variable() {
    let cases: &[(&str, &str, &str)] = &[
        ("METRICS_ADDR", ":9464", "ip:port"),
        ("METRICS_ADDR", "9464", "ip:port"),
        ("METRICS_ADDR", "localhost:9464", "ip:port"),
        ("METRICS_ADDR", "http://127.0.0.1:9464", "ip:port"),
        ("METRICS_ALLOW_REMOTE", "on", "true or false"),
        (
            "METRICS_HEADER_READ_TIMEOUT",
            "5 sec",
            "METRICS_HEADER_READ_TIMEOUT",
        ),
        ("METRICS_REQUEST_TIMEOUT", "-1s", "METRICS_REQUEST_TIMEOUT"),
        (
            "METRICS_REQUEST_TIMEOUT",
            "PT10S",
            "METRICS_REQUEST_TIMEOUT",
        ),
        ("METRICS_SHUTDOWN_DRAIN", "0", "greater than zero"),
        ("METRICS_SUMMARY_INTERVAL", "0s", "greater than zero"),
        ("METRICS_MAX_CONNECTIONS", "64k", "a positive integer"),
        ("METRICS_MAX_CONNECTIONS", "1e3", "a positive integer"),
        (
            "METRICS_MAX_CONCURRENT_SCRAPES",
            "4.0",
            "a positive integer",
        ),
        ("METRICS_SUMMARY_MEMORY_LIMIT", "32MiB", "a number of bytes"),
        ("METRICS_SUMMARY_MEMORY_LIMIT", "-1", "a number of bytes"),
        (
            "METRICS_ALLOWED_HOSTS",
            "http://metrics.internal",
            "without port or scheme",
        ),
        ("METRICS_ALLOWED_HOSTS", "*.example.com", "not a host name"),
        ("METRICS_BEARER_TOKEN", "", "empty"),
        (
            "METRICS_BEARER_TOKEN",
            "Bearer s3cret",
            "drop the `Bearer `",
        ),
        ("METRICS_BEARER_TOKEN_FILE", "", "METRICS_BEARER_TOKEN_FILE"),
    ];
    for (name, value, says) in cases {
        let Err(error) = from(&[(name, value)]) else {
            panic!("{name}={value:?} was accepted")
        };
        assert_eq!(error.setting(), *name, "{name}={value:?}: {error}");
        let text = error.to_string();
        assert!(text.contains(name), "{name}={value:?}: {text}");
        assert!(text.contains(says), "{name}={value:?}: {text}");
        assert!(!text.contains("s3cret"), "never the token: {text}");
    }
}

const VARIABLES: [&str; 15] = [
    "METRICS_ADDR",
    "METRICS_ALLOW_REMOTE",
    "METRICS_ALLOWED_HOSTS",
    "METRICS_BEARER_TOKEN",
    "METRICS_HEADER_READ_TIMEOUT",
    "METRICS_REQUEST_TIMEOUT",
    "METRICS_SCRAPE_TIMEOUT_OFFSET",
    "METRICS_RESPONSE_WRITE_TIMEOUT",
    "METRICS_MAX_CONCURRENT_SCRAPES",
    "METRICS_MAX_CONNECTIONS",
    "METRICS_SHUTDOWN_DRAIN",
    "METRICS_SUMMARY_INTERVAL",
    "METRICS_SUMMARY_RETENTION",
    "METRICS_SUMMARY_MEMORY_LIMIT",
    "METRICS_BEARER_TOKEN_FILE",
];

/// Values near every bound, and arbitrary text.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,22}(ms|s|m|h|d)?",
        "[0-9]{0,6}\\.[0-9]{0,12}(ms|s|m|h|d)?",
        Just(u64::MAX.to_string()),
        Just(MAX_CONCURRENT_SCRAPES.to_string()),
        Just((MAX_CONCURRENT_SCRAPES + 1).to_string()),
        Just("1e309".to_owned()),
        ".{0,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Whatever the environment holds, reading it never panics, and a configuration it accepts can be started:
    /// its semaphore built, its summary ring sized.
    #[test]
    fn no_environment_panics_or_starts_a_server_that_panics(
        values in proptest::collection::vec(proptest::option::of(value()), VARIABLES.len() - 1)
    ) {
        let vars: HashMap<&str, String> = VARIABLES
            .iter()
            .zip(values)
            .filter_map(|(name, value)| Some((*name, value?)))
            .collect();
        if let Ok(config) = Config::from_lookup(|name| vars.get(name).cloned()) {
            prop_assert!(ScrapeLimiter::new(config.max_concurrent_scrapes).try_acquire().is_some());
            prop_assert!(config.summary_slots() <= crate::MAX_SUMMARY_SNAPSHOTS + 1);
        }
    }

    /// Durations: any text gives a duration or an error, never a panic, and an accepted one is in range.
    #[test]
    fn duration_parsing_never_panics(text in prop_oneof![".{0,30}", "[0-9.]{0,25}(ms|s|m|h|d|x)?"]) {
        if let Ok(duration) = crate::duration::parse_duration(&text) {
            prop_assert!(duration.as_secs_f64() <= 1e9);
        }
    }
}
