//! A histogram timer observes when it drops: dropping it at once records nothing useful, and is the
//! `unused_must_use` warning (denied here to pin its text).
#![deny(unused_must_use)]

metrics_core::metrics! {
    /// Render time.
    pub histogram render_seconds;
}

pub fn render() {
    RENDER_SECONDS.start_timer();
    // ... the work ...
}

fn main() {}
