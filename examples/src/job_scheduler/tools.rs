//! Simulated tools: a call sleeps for the tool's typical latency and fails at the synthetic failure rate.
//!
//! `#[instrument_tool]` records every call through the plan's preset [`TOOL_CALLS`](metrics::TOOL_CALLS) into
//! `cogo_tool_latency_seconds{tool}` and, for an `Err`, `cogo_tool_errors_total{tool, reason}` with the reason
//! from [`ToolError`]'s `ErrorReason`.

use metrics_core::{ErrorReason, instrument_tool};

use super::metrics::{self, Tool};
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
#[instrument_tool(preset = metrics::TOOL_CALLS, labels(tool = tool))]
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
