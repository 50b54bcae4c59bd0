//! Families whose labels are all closed sets: a fixed array indexed by the label combination.

use super::odometer::Odometer;
use super::{Descriptor, Family, hand_cell};
use crate::metric::{ExemplarScratch, Metric, SampleScratch};
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
        let mut odometer = Odometer::new(self.descriptor.labels);
        let mut scratch = SampleScratch::new();
        let mut exemplars = ExemplarScratch::new();
        for cell in &self.cells {
            let series = Series::with_positions(odometer.values(), odometer.positions());
            hand_cell(sink, &series, cell, &mut scratch, &mut exemplars);
            odometer.advance();
        }
    }

    fn exemplars_dropped(&self) -> Option<u64> {
        M::EXEMPLARS.then(|| self.cells.iter().map(Metric::exemplars_dropped).sum())
    }
}
