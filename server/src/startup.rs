//! Building and running the application: database, router, listener, shutdown.

use std::{
    future::Future,
    net::SocketAddr,
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::Context;
use app::{App, shell};
use axum::{
    Router,
    extract::FromRef,
    middleware,
    routing::{any, get, post},
};
use leptos::config::LeptosOptions;
use leptos_axum::{LeptosRoutes, generate_route_list};
use sqlx::SqlitePool;
use tokio::net::TcpListener;
use tower_http::{compression::CompressionLayer, services::ServeDir};

use crate::{
    cli::Config,
    client::Identify,
    db,
    events::{self, EventWriter},
    experiments::Catalog,
    metrics::Metrics,
    ratelimit::Limits,
    routes, site,
    visitor::{self, VisitorId},
};
use axum::http::request::Parts;
use contract::experiments::Bootstrap;
use leptos::prelude::{provide_context, use_context};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    /// Whether the database accepts writes (readiness; see `db::Health`).
    pub storage: Arc<db::Health>,
    pub metrics: Arc<Metrics>,
    pub started_at: Instant,
    pub leptos: LeptosOptions,
    pub events: EventWriter,
    pub catalog: Arc<Catalog>,
    pub metrics_token: Option<Arc<str>>,
    /// The rate limiters of every write endpoint.
    pub limits: Arc<Limits>,
    /// Who the client is: trusted proxies and the address hasher.
    pub clients: Arc<Identify>,
    /// `--body-timeout-secs`.
    pub body_timeout: Duration,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

/// The whole router: probes, metrics, API, static assets and the Leptos pages.
/// The /metrics router alone, for `--metrics-addr`.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(routes::metrics::metrics))
        .layer(middleware::from_fn(crate::security_headers::add))
        .with_state(state)
}

/// The whole router: probes, metrics (unless served on their own address), API,
/// static assets and the Leptos pages.
pub fn app_router(state: AppState, with_metrics: bool) -> Router {
    let leptos_options = state.leptos.clone();
    let routes = generate_route_list(App);

    let pkg = Router::new()
        .route_service(
            "/pkg/{*file}",
            ServeDir::new(&*leptos_options.site_root)
                .precompressed_br()
                .precompressed_gzip(),
        )
        // The file-import worker (scripts/build-worker.sh), fetched only when a
        // file is picked; unhashed names, so revalidated on each use.
        .route_service(
            "/worker/{*file}",
            ServeDir::new(&*leptos_options.site_root)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(middleware::from_fn(site::pkg_cache_headers));

    let base = if with_metrics {
        Router::new().route("/metrics", get(routes::metrics::metrics))
    } else {
        Router::new()
    };
    let router = base
        .route("/health", get(routes::health::health))
        .route("/ready", get(routes::health::ready))
        .route("/dictionary/{file}", get(routes::dictionary::skills))
        .route("/api/feedback", post(routes::feedback::submit))
        .route("/api/events", post(routes::events::ingest))
        .merge(crate::admin::router(state.clone()))
        .route("/api/{*rest}", any(routes::api::not_found))
        .merge(pkg)
        .leptos_routes_with_context(
            &state,
            routes,
            {
                let catalog = state.catalog.clone();
                move || provide_page_context(&catalog)
            },
            {
                let options = leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            {
                let catalog = state.catalog.clone();
                move || provide_page_context(&catalog)
            },
            shell,
        ))
        .method_not_allowed_fallback(routes::api::method_not_allowed)
        .layer(middleware::from_fn(site::default_cache_headers))
        .layer(middleware::from_fn(visitor::ensure_visitor))
        .layer(middleware::from_fn_with_state(
            state.body_timeout,
            crate::net::body_deadline,
        ));
    serve_layers(router, state.metrics.clone())
        // Outermost: every layer and handler, and the request log, see the
        // same client (the TCP peer, or the client a trusted proxy names).
        .layer(middleware::from_fn_with_state(
            state.clients.clone(),
            crate::client::identify,
        ))
        .with_state(state)
}

/// The layers around every route, innermost first: compression; a panic
/// anywhere inside becomes a JSON 500 (`crate::panics`); security headers on
/// every answer, that 500 included; then metrics and the request log, which
/// therefore record what the client really received.
pub fn serve_layers<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    metrics: Arc<crate::metrics::Metrics>,
) -> Router<S> {
    router
        .layer(CompressionLayer::new())
        .layer(crate::panics::layer(metrics.clone()))
        .layer(middleware::from_fn(crate::security_headers::add))
        .layer(middleware::from_fn_with_state(
            metrics,
            crate::metrics::track_http,
        ))
        .layer(middleware::from_fn(crate::request_id::propagate))
}

/// What each server-rendered page needs to show the visitor's variants: the
/// visitor id, whether they may be tracked, and the experiments. The page
/// renders it into the HTML so the browser assigns the same variants.
fn provide_page_context(catalog: &Catalog) {
    let Some(parts) = use_context::<Parts>() else {
        return;
    };
    let visitor = parts
        .extensions
        .get::<VisitorId>()
        .map(|v| v.as_str().to_string())
        .unwrap_or_default();
    provide_context(Bootstrap {
        visitor,
        tracking: !routes::events::tracking_refused(&parts.headers),
        experiments: catalog.assignables(),
    });
    // The page's CSP names the nonce leptos_axum put on the inline hydration
    // script of this response (crate::security_headers).
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        let nonce = leptos::nonce::use_nonce();
        let csp = crate::security_headers::public_csp(nonce.as_deref());
        if let Ok(value) = axum::http::HeaderValue::from_str(&csp) {
            options.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

pub struct Application {
    listener: TcpListener,
    metrics_listener: Option<TcpListener>,
    local_addr: SocketAddr,
    state: AppState,
    config: Config,
}

impl Application {
    /// Opens the database (creating it and applying migrations), binds the
    /// listener and builds the router. Nothing is served until `run_until_stopped`.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let catalog = Catalog::load(&config.experiments, config.experiments_default)?;
        // Refuse to start on a database that cannot be written (read-only
        // file, folder or file system, full disk): the error names the file
        // and the cause, instead of a server that answers 500 to every write.
        let database = db::open(&config.database_url, config.database_max_size_mb).await?;
        database.health.ensure_lockable().await?;
        let pool = database.pool;
        db::migrate(&pool).await?;
        database.health.ensure_writable().await?;
        let catalog = Arc::new(catalog);
        crate::admin::experiments::backfill_conversions(&pool, &catalog).await?;
        let scored = crate::feedback::backfill_sentiment(&pool).await?;
        if scored > 0 {
            tracing::info!(
                messages = scored,
                "scored the sentiment of earlier feedback"
            );
        }

        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("cannot listen on {}", config.listen))?;
        let local_addr = listener.local_addr()?;
        let metrics_listener = match config.metrics_addr {
            Some(addr) => Some(
                TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("cannot listen on {addr} for /metrics"))?,
            ),
            None => None,
        };

        let metrics = Metrics::new();
        metrics.register_storage(&database.health);
        metrics.register_experiments(&catalog);
        metrics.register_process();
        let limits = Limits::new(
            config.events_rate,
            config.feedback_rate,
            metrics.edge.rate_limited_total.clone(),
            metrics.edge.rate_limit_keys.clone(),
        );
        let state = AppState {
            events: EventWriter::start(pool.clone(), metrics.clone(), catalog.clone()),
            db: pool,
            storage: database.health,
            metrics,
            started_at: Instant::now(),
            leptos: site::leptos_options(&config.site_root),
            catalog,
            metrics_token: config.metrics_token.as_deref().map(Arc::from),
            limits,
            clients: Arc::new(Identify {
                trusted: config.net.trusted_proxies.clone(),
                hasher: Default::default(),
            }),
            body_timeout: config.net.body_timeout,
        };
        Ok(Self {
            listener,
            metrics_listener,
            local_addr,
            state,
            config,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Where /metrics is served when `--metrics-addr` is set.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_listener
            .as_ref()
            .and_then(|l| l.local_addr().ok())
    }

    pub fn port(&self) -> u16 {
        self.local_addr.port()
    }

    pub fn db(&self) -> &SqlitePool {
        &self.state.db
    }

    /// The app's metrics (the registry `/metrics` serves), for tests that check
    /// a counter without scraping, e.g. that no handler panicked.
    pub fn metrics(&self) -> Arc<Metrics> {
        self.state.metrics.clone()
    }

    /// Serves until `shutdown` resolves, then stops accepting connections, lets
    /// in-flight requests finish (up to the configured timeout) and closes the pool.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let Self {
            listener,
            metrics_listener,
            local_addr,
            state,
            config,
        } = self;
        let pool = state.db.clone();
        events::spawn_retention(
            pool.clone(),
            config.event_retention_days,
            state.metrics.clone(),
        );
        routes::health::spawn_readiness(state.clone());
        crate::ratelimit::spawn_sweeper(state.limits.clone(), crate::ratelimit::SWEEP_EVERY);
        let router = app_router(state.clone(), metrics_listener.is_none());
        let net = config.net.clone();
        if let Some(metrics_listener) = metrics_listener {
            let conn_metrics = state.metrics.edge.conn("metrics");
            let metrics_app = metrics_router(state.clone());
            tracing::info!(address = %metrics_listener.local_addr()?, "serving /metrics");
            // Lives as long as the process: a scrape may come at any time. Its
            // own connection cap, so a flood of the app port cannot block scrapes.
            let net = net.clone();
            tokio::spawn(async move {
                crate::net::serve(
                    metrics_listener,
                    metrics_app,
                    &net,
                    conn_metrics,
                    std::future::pending(),
                    Duration::ZERO,
                )
                .await;
            });
        }

        tracing::info!(
            address = %local_addr,
            database = %config.database_url,
            trusted_proxies = net.trusted_proxies.0.len(),
            max_connections = net.max_connections,
            "listening"
        );

        // Each request carries ConnectInfo (the TCP peer); `client::identify`
        // turns it into the client (hashed before any limiter or log sees it).
        crate::net::serve(
            listener,
            router,
            &net,
            state.metrics.edge.conn("app"),
            shutdown,
            config.shutdown_timeout,
        )
        .await;

        pool.close().await;
        tracing::info!("stopped");
        Ok(())
    }
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c()
            .await
            .expect("failed to install the Ctrl-C handler");
    };
    #[cfg(unix)]
    let terminate = async {
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("failed to install the SIGTERM handler")
            .recv()
            .await;
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
