//! Scenario J, the compile cost of declaring families: `cargo bench -p metrics-benches -- J`.
fn main() {
    println!("<!-- {} -->\n", metrics_benches::runner::cpu_model());
    metrics_benches::runner::main(&metrics_benches::scenarios::compile());
}
