//! K: what the process collector adds to a scrape: its seven families read from `/proc` and encoded, against a
//! hand-written reader of the same files writing the same lines. Linux only (elsewhere the collector registers
//! nothing and the table is empty).

use std::fmt::Write as _;

use metrics_core::{Format, Registry};

use super::f_scrape::scraper;
use crate::contender::{Contender, Library};
use crate::harness::Config;
use crate::report::Table;
use crate::scrape;

/// The target: the process collector adds at most this much to a scrape.
pub(crate) const TARGET_MICROS: f64 = 50.0;

/// Runs scenario K.
pub(crate) fn run(config: &Config) -> Table {
    let mut table = Table::new(
        "K: scrape of the process collector alone (7 families read from /proc at scrape time)",
        "µs/scrape",
    );
    if cfg!(target_os = "linux") {
        super::time_all(&mut table, &mut contenders(), config, 1e-3);
    }
    table.notes.push(format!(
        "Target: at most {TARGET_MICROS} µs added to a scrape. Ours reads `/proc/self/stat` once per family that \
         needs it (four times), `/proc/self/limits` and the `/proc/self/fd` directory; the start time is read once \
         and kept. Both keep `stat` and `limits` open and read them again from offset 0 (procfs regenerates them), \
         which halves the cost of a read. The floor reads each file once."
    ));
    table
}

/// The floor and ours.
pub(crate) fn contenders() -> Vec<Contender> {
    vec![floor(), ours()]
}

fn registry() -> &'static Registry {
    static REGISTRY: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    REGISTRY.get_or_init(|| {
        metrics_collectors::process::register(Registry::builder())
            .build()
            .expect("the process families are valid")
    })
}

fn ours() -> Contender {
    scraper(Library::Ours, "metrics-collectors process", |out| {
        scrape::ours(registry(), Format::Text004, out);
    })
}

/// The text of a `/proc` file kept open, read again from offset 0.
fn reread(file: &std::fs::File, buffer: &mut [u8; 4096]) -> usize {
    use std::os::unix::fs::FileExt as _;
    let mut len = 0;
    while let Ok(read @ 1..) = file.read_at(&mut buffer[len..], len as u64) {
        len += read;
    }
    len
}

/// `stat` and `limits` kept open (as ours keeps them) and each read once, fields picked by position, seven bare
/// sample lines (no HELP or TYPE): what no collector can beat.
fn floor() -> Contender {
    static FILES: std::sync::OnceLock<(std::fs::File, std::fs::File)> = std::sync::OnceLock::new();
    scraper(Library::Floor, "", |out| {
        let (stat_file, limits_file) = FILES.get_or_init(|| {
            let open = |path| std::fs::File::open(path).expect("a /proc file");
            (open("/proc/self/stat"), open("/proc/self/limits"))
        });
        let mut buffer = [0u8; 4096];
        let len = reread(stat_file, &mut buffer);
        let stat = String::from_utf8_lossy(&buffer[..len]).into_owned();
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.split_ascii_whitespace().collect())
            .unwrap_or_default();
        let field =
            |n: usize| -> u64 { fields.get(n - 3).and_then(|v| v.parse().ok()).unwrap_or(0) };
        let len = reread(limits_file, &mut buffer);
        let limits = String::from_utf8_lossy(&buffer[..len]);
        let max_fds = limits
            .lines()
            .find(|l| l.starts_with("Max open files"))
            .and_then(|l| l.split_ascii_whitespace().nth(3))
            .unwrap_or("0");
        let fds = std::fs::read_dir("/proc/self/fd").map_or(0, Iterator::count);
        let _ = write!(
            out,
            "process_cpu_seconds_total {}\nprocess_resident_memory_bytes {}\nprocess_virtual_memory_bytes {}\n\
             process_open_fds {fds}\nprocess_max_fds {max_fds}\nprocess_start_time_seconds {}\nprocess_threads {}\n",
            (field(14) + field(15)) as f64 / 100.0,
            field(24) * 4096,
            field(23),
            field(22) as f64 / 100.0,
            field(20),
        );
    })
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn both_write_the_seven_families() {
        for contender in contenders() {
            let text = (contender.read)();
            for name in [
                "process_cpu_seconds_total ",
                "process_resident_memory_bytes ",
                "process_virtual_memory_bytes ",
                "process_open_fds ",
                "process_max_fds ",
                "process_start_time_seconds ",
                "process_threads ",
            ] {
                assert!(
                    text.lines().any(|l| l.starts_with(name)),
                    "{contender:?}: no {name} in\n{text}"
                );
            }
        }
    }
}
