//! Logging: JSON lines on stdout for machines, readable text on a terminal;
//! level from `LOG_LEVEL` (or `RUST_LOG`). Every line goes through
//! [`redact`]: email addresses, phone numbers and bearer tokens never reach the
//! log, whatever a handler or a library writes.

use std::{
    borrow::Cow,
    io::{IsTerminal, Write},
    sync::{LazyLock, OnceLock},
};

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::SdkTracerProvider;

use regex::{Captures, Regex};
use tracing_subscriber::{EnvFilter, fmt, fmt::MakeWriter, prelude::*};

/// Installs the global subscriber. `filter` is a level or tracing directive; an
/// invalid one falls back to `info` with a warning rather than refusing to start.
pub fn init(filter: &str) {
    let (env_filter, invalid) = match EnvFilter::try_new(filter) {
        Ok(f) => (f, None),
        Err(e) => (EnvFilter::new("info"), Some(e.to_string())),
    };
    let (otel, otel_problem) = match otlp_layer() {
        Ok(layer) => (layer, None),
        Err(e) => (None, Some(e)),
    };
    let registry = tracing_subscriber::registry().with(env_filter).with(otel);
    let writer = Redacting(std::io::stdout);
    let result = if std::io::stdout().is_terminal() {
        registry
            .with(fmt::layer().with_target(false).with_writer(writer))
            .try_init()
    } else {
        registry.with(json_layer(writer)).try_init()
    };
    if result.is_ok()
        && let Some(e) = invalid
    {
        tracing::warn!(filter, error = %e, "invalid log filter; using info");
    }
    if let Some(e) = otel_problem {
        tracing::warn!(error = %e, "OpenTelemetry export is off: the OTLP exporter could not be built");
    } else if PROVIDER.get().is_some() {
        tracing::info!("exporting traces over OTLP/HTTP");
    }
}

static PROVIDER: OnceLock<SdkTracerProvider> = OnceLock::new();

/// Trace export over OTLP/HTTP (protobuf), on only when
/// `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is
/// set; the exporter reads the standard `OTEL_*` variables (headers, timeout,
/// batch delay). Spans: each request (with its request id), each named
/// database operation, each event-writer transaction.
fn otlp_layer<S>() -> Result<Option<impl tracing_subscriber::Layer<S>>, String>
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    let configured = [
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    ]
    .iter()
    .any(|v| std::env::var(v).is_ok_and(|s| !s.is_empty()));
    if !configured {
        return Ok(None);
    }
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .build()
        .map_err(|e| e.to_string())?;
    let provider = SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(
            opentelemetry_sdk::Resource::builder()
                .with_service_name("ats-scorer")
                .build(),
        )
        .build();
    let tracer = provider.tracer("ats-scorer");
    let _ = PROVIDER.set(provider);
    Ok(Some(tracing_opentelemetry::layer().with_tracer(tracer)))
}

/// Sends the spans still buffered (call before the process exits).
pub fn shutdown() {
    if let Some(provider) = PROVIDER.get()
        && let Err(e) = provider.shutdown()
    {
        eprintln!("OpenTelemetry shutdown: {e}");
    }
}

/// The JSON layer: one object per line with timestamp, level, target, message,
/// the event's fields and the current span's fields (the request id).
pub fn json_layer<S, W>(writer: W) -> impl tracing_subscriber::Layer<S>
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    fmt::layer()
        .json()
        .flatten_event(true)
        .with_current_span(true)
        .with_span_list(false)
        .with_writer(writer)
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
        .expect("valid regex")
});
static BEARER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+").expect("valid regex"));
/// Phone candidates: digits with separators; kept only if 9–15 digits and
/// written with a separator or a leading `+` (so timestamps and ids survive).
static PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\+?\(?\d[\d\s().-]{6,}\d").expect("valid regex"));

/// The text with emails, phone numbers and bearer tokens replaced.
pub fn redact(text: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(text);
    if BEARER.is_match(&out) {
        out = Cow::Owned(BEARER.replace_all(&out, "Bearer [redacted]").into_owned());
    }
    if EMAIL.is_match(&out) {
        out = Cow::Owned(EMAIL.replace_all(&out, "[email]").into_owned());
    }
    if PHONE.is_match(&out) {
        let replaced = PHONE.replace_all(&out, |c: &Captures| {
            let m = &c[0];
            let digits = m.bytes().filter(u8::is_ascii_digit).count();
            let separated = m.starts_with('+') || m.bytes().any(|b| b" ().-".contains(&b));
            let date_like = m.len() == 10 && m.as_bytes()[4] == b'-' && m.as_bytes()[7] == b'-';
            if (9..=15).contains(&digits) && separated && !date_like {
                "[phone]".to_string()
            } else {
                m.to_string()
            }
        });
        out = Cow::Owned(replaced.into_owned());
    }
    out
}

/// A `MakeWriter` whose writers buffer one log line and write it redacted.
pub struct Redacting<M>(pub M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for Redacting<M> {
    type Writer = RedactingWriter<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter {
            inner: self.0.make_writer(),
            buf: Vec::with_capacity(256),
        }
    }
}

pub struct RedactingWriter<W: Write> {
    inner: W,
    buf: Vec<u8>,
}

impl<W: Write> Write for RedactingWriter<W> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<W: Write> Drop for RedactingWriter<W> {
    fn drop(&mut self) {
        let text = String::from_utf8_lossy(&self.buf);
        let _ = self.inner.write_all(redact(&text).as_bytes());
        let _ = self.inner.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[test]
    fn redacts_emails_phones_and_bearer_tokens() {
        let line = "contact ana.lopez+jobs@example.co.uk or +1 (555) 010-0199, Authorization: Bearer abc.DEF-123_xyz";
        let out = redact(line);
        assert_eq!(
            out,
            "contact [email] or [phone], Authorization: Bearer [redacted]"
        );
    }

    #[test]
    fn keeps_timestamps_ids_durations_and_addresses() {
        for keep in [
            r#"{"timestamp":"2026-11-23T04:10:21.123456Z","level":"INFO"}"#,
            "request_id=3f2b8c1e-4d5a-4e6f-8a9b-0c1d2e3f4a5b visitor 00112233445566778899aabbccddeeff",
            "ts 1795392000000 took 12.5 ms from 127.0.0.1:3000 on 2026-11-23",
            "version 0.1.0",
        ] {
            assert_eq!(redact(keep), keep);
        }
    }

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl Write for Buffer {
        fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(data);
            Ok(data.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Buffer {
        type Writer = Buffer;
        fn make_writer(&'a self) -> Self::Writer {
            self.clone()
        }
    }

    #[test]
    fn log_lines_never_carry_an_email_a_phone_number_or_a_token() {
        let buffer = Buffer::default();
        let subscriber = tracing_subscriber::registry().with(json_layer(Redacting(buffer.clone())));
        tracing::subscriber::with_default(subscriber, || {
            let span = tracing::info_span!("request", request_id = "r-1");
            let _guard = span.enter();
            tracing::warn!(
                email = "jane.doe@example.com",
                header = "Bearer s3cr3t-t0ken",
                "reply to jane.doe@example.com or call +44 20 7946 0958"
            );
        });
        let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        assert!(!text.contains("jane.doe"), "{text}");
        assert!(!text.contains("7946"), "{text}");
        assert!(!text.contains("s3cr3t"), "{text}");
        let line: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
        assert_eq!(line["message"], "reply to [email] or call [phone]");
        assert_eq!(line["span"]["request_id"], "r-1");
        assert_eq!(line["level"], "WARN");
    }
}
