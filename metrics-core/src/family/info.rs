//! Info families: one series of constant value 1 whose labels carry facts (version, commit, build).

use std::sync::RwLock;

use super::{Descriptor, Family};
use crate::series::{Sample, Series, SeriesSink};

/// An info family with `K` text labels. Nothing is exposed until [`InfoFamily::set`] is called.
#[derive(Debug)]
pub struct InfoFamily<const K: usize> {
    descriptor: &'static Descriptor,
    values: RwLock<Option<[Box<str>; K]>>,
}

impl<const K: usize> InfoFamily<K> {
    /// An info family that exposes nothing yet.
    pub const fn new(descriptor: &'static Descriptor) -> Self {
        Self {
            descriptor,
            values: RwLock::new(None),
        }
    }

    /// Sets (or replaces) the label values, in declaration order.
    pub fn set(&self, values: [&str; K]) {
        let owned = values.map(Box::from);
        *self
            .values
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(owned);
    }
}

impl<const K: usize> Family for InfoFamily<K> {
    fn descriptor(&self) -> &'static Descriptor {
        self.descriptor
    }

    fn collect(&self, sink: &mut dyn SeriesSink) {
        let guard = self
            .values
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(values) = guard.as_ref() {
            let refs: [&str; K] = std::array::from_fn(|i| &*values[i]);
            sink.series(&Series::new(&refs), &Sample::Info);
        }
    }
}
