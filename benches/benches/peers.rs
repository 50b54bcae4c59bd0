//! The timed scenarios (A to F, H, I, P), every library in one process: `cargo bench -p metrics-benches [-- LETTERS]`.
fn main() {
    println!(
        "<!-- {}; {} -->\n",
        metrics_benches::runner::cpu_model(),
        metrics_benches::runner::crate_versions()
    );
    metrics_benches::runner::main(&metrics_benches::scenarios::timed());
}
