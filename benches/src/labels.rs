//! The label types every library records with: one Rust enum each, made a label value for every library, so
//! all of them see the same values and write the same text (`email`, `ok`, `d7`).
//!
//! Our `LabelValue` and measured's `FixedCardinalityLabel` are derived; prometheus-client and fastmetrics get a
//! hand-written impl through [`LabelValue::as_str`], which is what a user of those crates writes to get
//! snake-case values (their derives would write `Email`). prometheus (tikv) and metrics take the `&str`.

use metrics_core::LabelValue;

/// The job label of scenarios B to E: four values.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    metrics_core::LabelValue,
    measured::FixedCardinalityLabel,
)]
#[metrics(rename_all = "snake_case")]
#[label(rename_all = "snake_case")]
pub(crate) enum Job {
    /// `email`
    Email,
    /// `report`
    Report,
    /// `export`
    Export,
    /// `sync`
    Sync,
}

/// The status label of scenarios B to E: three values, so a family has 4 x 3 = 12 series.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    metrics_core::LabelValue,
    measured::FixedCardinalityLabel,
)]
#[metrics(rename_all = "snake_case")]
#[label(rename_all = "snake_case")]
pub(crate) enum Status {
    /// `ok`
    Ok,
    /// `retry`
    Retry,
    /// `failed`
    Failed,
}

/// A ten-valued label (`d0` to `d9`): two of them make F's 100 histogram series, four make G's 10,000 series.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    metrics_core::LabelValue,
    measured::FixedCardinalityLabel,
)]
#[metrics(rename_all = "snake_case")]
#[label(rename_all = "snake_case")]
pub(crate) enum Digit {
    /// `d0`
    D0,
    /// `d1`
    D1,
    /// `d2`
    D2,
    /// `d3`
    D3,
    /// `d4`
    D4,
    /// `d5`
    D5,
    /// `d6`
    D6,
    /// `d7`
    D7,
    /// `d8`
    D8,
    /// `d9`
    D9,
}

impl Digit {
    /// The digit of `n`'s decimal position `place` (0 = units), as a label value.
    pub(crate) fn of(n: usize, place: u32) -> Self {
        Self::ALL[n / 10usize.pow(place) % 10]
    }
}

/// Implements prometheus-client's and fastmetrics' label value traits through our `as_str`.
macro_rules! text_label_value {
    ($($ty:ty),*) => {$(
        impl prometheus_client::encoding::EncodeLabelValue for $ty {
            fn encode(
                &self,
                encoder: &mut prometheus_client::encoding::LabelValueEncoder<'_>,
            ) -> Result<(), std::fmt::Error> {
                std::fmt::Write::write_str(encoder, self.as_str())
            }
        }

        impl fastmetrics::encoder::EncodeLabelValue for $ty {
            fn encode(
                &self,
                encoder: &mut dyn fastmetrics::encoder::LabelEncoder,
            ) -> fastmetrics::error::Result<()> {
                encoder.encode_str_value(self.as_str())
            }
        }
    )*};
}

text_label_value!(Job, Status, Digit);

#[cfg(test)]
mod tests {
    use super::*;
    use measured::label::{LabelTestVisitor, LabelValue as _};

    #[test]
    fn every_library_sees_the_same_text() {
        for job in Job::ALL {
            assert_eq!(job.visit(LabelTestVisitor), job.as_str());
        }
        for status in Status::ALL {
            assert_eq!(status.visit(LabelTestVisitor), status.as_str());
        }
        assert_eq!(Digit::D7.as_str(), "d7");
        assert_eq!(Digit::D7.visit(LabelTestVisitor), "d7");
    }

    #[test]
    fn digits_of_a_number() {
        assert_eq!(Digit::of(4321, 0), Digit::D1);
        assert_eq!(Digit::of(4321, 3), Digit::D4);
        assert_eq!(Digit::of(7, 2), Digit::D0);
    }
}
