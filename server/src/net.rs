//! The accept loop: how connections are taken, limited, timed out and drained.
//!
//! `axum::serve` sets no timer on hyper, so it has no header-read timeout, and
//! no connection cap or idle timeout at all. [`serve`] is the same job with
//! the limits a public server needs ([`NetConfig`], flags in the README):
//!
//! - **Connection cap** (`--max-connections`): a semaphore permit per open
//!   connection. At the cap the loop stops accepting until one closes; new
//!   connections wait in the kernel's backlog (and are refused by the kernel
//!   when that is full), so the process never runs out of file descriptors.
//! - **Per-address share** (`--max-connections-per-address`): an address (an
//!   IPv4 address or an IPv6 /64) with that many connections open has its next
//!   ones closed right after `accept`, so one client holding idle sockets
//!   cannot take the whole cap from everyone else. Trusted proxies are exempt
//!   (they carry many clients); the counts live in memory only.
//! - **Header timeout** (`--header-timeout-secs`): hyper's
//!   `header_read_timeout` (HTTP/1), from the moment hyper waits for a
//!   request's head until the head is complete, whatever trickles in meanwhile;
//!   also how long a kept-alive connection may wait for its next request.
//! - **Idle timeout** (`--idle-timeout-secs`): [`IdleIo`] closes a connection
//!   on which no byte moved in either direction for that long (a client that
//!   connects and sends nothing, a stalled download, an idle HTTP/2 connection).
//! - **Body timeout** (`--body-timeout-secs`): [`body_deadline`] answers `408`
//!   when a request's body has not fully arrived that long after the handler
//!   began reading it (a stalled or trickled upload).
//! - **Graceful drain**: on shutdown the listener is closed, every connection
//!   finishes its in-flight request (`hyper_util`'s graceful shutdown) and the
//!   loop returns; after `--shutdown-timeout-secs` the rest are aborted.
//!
//! Each request carries `ConnectInfo<SocketAddr>` (the TCP peer), as with
//! `axum::serve(…into_make_service_with_connect_info)`.

use std::{
    collections::HashMap,
    future::Future,
    io,
    net::IpAddr,
    pin::Pin,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    task::{Context, Poll},
    time::Duration,
};

use axum::{
    Router,
    body::{Body, Bytes},
    extract::{ConnectInfo, Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::{conn::auto, graceful::GracefulShutdown},
    service::TowerToHyperService,
};
use prometheus::{IntCounter, IntGauge};
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::TcpListener,
    sync::Semaphore,
    task::JoinSet,
    time::{Instant, Sleep},
};
use tower::ServiceExt;

use crate::{client::TrustedProxies, error::ApiError};

/// The network limits of the server (`serve` flags; defaults in [`Default`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetConfig {
    /// Peers whose forwarding headers are believed (`--trusted-proxies`).
    pub trusted_proxies: TrustedProxies,
    /// Longest wait for a request's head, and between kept-alive requests.
    pub header_timeout: Duration,
    /// Longest time a request body may take to arrive once the handler reads it.
    pub body_timeout: Duration,
    /// Longest time a connection may move no byte either way.
    pub idle_timeout: Duration,
    /// Most connections open at once, per listener.
    pub max_connections: usize,
    /// Most connections open at once from one address (trusted proxies exempt).
    pub max_connections_per_address: usize,
}

/// Default of `--header-timeout-secs`.
pub const DEFAULT_HEADER_TIMEOUT_SECS: u64 = 10;
/// Default of `--body-timeout-secs`.
pub const DEFAULT_BODY_TIMEOUT_SECS: u64 = 30;
/// Default of `--idle-timeout-secs`.
pub const DEFAULT_IDLE_TIMEOUT_SECS: u64 = 60;
/// Default of `--max-connections` (under the usual 1,024 file descriptors,
/// leaving room for the database, the log and the metrics listener).
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;
/// Default of `--max-connections-per-address`: an eighth of the cap, room for
/// an office of browsers behind one NAT (a browser opens up to 6 per host).
pub const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS: usize = 64;

impl Default for NetConfig {
    fn default() -> Self {
        Self {
            trusted_proxies: TrustedProxies::default(),
            header_timeout: Duration::from_secs(DEFAULT_HEADER_TIMEOUT_SECS),
            body_timeout: Duration::from_secs(DEFAULT_BODY_TIMEOUT_SECS),
            idle_timeout: Duration::from_secs(DEFAULT_IDLE_TIMEOUT_SECS),
            max_connections: DEFAULT_MAX_CONNECTIONS,
            max_connections_per_address: DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
        }
    }
}

/// The connection metrics of one listener (series of
/// `ats_scorer_connections_*` with its `listener` label).
#[derive(Clone)]
pub struct ConnMetrics {
    /// Connections open now.
    pub open: IntGauge,
    /// Connections accepted.
    pub accepted: IntCounter,
    /// Times the loop stopped accepting because the cap was reached.
    pub at_cap: IntCounter,
    /// Connections closed on accept: their address had its share open.
    pub over_address_share: IntCounter,
    /// Connections closed by the header timeout.
    pub header_timeouts: IntCounter,
    /// Connections closed by the idle timeout.
    pub idle_timeouts: IntCounter,
}

/// Serves `router` on `listener` until `shutdown` resolves, then drains (see
/// the module documentation); returns once every connection is closed or
/// `drain_timeout` has passed (the rest are then aborted).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    config: &NetConfig,
    metrics: ConnMetrics,
    shutdown: impl Future<Output = ()> + Send,
    drain_timeout: Duration,
) {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(config.header_timeout)
        .keep_alive(true);
    builder.http2().timer(TokioTimer::new());
    let builder = Arc::new(builder);
    let permits = Arc::new(Semaphore::new(config.max_connections.max(1)));
    let shares = AddressShares::new(
        config.max_connections_per_address.max(1),
        config.trusted_proxies.clone(),
    );
    let graceful = GracefulShutdown::new();
    let mut connections = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);

    loop {
        while connections.try_join_next().is_some() {}
        let permit = match permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                metrics.at_cap.inc();
                tracing::debug!(
                    max_connections = config.max_connections,
                    "connection cap reached: accepting again when one closes"
                );
                tokio::select! {
                    permit = permits.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
                    () = &mut shutdown => break,
                }
            }
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of descriptors or a connection reset before accept:
                    // wait a little instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        metrics.accepted.inc();
        let Some(share) = shares.take(peer.ip()) else {
            metrics.over_address_share.inc();
            tracing::debug!("connection closed: its address has its share of connections open");
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        metrics.open.inc();

        let service = router
            .clone()
            .map_request(move |mut req: Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                req.map(Body::new)
            });
        let idle_fired = Arc::new(AtomicBool::new(false));
        let io = TokioIo::new(IdleIo::new(stream, config.idle_timeout, idle_fired.clone()));
        let watcher = graceful.watcher();
        let builder = builder.clone();
        let metrics = metrics.clone();
        connections.spawn(async move {
            let conn =
                builder.serve_connection_with_upgrades(io, TowerToHyperService::new(service));
            let result = watcher.watch(conn).await;
            if idle_fired.load(Ordering::Relaxed) {
                metrics.idle_timeouts.inc();
            } else if let Err(e) = &result
                && e.downcast_ref::<hyper::Error>()
                    .is_some_and(hyper::Error::is_timeout)
            {
                metrics.header_timeouts.inc();
            }
            metrics.open.dec();
            drop(share);
            drop(permit);
        });
    }

    drop(listener);
    tracing::info!(
        connections = connections.len(),
        "shutdown requested: finishing in-flight requests"
    );
    if tokio::time::timeout(drain_timeout, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            timeout_secs = drain_timeout.as_secs(),
            "shutdown timed out: dropping remaining connections"
        );
    }
    connections.shutdown().await;
}

/// Open connections by address (`ratelimit::canonical` of its IP).
type OpenByAddress = Arc<Mutex<HashMap<([u8; 8], u8), usize>>>;

/// How many connections each address has open, against its share.
#[derive(Clone)]
struct AddressShares {
    max: usize,
    exempt: TrustedProxies,
    open: OpenByAddress,
}

/// One open connection of an address; gives its place back on drop.
struct Share {
    key: Option<([u8; 8], u8)>,
    open: OpenByAddress,
}

impl AddressShares {
    fn new(max: usize, exempt: TrustedProxies) -> Self {
        Self {
            max,
            exempt,
            open: Arc::default(),
        }
    }

    /// A place for one more connection from `ip`, or `None` when its address
    /// already has `max` open. Trusted proxies always get one.
    fn take(&self, ip: IpAddr) -> Option<Share> {
        if self.exempt.contains(ip) {
            return Some(Share {
                key: None,
                open: self.open.clone(),
            });
        }
        let key = crate::ratelimit::canonical(ip);
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(key).or_default();
        if *n >= self.max {
            return None;
        }
        *n += 1;
        Some(Share {
            key: Some(key),
            open: self.open.clone(),
        })
    }
}

impl Drop for Share {
    fn drop(&mut self) {
        if let Some(key) = self.key {
            let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(n) = open.get_mut(&key) {
                *n -= 1;
                if *n == 0 {
                    open.remove(&key);
                }
            }
        }
    }
}

/// A connection that fails with `TimedOut` once no byte has moved either way
/// for `timeout` (checked only while the connection waits on the socket).
pub struct IdleIo<T> {
    inner: T,
    timeout: Duration,
    last: Instant,
    sleep: Pin<Box<Sleep>>,
    fired: Arc<AtomicBool>,
}

impl<T> IdleIo<T> {
    /// Wraps `inner`; `fired` is set when the timeout closes it.
    pub fn new(inner: T, timeout: Duration, fired: Arc<AtomicBool>) -> Self {
        let last = Instant::now();
        Self {
            inner,
            timeout,
            last,
            sleep: Box::pin(tokio::time::sleep_until(last + timeout)),
            fired,
        }
    }

    /// A write's outcome: bytes written move the idle clock; a write that
    /// cannot proceed fails once the connection has been idle too long.
    fn after_write(
        &mut self,
        cx: &mut Context<'_>,
        polled: Poll<io::Result<usize>>,
    ) -> Poll<io::Result<usize>> {
        match polled {
            Poll::Ready(Ok(n)) => {
                if n > 0 {
                    self.last = Instant::now();
                }
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => match self.expired(cx) {
                Some(e) => Poll::Ready(Err(e)),
                None => Poll::Pending,
            },
        }
    }

    /// `Some(error)` once idle for the whole timeout; otherwise arranges to
    /// be woken when it could be.
    fn expired(&mut self, cx: &mut Context<'_>) -> Option<io::Error> {
        while self.sleep.as_mut().poll(cx).is_ready() {
            let deadline = self.last + self.timeout;
            if deadline > Instant::now() {
                self.sleep.as_mut().reset(deadline);
                continue;
            }
            self.fired.store(true, Ordering::Relaxed);
            return Some(io::Error::new(
                io::ErrorKind::TimedOut,
                "connection idle for too long",
            ));
        }
        None
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for IdleIo<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(result) => {
                if buf.filled().len() > before {
                    this.last = Instant::now();
                }
                Poll::Ready(result)
            }
            Poll::Pending => match this.expired(cx) {
                Some(e) => Poll::Ready(Err(e)),
                None => Poll::Pending,
            },
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for IdleIo<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write(cx, data);
        this.after_write(cx, polled)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.after_write(cx, polled)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_flush(cx) {
            Poll::Pending => match this.expired(cx) {
                Some(e) => Poll::Ready(Err(e)),
                None => Poll::Pending,
            },
            ready => ready,
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// Middleware: a request whose body has not fully arrived `timeout` after it
/// first kept its reader waiting is answered `408` (`request_timeout`),
/// whatever the handler made of the failed read. State: the timeout.
///
/// A whole-body deadline rather than `tower_http`'s `RequestBodyTimeoutLayer`,
/// whose timeout restarts with every frame: a client trickling a byte now and
/// then would never trip it.
pub async fn body_deadline(State(timeout): State<Duration>, req: Request, next: Next) -> Response {
    let hit = Arc::new(AtomicBool::new(false));
    let flag = hit.clone();
    let req = req.map(|body| {
        Body::new(DeadlineBody {
            inner: body,
            timeout,
            sleep: None,
            hit: flag,
        })
    });
    let response = next.run(req).await;
    if hit.load(Ordering::Relaxed) {
        return ApiError::RequestTimeout.into_response();
    }
    response
}

/// The error a [`DeadlineBody`] yields when its time is up.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive in time")]
pub struct BodyTimedOut;

/// A request body that must end within `timeout` of its first wait.
struct DeadlineBody {
    inner: Body,
    timeout: Duration,
    sleep: Option<Pin<Box<Sleep>>>,
    hit: Arc<AtomicBool>,
}

impl http_body::Body for DeadlineBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        let this = self.get_mut();
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            return Poll::Ready(frame);
        }
        // The clock starts the first time the body keeps the reader waiting.
        let timeout = this.timeout;
        let sleep = this
            .sleep
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        if sleep.as_mut().poll(cx).is_ready() {
            this.hit.store(true, Ordering::Relaxed);
            return Poll::Ready(Some(Err(axum::Error::new(BodyTimedOut))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}
