//! Health checks of each dependency, every second (scaled), each with a deadline.
//!
//! `#[measure(count(HEALTH_CHECKS_TOTAL, component = .., result(outcome)))]` records each check by component and
//! result: `ok` on success, `fail` on an error or a panic, `timeout` when the deadline dropped the check's future
//! (the run's outcome, mapped by `From<RunOutcome> for HealthResult`).

use std::sync::Arc;

use metrics_core::{ErrorReason, measure};
use tokio::sync::watch;

use super::Shared;
use super::deps::{Dependency, World};
use super::metrics::{HEALTH_CHECKS_TOTAL, HealthChecksTotalLabels, HealthComponent};
use crate::job_scheduler::rng::Rng;

/// Why a check failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ErrorReason)]
pub enum HealthError {
    /// The dependency answered with an error.
    Unhealthy,
}

/// The components checked.
pub const COMPONENTS: [HealthComponent; 5] = [
    HealthComponent::Redis,
    HealthComponent::Kafka,
    HealthComponent::Postgres,
    HealthComponent::Somabrain,
    HealthComponent::Llm,
];

/// Checks `component`: a down memory service does not answer (the deadline ends the check), a down LLM answers
/// 503, the stores fail at the failure rate.
///
/// # Errors
///
/// The component is unhealthy.
#[measure(count(HEALTH_CHECKS_TOTAL, component = component, result(outcome)))]
pub async fn check(
    world: &World,
    component: HealthComponent,
    rng: &mut Rng,
) -> Result<(), HealthError> {
    let latency = world.latency(rng, 5);
    match component {
        HealthComponent::Somabrain if world.is_down(Dependency::Somabrain) => {
            tokio::time::sleep(world.period(10.0)).await;
        }
        HealthComponent::Llm if world.is_down(Dependency::PrimaryLlm) => {
            tokio::time::sleep(latency).await;
            return Err(HealthError::Unhealthy);
        }
        HealthComponent::Redis | HealthComponent::Kafka | HealthComponent::Postgres
            if world.fails(rng) =>
        {
            tokio::time::sleep(latency).await;
            return Err(HealthError::Unhealthy);
        }
        _ => tokio::time::sleep(latency).await,
    }
    Ok(())
}

/// Checks every component once, each within 200 ms (scaled); the results, in [`COMPONENTS`] order.
pub async fn check_all(world: &World, rng: &mut Rng) -> Vec<(HealthComponent, &'static str)> {
    let mut results = Vec::new();
    for component in COMPONENTS {
        let result = tokio::time::timeout(world.period(0.2), check(world, component, rng)).await;
        let text = match result {
            Ok(Ok(())) => "ok",
            Ok(Err(_)) => "fail",
            Err(_) => "timeout",
        };
        results.push((component, text));
    }
    results
}

/// Runs the checks every second (scaled) until `stop`.
pub async fn run(shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    let mut rng = Rng::new(shared.settings.seed ^ 0x4EA1);
    while !*stop.borrow() {
        check_all(&shared.world, &mut rng).await;
        tokio::select! {
            () = tokio::time::sleep(shared.world.period(1.0)) => {}
            _ = stop.changed() => {}
        }
    }
}
