//! Simulated tools: a call sleeps for the tool's typical latency and fails at the synthetic failure rate.
//!
//! `#[measure]` records every call into the plan's `cogo_tool_latency_seconds{tool}` and, for an `Err`, into
//! `cogo_tool_errors_total{tool, reason}` with the reason from [`ToolError`]'s `ErrorReason`.

use metrics_core::{ErrorReason, measure};

// `#[measure]` names each family's labels struct beside it.
use super::metrics::{
    TOOL_ERRORS_TOTAL, TOOL_LATENCY_SECONDS, Tool, ToolErrorsTotalLabels, ToolLatencySecondsLabels,
};
use super::rng::Rng;

/// Why a tool call failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ErrorReason)]
pub enum ToolError {
    /// No answer in time.
    Timeout,
    /// The tool refused the call.
    RateLimited,
    /// The answer could not be used.
    BadResponse,
}

impl Tool {
    /// Typical latency in milliseconds.
    fn typical_ms(self) -> u64 {
        match self {
            Self::DbQuery => 12,
            Self::WebFetch => 60,
            Self::PdfRender => 90,
            Self::SmtpSend => 30,
        }
    }
}

/// Calls `tool`: sleeps its latency (a timeout takes longer), and fails with probability `failure_rate`.
///
/// # Errors
///
/// The synthetic failure drawn for this call.
#[measure(
    duration(TOOL_LATENCY_SECONDS, tool = tool),
    errors(TOOL_ERRORS_TOTAL, tool = tool, reason),
)]
pub async fn call(tool: Tool, failure_rate: f64, rng: &mut Rng) -> Result<(), ToolError> {
    let failure = rng.chance(failure_rate).then(|| match rng.below(3) {
        0 => ToolError::Timeout,
        1 => ToolError::RateLimited,
        _ => ToolError::BadResponse,
    });
    let millis = if failure == Some(ToolError::Timeout) {
        tool.typical_ms() * 3
    } else {
        tool.typical_ms()
    };
    tokio::time::sleep(rng.jitter_ms(millis)).await;
    failure.map_or(Ok(()), Err)
}
