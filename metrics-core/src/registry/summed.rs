//! A family with some optional labels switched off: each exposed series is the sum of the family's series that
//! differ only in those labels, so totals are the same whether the labels are on or off.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::family::{Descriptor, Family, LabelDescriptor, Problem};
use crate::series::{Number, Sample, Series, SeriesSink};

/// `inner` without its labels named in the registry's switched-off set.
pub(super) struct SummedFamily {
    inner: &'static dyn Family,
    descriptor: &'static Descriptor,
    /// Positions of the labels kept, in declaration order.
    kept: Vec<usize>,
}

impl SummedFamily {
    /// The view of `inner` without its optional labels named in `off`, or `None` when it has none of them.
    pub(super) fn new(inner: &'static dyn Family, off: &[String]) -> Option<Self> {
        let declared = inner.descriptor();
        let kept: Vec<usize> = (0..declared.labels.len())
            .filter(|&i| {
                let label = declared.labels[i];
                !(label.optional && off.iter().any(|name| name == label.name))
            })
            .collect();
        (kept.len() < declared.labels.len()).then(|| Self {
            inner,
            descriptor: reduced(declared, &kept),
            kept,
        })
    }
}

/// The descriptor of `declared` with only the labels at `kept`. Descriptors are `'static` (families hand them out
/// as such), so each distinct view is leaked once per process, however many registries are built with it.
fn reduced(declared: &'static Descriptor, kept: &[usize]) -> &'static Descriptor {
    type Views = HashMap<(usize, Vec<usize>), &'static Descriptor>;
    static VIEWS: OnceLock<Mutex<Views>> = OnceLock::new();
    let key = (std::ptr::from_ref(declared) as usize, kept.to_vec());
    let mut views = VIEWS
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    views.entry(key).or_insert_with(|| {
        let labels: Vec<LabelDescriptor> = kept.iter().map(|&i| declared.labels[i]).collect();
        Box::leak(Box::new(declared.with_labels(labels.leak())))
    })
}

/// One exposed series' running sum.
enum Sum {
    Number(Number),
    Histogram { cumulative: Vec<u64>, sum: f64 },
}

fn add(a: Number, b: Number) -> Number {
    match (a, b) {
        (Number::U64(a), Number::U64(b)) => Number::U64(a.wrapping_add(b)),
        (Number::I64(a), Number::I64(b)) => Number::I64(a.wrapping_add(b)),
        (a, b) => Number::F64(a.as_f64() + b.as_f64()),
    }
}

impl Family for SummedFamily {
    fn descriptor(&self) -> &'static Descriptor {
        self.descriptor
    }

    fn collect(&self, sink: &mut dyn SeriesSink) {
        let counter = matches!(self.descriptor.kind, crate::family::MetricKind::Counter);
        // First-seen order of the kept values: the order the family's own series come in.
        let mut order: Vec<Vec<String>> = Vec::new();
        let mut sums: HashMap<Vec<String>, Sum> = HashMap::new();
        self.inner
            .collect(&mut |series: &Series<'_>, sample: &Sample<'_>| {
                let values = series.values();
                let key: Vec<String> = self
                    .kept
                    .iter()
                    .map(|&i| values.get(i).copied().unwrap_or_default().to_owned())
                    .collect();
                let addend = match *sample {
                    Sample::Counter(n) | Sample::Gauge(n) => Sum::Number(n),
                    Sample::Histogram { cumulative, sum } => Sum::Histogram {
                        cumulative: cumulative.to_vec(),
                        sum,
                    },
                    // `metrics!` allows `optional` on counters, gauges and histograms only.
                    Sample::Info | Sample::StateSet { .. } => return,
                };
                match sums.get_mut(&key) {
                    None => {
                        order.push(key.clone());
                        sums.insert(key, addend);
                    }
                    Some(Sum::Number(total)) => {
                        if let Sum::Number(n) = addend {
                            *total = add(*total, n);
                        }
                    }
                    Some(Sum::Histogram { cumulative, sum }) => {
                        if let Sum::Histogram {
                            cumulative: more,
                            sum: more_sum,
                        } = addend
                        {
                            for (bucket, count) in cumulative.iter_mut().zip(more) {
                                *bucket += count;
                            }
                            *sum += more_sum;
                        }
                    }
                }
            });
        for key in order {
            let values: Vec<&str> = key.iter().map(String::as_str).collect();
            let sample = match &sums[&key] {
                Sum::Number(n) if counter => Sample::Counter(*n),
                Sum::Number(n) => Sample::Gauge(*n),
                Sum::Histogram { cumulative, sum } => Sample::Histogram {
                    cumulative,
                    sum: *sum,
                },
            };
            sink.series(&Series::new(&values), &sample);
        }
    }

    fn label_overflows(&self, report: &mut dyn FnMut(&'static str, u64)) {
        self.inner.label_overflows(report);
    }

    fn observation_failures(&self, report: &mut dyn FnMut(&'static str, u64)) {
        self.inner.observation_failures(report);
    }

    fn problems(&self, report: &mut dyn FnMut(Problem)) {
        self.inner.problems(report);
    }
}
