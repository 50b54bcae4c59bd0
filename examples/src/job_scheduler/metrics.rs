//! The fifteen metrics of the scheduler's metrics plan, with the plan's names, types and labels, their label
//! types, and the three presets through which the instrumentation attributes record into them.
//!
//! The job-path families carry a `tenant` label declared `optional`: whether it is exposed is decided when the
//! served registry is built (see [`super::exposition`]), so recording code always says which tenant a job belongs
//! to, and with the label off the registry sums tenants away.

use metrics_core::{BoundedStr, Direction, LabelValue, metrics};

/// The tenants whose jobs the simulation runs: a closed set, so the `tenant` label is bounded by construction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Tenant {
    /// A tenant.
    Acme,
    /// A tenant.
    Globex,
    /// A tenant.
    Initech,
    /// A tenant.
    Umbrella,
}

/// The kinds of job, each a fixed sequence of tool and LLM steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum JobType {
    /// Looks up a customer, drafts a message with the LLM, sends it.
    Email,
    /// Two queries and a PDF render.
    Report,
    /// Fetches a page and summarizes it with the LLM.
    Summarize,
}

/// The two phases of a job's latency: waiting in the queue, then one attempt's run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Phase {
    /// From enqueue (or the end of a retry's backoff) to the claim.
    Queue,
    /// From the claim to the end of the attempt.
    Run,
}

/// Why an attempt failed: the `reason` of retries and terminal failures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum FailureReason {
    /// A tool call failed.
    ToolError,
    /// Every LLM candidate failed.
    LlmUnavailable,
    /// The lease expired before the worker finished (the worker stalled).
    LeaseLost,
    /// The job's payload was rejected before running; never retried.
    InvalidInput,
}

/// Dead-letter stage codes: the pipeline stage at which a job was dead-lettered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum DlqStage {
    /// Rejected at validation, before any attempt ran.
    Validate,
    /// Retries exhausted while executing (tool or LLM failures).
    Execute,
    /// Retries exhausted by lease expiries.
    Lease,
}

/// The tools jobs call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Tool {
    /// A database query.
    DbQuery,
    /// An HTTP fetch.
    WebFetch,
    /// A PDF renderer.
    PdfRender,
    /// An SMTP relay.
    SmtpSend,
}

/// LLM providers the router knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Provider {
    /// A provider.
    Openai,
    /// A provider.
    Anthropic,
    /// A provider.
    Mistral,
}

/// Regions a candidate is served from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Region {
    /// US east.
    UsEast,
    /// EU west.
    EuWest,
}

/// Why the router moved on to the next candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum FailoverReason {
    /// The candidate did not answer in time.
    Timeout,
    /// The candidate refused the request (HTTP 429).
    RateLimited,
    /// The candidate answered with a server error.
    ServerError,
}

/// The most workers the scheduler runs: the cap of the `worker_id` label (`BoundedStr<16>` below; the DSL
/// takes the cap as a literal). Model names are an open set upstream, capped at 16 as well.
pub const MAX_WORKERS: usize = 16;

metrics! {
    namespace = "cogo";

    /// Successful claims: the worker that won a job from the queue.
    pub counter scheduler_claim_total {
        tenant: Tenant, job_type: JobType, optional = tenant,
        // No claims scraped for 5 minutes: the scheduler is down or stopped claiming.
        objectives = [critical(runbook = "https://runbooks.example.invalid/cogo/scheduler-down")],
    }

    /// Claim attempts lost to another worker that claimed the same job first.
    pub counter scheduler_claim_conflict_total {
        tenant: Tenant, job_type: JobType, optional = tenant
    }

    /// Lease renewals by the worker holding a job.
    pub counter job_lease_renew_total { tenant: Tenant, job_type: JobType, optional = tenant }

    /// Leases that expired before their holder renewed them; the attempt is lost and the job retried.
    pub counter job_lease_expired_total {
        tenant: Tenant, job_type: JobType, optional = tenant,
        objectives = [increase(50, over = 15m, severity = warning)],
    }

    /// Job latency by phase: queue (enqueue or retry to claim) and run (claim to the end of the attempt).
    pub histogram job_latency_seconds {
        tenant: Tenant, job_type: JobType, phase: Phase, buckets = exponential(0.005, 2.0, 12),
        optional = tenant,
        // 95 % of attempts run within 2.56 s (a bucket bound) over 30 days.
        objectives = [latency(95% under 2.56, over = 30d, filter = [phase = run], name = run_latency)],
    }

    /// Retry attempts, by the reason the previous attempt failed.
    pub counter job_retries_total {
        tenant: Tenant, job_type: JobType, reason: FailureReason, optional = tenant
    }

    /// Terminal failures: jobs that will not run again, by the reason of their last attempt.
    pub counter job_failures_total {
        tenant: Tenant, job_type: JobType, reason: FailureReason, optional = tenant
    }

    /// Jobs dead-lettered, by stage code.
    pub counter job_dlq_total { tenant: Tenant, job_type: JobType, stage: DlqStage, optional = tenant }

    /// Jobs running now, per worker and job type.
    pub gauge worker_inflight_jobs {
        worker_id: BoundedStr<16>, job_type: JobType,
        // A worker runs one job at a time: more for 15 minutes is a leak of the in-flight guard.
        objectives = [above(1, for = 15m, severity = warning)],
    }

    /// Tool invocation latency.
    pub histogram tool_latency_seconds { tool: Tool, buckets = exponential(0.005, 2.0, 12) }

    /// Tool invocations that failed, by reason.
    pub counter tool_errors_total {
        tool: Tool, reason: BoundedStr<8>,
        // 99 % of tool calls succeed over 30 days: this family counts the failures, the latency histogram every call.
        objectives = [success_rate(
            99%, total = tool_latency_seconds, over = 30d, name = tool_success,
            summary = "Tool calls fail faster than their 99 % objective allows",
            runbook = "https://runbooks.example.invalid/cogo/tool-errors",
        )],
    }

    /// LLM tokens by provider, model and direction (in: prompt, out: completion).
    pub counter llm_tokens_total { provider: Provider, model: BoundedStr<16>, direction: Direction }

    /// Accumulated LLM cost in US dollars.
    pub counter llm_cost_usd_total: f64 { provider: Provider, model: BoundedStr<16>, unit = usd }

    /// The latest rank score of each router candidate (higher ranks first); exposed with `ROUTER_SCORE_V2=true`.
    pub gauge router_rank_score: f64 { provider: Provider, model: BoundedStr<16>, region: Region }

    /// Failover events: the router gave up on a candidate and tried the next one.
    pub counter router_failover_total { reason: FailoverReason }

    /// How `#[instrument_job]` records one attempt: its run phase into `cogo_job_latency_seconds` and the
    /// worker's `cogo_worker_inflight_jobs` while it runs. Arguments: `tenant`, `job_type`, `worker_id`.
    pub preset job_attempts: job {
        duration = job_latency_seconds { phase = Phase::Run },
        in_flight = worker_inflight_jobs,
    }

    /// How `#[instrument_tool]` records one call: `cogo_tool_latency_seconds`, and `cogo_tool_errors_total` with
    /// the error's reason. Argument: `tool`.
    pub preset tool_calls: tool {
        duration = tool_latency_seconds,
        failures = tool_errors_total { reason },
    }

    /// How `#[instrument_llm]` records one provider call: the response's tokens and cost. Arguments:
    /// `provider`, `model`.
    pub preset llm_calls: llm {
        tokens = llm_tokens_total { direction },
        cost = llm_cost_usd_total,
    }
}
