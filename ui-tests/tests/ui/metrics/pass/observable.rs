//! Observable counters and gauges, with enum labels and without, name their observer type and link themselves.
use metrics_core::{Family, LabelValue, metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Queue {
    Fast,
    Slow,
}

metrics! {
    /// Jobs waiting.
    pub gauge queue_depth { queue: Queue, observe = read_depth }

    /// Rows ever written to the outbox.
    pub counter outbox_rows_total { observe = read_rows }

    /// Fill of the buffer.
    pub gauge buffer_fill_ratio: f64 { observe = read_fill }
}

fn read_depth(out: &mut QueueDepthObserver<'_>) {
    out.observe(QueueDepthLabels { queue: Queue::Fast }, 3);
}

fn read_rows(out: &mut OutboxRowsTotalObserver<'_>) {
    out.set(42);
}

fn read_fill(out: &mut BufferFillRatioObserver<'_>) {
    out.set(0.5);
}

fn main() {
    assert_eq!(QUEUE_DEPTH.descriptor().name, "queue_depth");
    let _ = (&OUTBOX_ROWS_TOTAL, &BUFFER_FILL_RATIO);
}
