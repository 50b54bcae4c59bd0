//! Families whose labels are all closed sets: a fixed array indexed by the label combination.

use std::sync::OnceLock;

use super::{Descriptor, Family, LabelValues, MAX_LABELS, Series, SeriesSink, decode_enum_index};
use crate::encode::render_label_pairs;
use crate::metric::Metric;

/// `N` cells, one per label combination, all present (at zero) from start-up. Finding a series is a few
/// multiplications; recording is then the metric's own atomic operation: no hash, no lock, no allocation.
#[derive(Debug)]
pub struct DenseFamily<M: Metric, const N: usize> {
    descriptor: &'static Descriptor,
    cells: [M; N],
    /// The escaped label text of every series, built on the first scrape: label values never change.
    rendered: OnceLock<Box<[Box<str>]>>,
}

impl<M: Metric, const N: usize> DenseFamily<M, N> {
    /// A family over `cells`, one per label combination in mixed-radix order.
    pub const fn new(descriptor: &'static Descriptor, cells: [M; N]) -> Self {
        Self {
            descriptor,
            cells,
            rendered: OnceLock::new(),
        }
    }

    /// The cell of label combination `index` (see [`EnumLabels::index`](crate::EnumLabels::index)).
    #[inline]
    pub fn get(&self, index: usize) -> &M {
        &self.cells[index]
    }

    /// Every cell, in label-combination order.
    pub fn cells(&self) -> &[M; N] {
        &self.cells
    }

    fn rendered(&self) -> &[Box<str>] {
        self.rendered.get_or_init(|| {
            let labels = self.descriptor.labels;
            let mut values = [""; MAX_LABELS];
            (0..N)
                .map(|index| {
                    let count = decode_enum_index(labels, index, &mut values);
                    let mut text = String::new();
                    render_label_pairs(labels, &values[..count], &mut text);
                    text.into_boxed_str()
                })
                .collect()
        })
    }
}

impl<M: Metric, const N: usize> Family for DenseFamily<M, N> {
    fn descriptor(&self) -> &'static Descriptor {
        self.descriptor
    }

    fn collect(&self, sink: &mut dyn SeriesSink) {
        let rendered = self.rendered();
        let labels = self.descriptor.labels;
        let mut values = [""; MAX_LABELS];
        let count = decode_enum_index(labels, 0, &mut values);
        // The label values advance like an odometer, last label fastest: no division per series.
        let mut digits = [0usize; MAX_LABELS];
        let mut scratch = Vec::new();
        for (index, cell) in self.cells.iter().enumerate() {
            let series = Series::prerendered(&values[..count], &rendered[index]);
            sink.series(&series, &cell.sample(&mut scratch));
            for slot in (0..count).rev() {
                let LabelValues::Enum(options) = labels[slot].values else {
                    continue;
                };
                digits[slot] += 1;
                if digits[slot] < options.len() {
                    values[slot] = options[digits[slot]];
                    break;
                }
                digits[slot] = 0;
                values[slot] = options[0];
            }
        }
    }
}
