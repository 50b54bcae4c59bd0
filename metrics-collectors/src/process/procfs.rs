//! Reading and parsing the `/proc` files the process families need. The parsers take text, so tests can feed them
//! fixed samples; the readers return `None` when a file cannot be read or parsed.

use std::fs::File;
use std::os::unix::fs::FileExt as _;
use std::sync::{Mutex, OnceLock, PoisonError};

/// The fields of `/proc/self/stat` the families use, in the kernel's units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stat {
    /// User plus system CPU time, in clock ticks.
    pub(super) cpu_ticks: u64,
    /// Threads in the process.
    pub(super) threads: u64,
    /// Start time after boot, in clock ticks.
    pub(super) start_ticks: u64,
    /// Virtual memory size, in bytes.
    pub(super) virtual_bytes: u64,
    /// Resident set size, in pages.
    pub(super) resident_pages: u64,
}

/// Parses `/proc/<pid>/stat`. The command name (field 2) is in parentheses and may itself hold spaces and `)`,
/// so fields are counted from the last `)`.
pub(super) fn parse_stat(text: &str) -> Option<Stat> {
    let after = &text[text.rfind(')')? + 1..];
    // Field 3 (state) is index 0 here, so field N is index N - 3.
    let fields: Vec<&str> = after.split_ascii_whitespace().collect();
    let field = |n: usize| fields.get(n - 3)?.parse::<u64>().ok();
    Some(Stat {
        cpu_ticks: field(14)? + field(15)?,
        threads: field(20)?,
        start_ticks: field(22)?,
        virtual_bytes: field(23)?,
        resident_pages: field(24)?,
    })
}

/// The soft `Max open files` limit of `/proc/<pid>/limits`; `None` when it is `unlimited`.
pub(super) fn parse_max_open_files(text: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with("Max open files"))?;
    line["Max open files".len()..]
        .split_ascii_whitespace()
        .next()?
        .parse()
        .ok()
}

/// `btime` of `/proc/stat`: the boot time, in seconds since the epoch.
pub(super) fn parse_boot_time(text: &str) -> Option<u64> {
    text.lines()
        .find_map(|l| l.strip_prefix("btime "))?
        .trim()
        .parse()
        .ok()
}

/// The clock tick rate and page size from an auxiliary vector (`/proc/self/auxv`): pairs of native-endian words.
pub(super) fn parse_auxv(bytes: &[u8]) -> (Option<u64>, Option<u64>) {
    const AT_PAGESZ: u64 = 6;
    const AT_CLKTCK: u64 = 17;
    let word = size_of::<usize>();
    let read = |chunk: &[u8]| -> u64 {
        let mut raw = [0u8; 8];
        raw[..word].copy_from_slice(chunk);
        if word == 4 {
            u64::from(u32::from_ne_bytes([raw[0], raw[1], raw[2], raw[3]]))
        } else {
            u64::from_ne_bytes(raw)
        }
    };
    let (mut ticks, mut page) = (None, None);
    for pair in bytes.chunks_exact(2 * word) {
        match read(&pair[..word]) {
            AT_PAGESZ => page = Some(read(&pair[word..])),
            AT_CLKTCK => ticks = Some(read(&pair[word..])),
            _ => {}
        }
    }
    (ticks.filter(|t| *t > 0), page.filter(|p| *p > 0))
}

/// The kernel's clock ticks per second and page size in bytes, read once. Linux's `USER_HZ` is 100 and its page
/// 4096 bytes on the common architectures: the fallbacks when the auxiliary vector cannot be read.
pub(super) fn ticks_and_page_size() -> (u64, u64) {
    static ONCE: OnceLock<(u64, u64)> = OnceLock::new();
    *ONCE.get_or_init(|| {
        let (ticks, page) = std::fs::read("/proc/self/auxv")
            .map(|bytes| parse_auxv(&bytes))
            .unwrap_or_default();
        (ticks.unwrap_or(100), page.unwrap_or(4096))
    })
}

/// A `/proc/self` file kept open and read again from offset 0 at each call: procfs regenerates the text on every
/// read from the start, and skipping the path lookup of `open` halves the cost of a read. The file is reopened when
/// the process id changed (a forked child must not read its parent's file).
struct Reopened {
    path: &'static str,
    file: Mutex<Option<(u32, File)>>,
}

/// The files are a few hundred bytes (`stat`) to under two kilobytes (`limits`).
const READ_BUFFER: usize = 4096;

impl Reopened {
    const fn new(path: &'static str) -> Self {
        Self {
            path,
            file: Mutex::new(None),
        }
    }

    /// Calls `parse` with the file's whole text, read now.
    fn read<T>(&self, parse: impl FnOnce(&str) -> Option<T>) -> Option<T> {
        let mut buffer = [0u8; READ_BUFFER];
        let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        let pid = std::process::id();
        if file.as_ref().is_none_or(|(opened_by, _)| *opened_by != pid) {
            *file = Some((pid, File::open(self.path).ok()?));
        }
        let (_, handle) = file.as_ref()?;
        let mut len = 0;
        while len < buffer.len() {
            match handle.read_at(&mut buffer[len..], len as u64) {
                Ok(0) => break,
                Ok(read) => len += read,
                Err(_) => {
                    *file = None;
                    return None;
                }
            }
        }
        drop(file);
        parse(std::str::from_utf8(&buffer[..len]).ok()?)
    }
}

static STAT: Reopened = Reopened::new("/proc/self/stat");
static LIMITS: Reopened = Reopened::new("/proc/self/limits");

/// `/proc/self/stat`, now.
pub(super) fn stat() -> Option<Stat> {
    STAT.read(parse_stat)
}

/// The process start time in seconds since the epoch, computed once: it never changes.
pub(super) fn start_time_seconds() -> Option<f64> {
    static ONCE: OnceLock<Option<f64>> = OnceLock::new();
    *ONCE.get_or_init(|| {
        let boot = parse_boot_time(&std::fs::read_to_string("/proc/stat").ok()?)?;
        let (ticks, _) = ticks_and_page_size();
        Some(boot as f64 + stat()?.start_ticks as f64 / ticks as f64)
    })
}

/// Open file descriptors now: the entries of `/proc/self/fd` (the one this count opens included, as
/// `client_golang` counts).
pub(super) fn open_fds() -> Option<u64> {
    Some(std::fs::read_dir("/proc/self/fd").ok()?.count() as u64)
}

/// The soft limit on open file descriptors now.
pub(super) fn max_fds() -> Option<u64> {
    LIMITS.read(parse_max_open_files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_fields_are_counted_from_the_last_parenthesis() {
        let text = "4242 (my (odd) prog) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 7 0 123456 \
                    987654321 2048 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 0\n";
        assert_eq!(
            parse_stat(text),
            Some(Stat {
                cpu_ticks: 300,
                threads: 7,
                start_ticks: 123_456,
                virtual_bytes: 987_654_321,
                resident_pages: 2048,
            })
        );
        assert_eq!(parse_stat("4242 (truncated) S 1 2"), None);
    }

    #[test]
    fn limits_boot_time_and_auxv() {
        let limits = "Limit                     Soft Limit           Hard Limit           Units     \n\
                      Max open files            1024                 524288               files     \n";
        assert_eq!(parse_max_open_files(limits), Some(1024));
        assert_eq!(
            parse_max_open_files(
                "Max open files            unlimited            unlimited            files"
            ),
            None
        );
        assert_eq!(
            parse_boot_time("cpu  1 2 3\nbtime 1700000000\nprocesses 5\n"),
            Some(1_700_000_000)
        );
        let words: Vec<usize> = vec![6, 16384, 17, 250, 0, 0];
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_ne_bytes()).collect();
        assert_eq!(parse_auxv(&bytes), (Some(250), Some(16384)));
        assert_eq!(parse_auxv(&[]), (None, None));
    }
}
