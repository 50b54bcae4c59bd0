//! The bench binaries' `main`: pick scenarios from the command line, run them, print their tables.
//!
//! `cargo bench -p metrics-benches` runs every scenario; `cargo bench -p metrics-benches -- B D` runs B and D
//! (letters, in any case, alone or together: `bd`); `--quick` takes a few short samples, to try the command;
//! `--only TEXT` keeps the contenders whose name contains `TEXT` (to profile one: `-- F --only ours`);
//! `--interleaved` times each scenario's contenders one batch of each in turn (for a shared, noisy machine).
//! Progress goes to stderr, tables to stdout.

use crate::contender::Library;
use crate::harness::Config;
use crate::scenarios::Scenario;

/// Runs the scenarios the arguments select (all when none is named).
pub fn main(scenarios: &[Scenario]) {
    // cargo passes `--bench` to every `harness = false` target; other flags are ours or ignored.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut config = if args.iter().any(|a| a == "--quick") {
        Config::quick()
    } else {
        Config::default()
    };
    let only_at = args.iter().position(|a| a == "--only");
    config.only = only_at.and_then(|at| args.get(at + 1)).cloned();
    config.interleaved = args.iter().any(|a| a == "--interleaved");
    let letters: Vec<String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| !a.starts_with('-') && only_at.is_none_or(|at| *i != at + 1))
        .map(|(_, a)| a.to_uppercase())
        .collect();
    let selected: Vec<&Scenario> = scenarios
        .iter()
        .filter(|s| letters.is_empty() || letters.iter().any(|l| l.contains(s.id)))
        .collect();
    if selected.is_empty() {
        return;
    }
    eprintln!(
        "{} samples of ~{:?} per contender after {:?} of warm-up; {}",
        config.samples,
        config.sample_time,
        config.warm_up,
        crate_versions()
    );
    for scenario in selected {
        eprintln!("scenario {}", scenario.id);
        for table in (scenario.run)(&config) {
            println!("{}", table.render());
        }
    }
}

/// The CPU's model name, from `/proc/cpuinfo` (what `lscpu` prints as "Model name").
pub fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|line| line.strip_prefix("model name"))
                .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

/// `name version` of every crate measured, as `Cargo.toml` pins them.
pub fn crate_versions() -> String {
    Library::ALL
        .iter()
        .flat_map(|library| library.crates())
        .map(|(name, version)| format!("{name} {version}"))
        .collect::<Vec<_>>()
        .join(", ")
}
