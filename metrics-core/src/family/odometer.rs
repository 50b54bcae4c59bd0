//! Walks every combination of a family's enum labels in series order (last label fastest).

use super::{LabelDescriptor, LabelValues, MAX_LABELS};

/// The label values and positions of series `0, 1, 2, ...` of an all-enum label set, advanced like an odometer:
/// no division per series.
pub(crate) struct Odometer<'d> {
    options: [&'d [&'static str]; MAX_LABELS],
    values: [&'static str; MAX_LABELS],
    positions: [u32; MAX_LABELS],
    count: usize,
}

impl<'d> Odometer<'d> {
    /// At series 0 of `labels`, which must all be enum labels.
    pub(crate) fn new(labels: &'d [LabelDescriptor]) -> Self {
        let mut options: [&[&str]; MAX_LABELS] = [&[]; MAX_LABELS];
        let mut values = [""; MAX_LABELS];
        for (slot, label) in labels.iter().enumerate().take(MAX_LABELS) {
            if let LabelValues::Enum(set) = label.values {
                options[slot] = set;
                values[slot] = set.first().copied().unwrap_or_default();
            }
        }
        Self {
            options,
            values,
            positions: [0; MAX_LABELS],
            count: labels.len().min(MAX_LABELS),
        }
    }

    /// The current series' label values.
    pub(crate) fn values(&self) -> &[&'static str] {
        &self.values[..self.count]
    }

    /// The current series' value positions.
    pub(crate) fn positions(&self) -> &[u32] {
        &self.positions[..self.count]
    }

    /// Moves to the next series.
    pub(crate) fn advance(&mut self) {
        for slot in (0..self.count).rev() {
            let next = self.positions[slot] as usize + 1;
            if let Some(value) = self.options[slot].get(next) {
                self.positions[slot] = next as u32;
                self.values[slot] = value;
                return;
            }
            self.positions[slot] = 0;
            self.values[slot] = self.options[slot].first().copied().unwrap_or_default();
        }
    }
}
