//! A non-async function returning a future is measured as that future: the outcome is the future's output, not
//! the creation of the future.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use metrics_core::{ErrorReason, Format, Registry, instrument_job, instrument_tool};

#[derive(Debug, ErrorReason)]
enum Failure {
    Timeout,
}

#[instrument_job]
fn later(fail: bool) -> impl Future<Output = Result<u8, Failure>> + Send + 'static {
    async move { if fail { Err(Failure::Timeout) } else { Ok(1) } }
}

#[instrument_tool]
fn boxed<'a>(text: &'a str) -> Pin<Box<dyn Future<Output = usize> + Send + 'a>> {
    Box::pin(std::future::ready(text.len()))
}

fn ready<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => unreachable!("ready futures only"),
    }
}

fn main() {
    let pending = later(true);
    let text = || {
        Registry::global()
            .expect("valid")
            .encode_to_string(Format::Text004)
            .expect("encodes")
    };
    let module = module_path!();
    let failed = format!(
        "job_runs_total{{function=\"later\",module=\"{module}\",outcome=\"failure\"}} "
    );
    assert!(text().contains(&format!("{failed}0\n")), "nothing recorded before the future ends");
    assert!(ready(pending).is_err());
    assert!(text().contains(&format!("{failed}1\n")), "{}", text());
    assert_eq!(ready(boxed("four")), 4);
    assert!(text().contains(&format!(
        "tool_calls_total{{function=\"boxed\",module=\"{module}\",outcome=\"success\"}} 1\n"
    )));
}
