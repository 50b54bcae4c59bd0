//! P: push. Scenario F's 10,000 counter + 100 histogram series encoded as one OTLP `ExportMetricsServiceRequest`
//! (protobuf, what the exporter sends every interval) against our text 0.0.4 encode of the same registry: µs per
//! encode and the bytes produced. The target: the OTLP encode costs at most twice the text encode.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::SystemTime;

use metrics_core::Format;
use metrics_push::otlp::{RequestEncoder, Resource};

use super::f_scrape;
use crate::contender::{Contender, Library};
use crate::harness::Config;
use crate::report::Table;
use crate::scrape;

const TEXT: &str = "text 0.0.4";
const OTLP: &str = "OTLP protobuf";

/// Runs scenario P.
pub(crate) fn run(config: &Config) -> Table {
    let mut table = Table::new(
        "P: one OTLP export request vs one text scrape of scenario F's 10,000 + 100 series",
        "µs/encode",
    );
    // "× ours" is the ratio to our text encode, the first row.
    table.extra_headers = vec!["bytes"];
    super::time_all_with(
        &mut table,
        &mut contenders(),
        config,
        1e-3,
        |contender, _| {
            let read = (contender.read)();
            // The OTLP contender reads back its request as hex.
            let bytes = if contender.note == OTLP {
                read.len() / 2
            } else {
                read.len()
            };
            vec![bytes.to_string()]
        },
    );
    table.notes.push(
        "Both read the same registry through the same families; the OTLP request carries each series' attributes, \
         start and end times and (for histograms) per-bucket counts and bounds, uncompressed."
            .into(),
    );
    table
}

/// Our text encode and our OTLP encode of scenario F's registry, each into a buffer kept between runs.
pub(crate) fn contenders() -> Vec<Contender> {
    let registry = f_scrape::ours_registry();
    let mut text = String::new();
    let start = SystemTime::now();
    let mut encoder = RequestEncoder::new(Resource::new("bench"), start);
    vec![
        Contender::ops(
            Library::Ours,
            TEXT,
            move |_, n| {
                for _ in 0..n {
                    text.clear();
                    scrape::ours(registry, Format::Text004, &mut text);
                    black_box(&text);
                }
            },
            move || {
                let mut out = String::new();
                scrape::ours(registry, Format::Text004, &mut out);
                out
            },
        ),
        Contender::ops(
            Library::Ours,
            OTLP,
            move |_, n| {
                for _ in 0..n {
                    black_box(encoder.encode(registry, SystemTime::now()));
                }
            },
            move || {
                RequestEncoder::new(Resource::new("bench"), start)
                    .encode(registry, SystemTime::now())
                    .iter()
                    .fold(String::new(), |mut hex, b| {
                        let _ = write!(hex, "{b:02x}");
                        hex
                    })
            },
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label_sets::tenant_name;

    #[test]
    fn the_request_carries_every_series_of_the_registry() {
        let contenders = contenders();
        let hex = (contenders[1].read)();
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        for i in [0, 4_999, f_scrape::TENANTS - 1] {
            assert!(contains(tenant_name(i).as_bytes()), "tenant {i} missing");
        }
        assert!(contains(b"bench_f_requests"));
        assert!(contains(b"bench_f_latency_seconds"));
    }
}
