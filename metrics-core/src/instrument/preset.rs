//! What an instrumentation preset is: the built-in families one attribute records into, described as data.
//!
//! The attributes name a preset by one item (`__private::presets::JOB`); everything else about it (family names,
//! help, labels, buckets, kinds, which statics to link) is read from the value here, so a preset is added in one
//! place (`presets.rs`) and one variant of the macro's preset enum.

use std::sync::OnceLock;

use super::Operation;
use super::slice::linked;
use crate::family::Family;

/// The most families one preset may link: the attributes' expansion emits this many link entries per use.
pub const MAX_FAMILIES: usize = 8;

/// One built-in instrumentation preset: its families and how their series are keyed.
pub struct Preset {
    shape: Shape,
    /// The family statics, in the order the link entries take them.
    families: &'static [&'static dyn Family],
    /// The functions instrumented with this preset, sorted: filled once, on the first scrape or run that asks.
    operations: OnceLock<Vec<&'static Operation>>,
}

/// How a preset keys its series.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// One series set per instrumented function, labelled by the function's `function` and `module`
    /// (`#[instrument_job]`).
    PerFunction(FunctionFamilies),
    /// Series labelled by values the attribute evaluates at each call (`#[instrument_llm]`: provider, model).
    PerCall,
}

/// The four families of a per-function preset: runs and duration by outcome, in flight, failures by reason.
#[derive(Debug, Clone, Copy)]
pub struct FunctionFamilies {
    /// Finished runs by outcome (a counter, read from the duration histogram's counts).
    pub runs: Named,
    /// Run duration by outcome (a histogram in seconds over [`RUN_BUCKETS`](super::RUN_BUCKETS)).
    pub duration: Named,
    /// Runs in progress (a gauge: started minus finished, at scrape time).
    pub in_flight: Named,
    /// Runs that returned an error, by the error's reason (a counter).
    pub failures: Named,
}

/// A family's exposition name and help text.
#[derive(Debug, Clone, Copy)]
pub struct Named {
    /// The exposition name.
    pub name: &'static str,
    /// The help text.
    pub help: &'static str,
}

impl std::fmt::Debug for Preset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<_> = self
            .families
            .iter()
            .map(|family| family.descriptor().name)
            .collect();
        f.debug_struct("Preset")
            .field("shape", &self.shape)
            .field("families", &names)
            .finish_non_exhaustive()
    }
}

impl Preset {
    /// A preset with one series set per function, described by `families`, whose statics are `linked`.
    ///
    /// # Panics
    ///
    /// When `linked` is empty or longer than [`MAX_FAMILIES`]; in a `static` this is a compile-time error.
    pub const fn per_function(
        families: FunctionFamilies,
        linked: &'static [&'static dyn Family],
    ) -> Self {
        Self::new(Shape::PerFunction(families), linked)
    }

    /// A preset labelled per call, whose family statics are `linked`.
    ///
    /// # Panics
    ///
    /// As [`Preset::per_function`].
    pub const fn per_call(linked: &'static [&'static dyn Family]) -> Self {
        Self::new(Shape::PerCall, linked)
    }

    const fn new(shape: Shape, families: &'static [&'static dyn Family]) -> Self {
        assert!(
            !families.is_empty() && families.len() <= MAX_FAMILIES,
            "a preset links between one and MAX_FAMILIES families"
        );
        Self {
            shape,
            families,
            operations: OnceLock::new(),
        }
    }

    /// How the preset keys its series.
    pub const fn shape(&self) -> Shape {
        self.shape
    }

    /// The family linked by entry `index` of [`MAX_FAMILIES`]: the preset's own families first, then the first one
    /// again, which the registry keeps once (it drops a family linked twice by address). `const`, so a link entry's
    /// `static` can be initialised with it.
    pub const fn link(&self, index: usize) -> &'static dyn Family {
        if index < self.families.len() {
            self.families[index]
        } else {
            self.families[0]
        }
    }

    /// The linked functions instrumented with this preset, sorted by name, module, then location: a stable series order
    /// across builds.
    pub(crate) fn operations(&'static self) -> &'static [&'static Operation] {
        self.operations.get_or_init(|| {
            let mut found: Vec<&'static Operation> = linked()
                .iter()
                .copied()
                .filter(|op| std::ptr::eq(op.preset(), self))
                .collect();
            found.sort_by_key(|op| {
                let at = op.location();
                (op.name(), op.module(), at.file, at.line, at.column)
            });
            found
        })
    }
}
