//! Access and resource guards in front of every metrics endpoint.
//!
//! `check` runs for every route of the metrics router, including 404s and 405s: the peer must be on loopback
//! (unless remote access is allowed), the request must name a host the server answers for (see [`host`]), then
//! the bearer token must match (when one is configured). Refusals say nothing more than their status code, but
//! for the `Host` refusal's one line telling the operator which setting to change.

pub(crate) mod host;
pub(crate) mod limit;
pub(crate) mod peer;
pub(crate) mod timeout;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use crate::self_metrics::{RejectReason, reject};
use crate::state::Shared;

/// The guard middleware.
pub(crate) async fn check(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    if !shared.config.allow_remote {
        // Without the peer address (an app served without `ConnectInfo`), the guard cannot tell: it refuses.
        let peer = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip());
        if !peer.is_some_and(peer::is_loopback_peer) {
            reject(RejectReason::NotLoopback);
            return empty(StatusCode::FORBIDDEN);
        }
    }
    let answered = host::requested_host(request.uri(), request.headers())
        .is_ok_and(|host| shared.config.answers_host(host));
    if !answered {
        reject(RejectReason::MisdirectedHost);
        let mut response = Response::new(Body::from(
            "this server answers loopback host names only; METRICS_ALLOWED_HOSTS lists others\n",
        ));
        *response.status_mut() = StatusCode::MISDIRECTED_REQUEST;
        return response;
    }
    if let Some(token) = &shared.config.bearer_token
        && !token.matches(request.headers().get(AUTHORIZATION))
    {
        reject(RejectReason::Unauthorized);
        let mut response = empty(StatusCode::UNAUTHORIZED);
        response
            .headers_mut()
            .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return response;
    }
    let response = next.run(request).await;
    if response.status() == StatusCode::METHOD_NOT_ALLOWED {
        reject(RejectReason::MethodNotAllowed);
    }
    response
}

fn empty(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}
