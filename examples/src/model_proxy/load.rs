//! The load generator: clients of the proxy, sent through the proxy's own router in process (routing, the
//! model middleware and the RED layer all run; only the socket is skipped). A quarter of the streams are
//! cancelled by their client after a few chunks.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt as _;
use metrics_core::LabelValue as _;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::ServiceExt as _;

use super::metrics::Model;
use crate::job_scheduler::rng::Rng;

/// One client request.
fn request(rng: &mut Rng) -> (Request<Body>, Option<usize>) {
    let model = Model::SERVED[rng.below(Model::SERVED.len())].as_str();
    let roll = rng.unit();
    let post = |body: String| {
        Request::post("/v1/chat/completions")
            .header("content-type", "application/json")
            .body(Body::from(body))
    };
    let (request, cancel_after) = if roll < 0.45 {
        let tokens = 64 + rng.next_u64() % 700;
        (
            post(format!(r#"{{"model":"{model}","max_tokens":{tokens}}}"#)),
            None,
        )
    } else if roll < 0.80 {
        let tools = rng.chance(0.5);
        let mode = if rng.chance(0.5) {
            "openai_json"
        } else {
            "obsidian_xml"
        };
        let cancel = rng.chance(0.25).then(|| 1 + rng.below(12));
        (
            post(format!(
                r#"{{"model":"{model}","stream":true,"tools":{tools},"output_mode":"{mode}","max_tokens":256}}"#
            )),
            cancel,
        )
    } else if roll < 0.88 {
        (Request::get("/v1/models").body(Body::empty()), None)
    } else if roll < 0.93 {
        let name = if rng.chance(0.8) { model } else { "gpt-2" };
        (
            Request::get(format!("/v1/models/{name}")).body(Body::empty()),
            None,
        )
    } else if roll < 0.96 {
        (Request::get("/readyz").body(Body::empty()), None)
    } else if rng.chance(0.5) {
        (post(r#"{"model":"gpt-5","#.to_owned()), None)
    } else {
        (post(r#"{"model":"llama-9000"}"#.to_owned()), None)
    };
    (request.unwrap_or_default(), cancel_after)
}

/// Sends requests at `per_second` through `app` until `stop`, while `paused` is false.
pub async fn generate(
    app: Router,
    per_second: f64,
    seed: u64,
    paused: Arc<AtomicBool>,
    mut stop: watch::Receiver<bool>,
) {
    let mut rng = Rng::new(seed ^ 0x10AD);
    let mut ticks = tokio::time::interval(Duration::from_secs_f64(1.0 / per_second));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut clients = JoinSet::new();
    while !*stop.borrow() {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = stop.changed() => continue,
        }
        while clients.try_join_next().is_some() {}
        if paused.load(Ordering::Relaxed) {
            continue;
        }
        let (request, cancel_after) = request(&mut rng);
        let app = app.clone();
        clients.spawn(async move {
            let Ok(response) = app.oneshot(request).await;
            let mut body = response.into_body();
            let mut frames = 0;
            while let Some(Ok(_)) = body.frame().await {
                frames += 1;
                // The client goes away: dropping the body cancels the stream.
                if cancel_after.is_some_and(|after| frames >= after) {
                    return;
                }
            }
        });
    }
    clients.shutdown().await;
}
