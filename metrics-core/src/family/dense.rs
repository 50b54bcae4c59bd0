//! Families whose labels are all closed sets: a fixed array indexed by the label combination.

use super::{Descriptor, Family, LabelValues, MAX_LABELS};
use crate::metric::{Metric, SampleScratch};
use crate::series::{Series, SeriesSink};

/// `N` cells, one per label combination, all present (at zero) from start-up. Finding a series is a few
/// multiplications; recording is then the metric's own atomic operation: no hash, no lock, no allocation.
#[derive(Debug)]
pub struct DenseFamily<M: Metric, const N: usize> {
    descriptor: &'static Descriptor,
    cells: [M; N],
}

impl<M: Metric, const N: usize> DenseFamily<M, N> {
    /// A family over `cells`, one per label combination in mixed-radix order.
    pub const fn new(descriptor: &'static Descriptor, cells: [M; N]) -> Self {
        Self { descriptor, cells }
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
}

impl<M: Metric, const N: usize> Family for DenseFamily<M, N> {
    fn descriptor(&self) -> &'static Descriptor {
        self.descriptor
    }

    fn collect(&self, sink: &mut dyn SeriesSink) {
        let labels = self.descriptor.labels;
        let count = labels.len();
        // The value sets of the labels; every label of a dense family is an enum.
        let mut options: [&[&str]; MAX_LABELS] = [&[]; MAX_LABELS];
        for (slot, label) in labels.iter().enumerate() {
            if let LabelValues::Enum(values) = label.values {
                options[slot] = values;
            }
        }
        let mut values = [""; MAX_LABELS];
        for slot in 0..count {
            values[slot] = options[slot].first().copied().unwrap_or_default();
        }
        // The positions advance like an odometer, last label fastest: cell order, with no division per series.
        let mut positions = [0u32; MAX_LABELS];
        let mut scratch = SampleScratch::new();
        for cell in &self.cells {
            let series = Series::with_positions(&values[..count], &positions[..count]);
            sink.series(&series, &cell.sample(&mut scratch));
            for slot in (0..count).rev() {
                let next = positions[slot] as usize + 1;
                if next < options[slot].len() {
                    positions[slot] = next as u32;
                    values[slot] = options[slot][next];
                    break;
                }
                positions[slot] = 0;
                values[slot] = options[slot][0];
            }
        }
    }
}
