//! Every family has a `///` doc comment: it is the HELP text.

metrics_core::metrics! {
    pub counter jobs_total;
}

fn main() {}
