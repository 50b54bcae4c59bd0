//! The doc comment is the HELP text: an empty one says nothing to whoever reads the metric.

metrics_core::metrics! {
    ///
    pub counter jobs_total;
}

fn main() {}
