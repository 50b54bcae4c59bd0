//! The scenarios, one module each. A module builds its contenders (the floor, ours, every peer) and
//! turns their measurements into a table; its tests prove each contender records what the scenario says.

mod a_counter;
mod b_labelled;
mod c_handle;
#[cfg(test)]
mod checks;
mod d_histogram;
mod e_two_threads;
mod f_scrape;
mod g_memory;
mod h_instrument;
mod i_http;
mod j_compile;
mod k_process;
mod l_observable;
mod p_push;

use crate::contender::{Contender, Work};
use crate::harness::{self, Config};
use crate::report::{Row, Table};

/// A scenario the runner can select by its letter.
#[derive(Debug, Clone, Copy)]
pub struct Scenario {
    /// `A`, `B`...
    pub(crate) id: &'static str,
    /// Runs it and returns its tables (one, or more when the scenario has parts).
    pub(crate) run: fn(&Config) -> Vec<Table>,
}

/// The timed scenarios, in order: the `peers` bench binary runs them with the system allocator.
pub fn timed() -> Vec<Scenario> {
    vec![
        Scenario {
            id: "A",
            run: |config| vec![a_counter::run(config)],
        },
        Scenario {
            id: "B",
            run: |config| vec![b_labelled::run(config)],
        },
        Scenario {
            id: "C",
            run: |config| vec![c_handle::run(config)],
        },
        Scenario {
            id: "D",
            run: |config| vec![d_histogram::run(config)],
        },
        Scenario {
            id: "E",
            run: |config| vec![e_two_threads::run(config)],
        },
        Scenario {
            id: "F",
            run: |config| vec![f_scrape::run(config)],
        },
        Scenario {
            id: "H",
            run: h_instrument::run,
        },
        Scenario {
            id: "I",
            run: |config| vec![i_http::run(config)],
        },
        Scenario {
            id: "K",
            run: |config| vec![k_process::run(config)],
        },
        Scenario {
            id: "L",
            run: |config| vec![l_observable::run(config)],
        },
        Scenario {
            id: "P",
            run: |config| vec![p_push::run(config)],
        },
    ]
}

/// The memory scenario: the `memory` bench binary runs it under the counting allocator, which the timed
/// scenarios must not pay for.
pub fn memory() -> Vec<Scenario> {
    vec![Scenario {
        id: "G",
        run: g_memory::run,
    }]
}

/// The compile-cost scenario: the `compile` bench binary runs it, since it times `cargo check`, not this process.
pub fn compile() -> Vec<Scenario> {
    vec![Scenario {
        id: "J",
        run: j_compile::run,
    }]
}

/// Times every contender in turn; a row's value is the median nanoseconds per operation times `scale`.
pub(crate) fn time_all(
    table: &mut Table,
    contenders: &mut [Contender],
    config: &Config,
    scale: f64,
) {
    time_all_with(table, contenders, config, scale, |_, _| Vec::new());
}

/// As [`time_all`], with cells after the ratios computed from each contender and its median. With
/// `--interleaved`, single-thread contenders are timed interleaved ([`time_interleaved`]).
pub(crate) fn time_all_with(
    table: &mut Table,
    contenders: &mut [Contender],
    config: &Config,
    scale: f64,
    extra: impl Fn(&Contender, f64) -> Vec<String>,
) {
    if config.interleaved && contenders.iter().all(|c| matches!(c.work, Work::Ops(_))) {
        time_interleaved(table, contenders, config, scale, extra);
        return;
    }
    for contender in contenders {
        let name = contender_name(contender);
        if !config.selects(&name) {
            continue;
        }
        eprintln!("  {name}");
        let stats = match &mut contender.work {
            Work::Ops(work) => harness::measure(config, work.as_mut()),
            Work::TwoThreads(work) => harness::measure_two_threads(config, work),
        };
        table.rows.push(Row {
            library: contender.library,
            note: contender.note.to_owned(),
            value: stats.median * scale,
            spread: Some((stats.p10 * scale, stats.p90 * scale)),
            extra: extra(contender, stats.median * scale),
        });
    }
}

/// A contender's name as rows show it and `--only` selects it.
fn contender_name(contender: &Contender) -> String {
    if contender.note.is_empty() {
        contender.library.name().to_owned()
    } else {
        format!("{} ({})", contender.library.name(), contender.note)
    }
}

/// Times the selected single-thread contenders interleaved (`harness::measure_interleaved`: one batch of each in
/// turn) and adds their rows, in contender order.
pub(crate) fn time_interleaved(
    table: &mut Table,
    contenders: &mut [Contender],
    config: &Config,
    scale: f64,
    extra: impl Fn(&Contender, f64) -> Vec<String>,
) {
    let mut selected = Vec::new();
    let mut works: Vec<&mut dyn FnMut(usize, usize)> = Vec::new();
    for (index, contender) in contenders.iter_mut().enumerate() {
        let name = contender_name(contender);
        if let (true, Work::Ops(work)) = (config.selects(&name), &mut contender.work) {
            eprintln!("  {name}");
            selected.push(index);
            works.push(work.as_mut());
        }
    }
    let stats = harness::measure_interleaved(config, &mut works);
    for (index, stats) in selected.into_iter().zip(stats) {
        let contender = &contenders[index];
        table.rows.push(Row {
            library: contender.library,
            note: contender.note.to_owned(),
            value: stats.median * scale,
            spread: Some((stats.p10 * scale, stats.p90 * scale)),
            extra: extra(contender, stats.median * scale),
        });
    }
}
