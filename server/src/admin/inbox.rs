//! The feedback inbox: `/admin/feedback` (list, filters, search, themes, bulk
//! triage), `/admin/feedback/{id}` (detail and triage), and the same as JSON
//! under `/api/admin/feedback`, including the streamed CSV/JSON export.

use std::{collections::BTreeMap, convert::Infallible};

use axum::{
    Extension, Json,
    body::{Body, Bytes},
    extract::{Path, RawQuery, State},
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use contract::{
    FieldErrors,
    feedback::{Category, Kind, Question},
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Sqlite};

use super::{
    auth::{Principal, encode_component, form_urlencoded_pairs},
    html::{self, Section},
    sentiment::Label,
    terms,
};
use crate::{error::ApiError, startup::AppState};

pub const PAGE_SIZE: i64 = 50;
pub const STATUSES: [&str; 3] = ["new", "in_progress", "done"];
pub const MAX_NOTE_CHARS: usize = 5_000;
pub const MAX_BULK: usize = 500;

fn status_label(s: &str) -> &'static str {
    match s {
        "new" => "New",
        "in_progress" => "In progress",
        "done" => "Done",
        _ => "?",
    }
}

/// The inbox filters, from the query string; every value checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub kind: Option<String>,
    pub category: Option<String>,
    pub question: Option<String>,
    pub rating: Option<i64>,
    /// `experiment:variant`
    pub variant: Option<(String, String)>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub status: Option<String>,
    pub sentiment: Option<Label>,
    pub q: Option<String>,
    /// Keyset cursor: rows older than this `(created_at, id)`.
    pub before: Option<(String, String)>,
}

impl Filter {
    /// Parses the query string; unknown parameters are ignored (e.g. `format`).
    pub fn parse(query: &str, state: &AppState) -> Result<Self, BTreeMap<String, String>> {
        let mut f = Filter::default();
        let mut errors = BTreeMap::new();
        for (k, v) in form_urlencoded_pairs(query.as_bytes()) {
            let v = v.trim().to_string();
            if v.is_empty() {
                continue;
            }
            let mut bad = |msg: String| {
                errors.insert(k.clone(), msg);
            };
            match k.as_str() {
                "kind" => match Kind::parse(&v) {
                    Some(_) => f.kind = Some(v),
                    None => bad("must be rating, form or contact".into()),
                },
                "category" => match Category::parse(&v) {
                    Some(_) => f.category = Some(v),
                    None => bad("must be bug, feature, question, praise or other".into()),
                },
                "question" => match Question::parse(&v) {
                    Some(_) => f.question = Some(v),
                    None => bad("must be accuracy or helpfulness".into()),
                },
                "rating" => match v.parse::<i64>() {
                    Ok(r @ 1..=5) => f.rating = Some(r),
                    _ => bad("must be a whole number from 1 to 5".into()),
                },
                "variant" => {
                    let known =
                        v.split_once(':').filter(|(e, var)| {
                            state.catalog.experiments.iter().any(|x| {
                                x.key == *e && x.variants.iter().any(|(name, _)| name == var)
                            })
                        });
                    match known {
                        Some((e, var)) => f.variant = Some((e.to_string(), var.to_string())),
                        None => bad("must be experiment:variant of a configured experiment".into()),
                    }
                }
                "from" | "to" => {
                    if crate::events::day_number(&v).is_some() {
                        if k == "from" {
                            f.from = Some(v)
                        } else {
                            f.to = Some(v)
                        }
                    } else {
                        bad("must be a date as YYYY-MM-DD".into())
                    }
                }
                "status" => {
                    if STATUSES.contains(&v.as_str()) {
                        f.status = Some(v)
                    } else {
                        bad("must be new, in_progress or done".into())
                    }
                }
                "sentiment" => match Label::parse(&v) {
                    Some(l) => f.sentiment = Some(l),
                    None => bad("must be positive, neutral or negative".into()),
                },
                "q" => {
                    if v.chars().count() > 200 {
                        bad("must be at most 200 characters".into())
                    } else if fts_query(&v).is_none() {
                        bad("must contain a word to search for".into())
                    } else {
                        f.q = Some(v)
                    }
                }
                "before" => match v.split_once('|') {
                    Some((t, id)) if contract::text::is_uuid(id) && t.len() <= 40 => {
                        f.before = Some((t.to_string(), id.to_string()))
                    }
                    _ => bad("is not a cursor this inbox made".into()),
                },
                _ => {}
            }
        }
        if let (Some(a), Some(b)) = (&f.from, &f.to)
            && a > b
        {
            errors.insert("to".into(), "must not be before from".into());
        }
        if errors.is_empty() {
            Ok(f)
        } else {
            Err(errors)
        }
    }

    /// The filter as a query string (without the cursor), for links.
    pub fn query_string(&self) -> String {
        let mut parts = Vec::new();
        let mut push = |k: &str, v: &str| parts.push(format!("{k}={}", encode_component(v)));
        if let Some(v) = &self.kind {
            push("kind", v)
        }
        if let Some(v) = &self.category {
            push("category", v)
        }
        if let Some(v) = &self.question {
            push("question", v)
        }
        if let Some(v) = self.rating {
            push("rating", &v.to_string())
        }
        if let Some((e, v)) = &self.variant {
            push("variant", &format!("{e}:{v}"))
        }
        if let Some(v) = &self.from {
            push("from", v)
        }
        if let Some(v) = &self.to {
            push("to", v)
        }
        if let Some(v) = &self.status {
            push("status", v)
        }
        if let Some(v) = self.sentiment {
            push("sentiment", v.as_str())
        }
        if let Some(v) = &self.q {
            push("q", v)
        }
        parts.join("&")
    }

    /// Appends ` WHERE …` for this filter (the cursor too when `with_cursor`).
    pub fn push_where(&self, q: &mut QueryBuilder<Sqlite>, with_cursor: bool) {
        q.push(" WHERE 1 = 1");
        if let Some(v) = &self.kind {
            q.push(" AND f.kind = ").push_bind(v.clone());
        }
        if let Some(v) = &self.category {
            q.push(" AND f.category = ").push_bind(v.clone());
        }
        if let Some(v) = &self.question {
            q.push(" AND f.question = ").push_bind(v.clone());
        }
        if let Some(v) = self.rating {
            q.push(" AND f.rating = ").push_bind(v);
        }
        if let Some((e, v)) = &self.variant {
            q.push(" AND json_extract(f.variants, ")
                .push_bind(format!("$.\"{e}\""))
                .push(") = ")
                .push_bind(v.clone());
        }
        if let Some(v) = &self.from {
            q.push(" AND f.created_at >= ").push_bind(v.clone());
        }
        if let Some(v) = &self.to {
            q.push(" AND f.created_at < date(")
                .push_bind(v.clone())
                .push(", '+1 day')");
        }
        if let Some(v) = &self.status {
            q.push(" AND f.status = ").push_bind(v.clone());
        }
        if let Some(l) = self.sentiment {
            q.push(" AND f.").push(l.sql());
        }
        if let Some(text) = self.q.as_deref().and_then(fts_query) {
            q.push(" AND f.rowid IN (SELECT rowid FROM feedback_fts WHERE feedback_fts MATCH ")
                .push_bind(text)
                .push(")");
        }
        if with_cursor && let Some((t, id)) = &self.before {
            q.push(" AND (f.created_at, f.id) < (")
                .push_bind(t.clone())
                .push(", ")
                .push_bind(id.clone())
                .push(")");
        }
    }
}

/// Turns what someone typed into an FTS5 query that cannot be a syntax error:
/// every word quoted (all must match); a trailing `*` keeps prefix search.
pub fn fts_query(input: &str) -> Option<String> {
    let terms: Vec<String> = input
        .split(|c: char| !(c.is_alphanumeric() || c == '*' || c == '\''))
        .filter_map(|w| {
            let prefix = w.ends_with('*');
            let word: String = w.chars().filter(|c| c.is_alphanumeric()).collect();
            (!word.is_empty()).then(|| format!("\"{word}\"{}", if prefix { "*" } else { "" }))
        })
        .take(16)
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Row {
    pub id: String,
    pub created_at: String,
    pub kind: String,
    pub question: Option<String>,
    pub rating: Option<i64>,
    pub category: Option<String>,
    pub message: Option<String>,
    pub email: Option<String>,
    pub status: String,
    pub note: Option<String>,
    pub sentiment: Option<f64>,
    pub variants: String,
    pub algorithm: Option<String>,
    pub score: Option<i64>,
    pub page: String,
    pub ua_class: String,
    pub updated_at: Option<String>,
}

const COLUMNS: &str = "f.id, f.created_at, f.kind, f.question, f.rating, f.category, f.message, f.email, \
     f.status, f.note, f.sentiment, f.variants, f.algorithm, f.score, f.page, f.ua_class, f.updated_at";

/// One page of the inbox, newest first.
pub struct Listing {
    pub total: i64,
    pub rows: Vec<Row>,
    pub next: Option<String>,
}

pub async fn list(state: &AppState, filter: &Filter) -> Result<Listing, ApiError> {
    let mut count: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT COUNT(*) FROM feedback f");
    filter.push_where(&mut count, false);
    let total: i64 = count.build_query_scalar().fetch_one(&state.db).await?;

    let mut q: QueryBuilder<Sqlite> =
        QueryBuilder::new(format!("SELECT {COLUMNS} FROM feedback f"));
    filter.push_where(&mut q, true);
    q.push(" ORDER BY f.created_at DESC, f.id DESC LIMIT ")
        .push_bind(PAGE_SIZE + 1);
    let mut rows: Vec<Row> = q.build_query_as().fetch_all(&state.db).await?;
    let next = if rows.len() as i64 > PAGE_SIZE {
        rows.truncate(PAGE_SIZE as usize);
        rows.last().map(|r| format!("{}|{}", r.created_at, r.id))
    } else {
        None
    };
    Ok(Listing { total, rows, next })
}

pub async fn get_row(state: &AppState, id: &str) -> Result<Row, ApiError> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM feedback f WHERE f.id = ?"
    )))
    .bind(id)
    .fetch_optional(&state.db)
    .await?
    .ok_or(ApiError::NotFound)
}

fn validation(fields: BTreeMap<String, String>) -> ApiError {
    FieldErrors(fields).into()
}

// ---------- triage ----------

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Triage {
    pub status: Option<String>,
    /// `Some("")` clears the note.
    pub note: Option<String>,
}

/// Checks a triage change; returns the note as it will be stored (the
/// shared text rule, `contract::text::clean_text`; `Some("")` clears it).
fn check_triage(t: &Triage) -> Result<Option<String>, ApiError> {
    let mut errors = BTreeMap::new();
    if let Some(s) = &t.status
        && !STATUSES.contains(&s.as_str())
    {
        errors.insert("status".into(), "must be new, in_progress or done".into());
    }
    let note = match t.note.as_deref().map(contract::text::clean_text) {
        None => None,
        Some(Ok(n)) if n.chars().count() > MAX_NOTE_CHARS => {
            errors.insert(
                "note".into(),
                format!("must be at most {MAX_NOTE_CHARS} characters"),
            );
            None
        }
        Some(Ok(n)) => Some(n),
        Some(Err(problem)) => {
            errors.insert("note".into(), problem);
            None
        }
    };
    if t.status.is_none() && t.note.is_none() {
        errors.insert("status".into(), "give a status or a note to change".into());
    }
    if errors.is_empty() {
        Ok(note)
    } else {
        Err(validation(errors))
    }
}

pub async fn apply_triage(
    state: &AppState,
    id: &str,
    t: &Triage,
    who: &Principal,
) -> Result<Row, ApiError> {
    let note = check_triage(t)?;
    let updated = sqlx::query(
        "UPDATE feedback SET
            status = COALESCE(?, status),
            note = CASE WHEN ? THEN NULLIF(?, '') ELSE note END,
            updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE id = ?",
    )
    .bind(t.status.as_deref())
    .bind(note.is_some())
    .bind(note.as_deref().unwrap_or(""))
    .bind(id)
    .execute(&state.db)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(ApiError::NotFound);
    }
    tracing::info!(admin = %who.label(), feedback = %id, status = ?t.status, "feedback triaged");
    get_row(state, id).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bulk {
    pub ids: Vec<String>,
    pub status: String,
}

pub async fn apply_bulk(state: &AppState, b: &Bulk, who: &Principal) -> Result<u64, ApiError> {
    let mut errors = BTreeMap::new();
    if b.ids.is_empty() {
        errors.insert("ids".into(), "select at least one row".into());
    } else if b.ids.len() > MAX_BULK {
        errors.insert("ids".into(), format!("at most {MAX_BULK} rows at once"));
    } else if let Some(i) = b.ids.iter().position(|id| !contract::text::is_uuid(id)) {
        errors.insert(format!("ids[{i}]"), "is not a feedback id".into());
    }
    if !STATUSES.contains(&b.status.as_str()) {
        errors.insert("status".into(), "must be new, in_progress or done".into());
    }
    if !errors.is_empty() {
        return Err(validation(errors));
    }
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new("UPDATE feedback SET status = ");
    q.push_bind(b.status.clone())
        .push(", updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id IN (");
    let mut sep = q.separated(", ");
    for id in &b.ids {
        sep.push_bind(id.clone());
    }
    q.push(")");
    let n = q.build().execute(&state.db).await?.rows_affected();
    tracing::info!(admin = %who.label(), rows = n, status = %b.status, "feedback triaged in bulk");
    Ok(n)
}

// ---------- JSON API ----------

#[derive(Serialize)]
pub struct ListJson {
    pub total: i64,
    pub items: Vec<Row>,
    pub next_cursor: Option<String>,
}

pub async fn api_list(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<ListJson>, ApiError> {
    let filter = Filter::parse(query.as_deref().unwrap_or(""), &state).map_err(validation)?;
    let l = list(&state, &filter).await?;
    Ok(Json(ListJson {
        total: l.total,
        items: l.rows,
        next_cursor: l.next,
    }))
}

pub async fn api_get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Row>, ApiError> {
    Ok(Json(get_row(&state, &id).await?))
}

pub async fn api_triage(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Extension(who): Extension<Principal>,
    body: Bytes,
) -> Result<Json<Row>, ApiError> {
    let t: Triage = crate::json::decode(&body)?;
    Ok(Json(apply_triage(&state, &id, &t, &who).await?))
}

pub async fn api_bulk(
    State(state): State<AppState>,
    Extension(who): Extension<Principal>,
    body: Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    let b: Bulk = crate::json::decode(&body)?;
    let n = apply_bulk(&state, &b, &who).await?;
    Ok(Json(serde_json::json!({ "updated": n })))
}

// ---------- export ----------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Json,
}

/// Rows read per export query. Each page is one short query on a pooled
/// connection, released before the rows are sent, so a slow or stalled download
/// holds no connection and no read transaction (which would keep the WAL from
/// being checkpointed).
const EXPORT_PAGE_ROWS: i64 = 500;
/// Encoded bytes gathered before a chunk is handed to the response body.
const EXPORT_CHUNK_BYTES: usize = 32 * 1024;
/// Chunks waiting for the client at most (memory stays flat: about
/// `EXPORT_CHUNKS_QUEUED × EXPORT_CHUNK_BYTES` plus one page of rows).
const EXPORT_CHUNKS_QUEUED: usize = 8;

/// `GET /api/admin/feedback/export?format=csv|json&<filters>`: every row of the
/// filter, newest first. A task reads the rows in keyset pages (each page a
/// short query; no connection or transaction is held between them) and
/// encodes them into a small bounded channel the response body drains, so
/// memory stays flat however many rows there are and a stalled download only
/// stalls that task.
pub async fn export(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let query = query.unwrap_or_default();
    let format = match form_urlencoded_pairs(query.as_bytes())
        .find(|(k, _)| k == "format")
        .map(|(_, v)| v)
        .as_deref()
    {
        None | Some("csv") => Format::Csv,
        Some("json") => Format::Json,
        Some(_) => {
            return Err(validation(BTreeMap::from([(
                "format".to_string(),
                "must be csv or json".to_string(),
            )])));
        }
    };
    // The export is the whole selection: a `before` cursor in the link is ignored.
    let mut filter = Filter::parse(&query, &state).map_err(validation)?;
    filter.before = None;

    let (tx, mut rx) = tokio::sync::mpsc::channel::<Bytes>(EXPORT_CHUNKS_QUEUED);
    tokio::spawn(export_rows(state.db.clone(), filter, format, tx));

    // `poll_recv` keeps answering `None` once the channel is closed, so the
    // body is a well-behaved stream however often it is polled after its end
    // (the compression layer polls again; a `stream::unfold` would panic).
    let stream = futures_util::stream::poll_fn(move |cx| {
        rx.poll_recv(cx).map(|chunk| chunk.map(Ok::<_, Infallible>))
    });
    let (mime, ext) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
        Format::Json => ("application/json", "json"),
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"feedback.{ext}\""),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

/// Reads the filter's rows page by page and sends them, encoded, to `tx`.
/// Ends early (the client sees a truncated download) if the client goes away
/// or a query fails; headers are already sent by then.
async fn export_rows(
    db: sqlx::SqlitePool,
    mut filter: Filter,
    format: Format,
    tx: tokio::sync::mpsc::Sender<Bytes>,
) {
    let mut out = Encoder::new(format);
    loop {
        let mut q: QueryBuilder<Sqlite> =
            QueryBuilder::new(format!("SELECT {COLUMNS} FROM feedback f"));
        filter.push_where(&mut q, true);
        q.push(" ORDER BY f.created_at DESC, f.id DESC LIMIT ")
            .push_bind(EXPORT_PAGE_ROWS);
        // `fetch_all` returns the connection to the pool before anything is sent.
        let rows: Vec<Row> = match q.build_query_as().fetch_all(&db).await {
            Ok(rows) => rows,
            Err(e) => {
                tracing::error!(error = %e, "feedback export failed");
                return;
            }
        };
        for row in &rows {
            if let Err(e) = out.row(row) {
                tracing::error!(error = %e, "feedback export failed");
                return;
            }
            if out.len() >= EXPORT_CHUNK_BYTES && tx.send(out.take()).await.is_err() {
                return; // the client went away
            }
        }
        match rows.last() {
            Some(last) if rows.len() as i64 == EXPORT_PAGE_ROWS => {
                filter.before = Some((last.created_at.clone(), last.id.clone()));
            }
            _ => break,
        }
    }
    match out.finish() {
        Ok(rest) => {
            let _ = tx.send(rest).await;
        }
        Err(e) => tracing::error!(error = %e, "feedback export failed"),
    }
}

/// The export's columns, in order (CSV header; JSON rows carry the same data
/// under the [`Row`] field names plus `sentiment_label`).
const CSV_HEADER: [&str; 17] = [
    "id",
    "created_at",
    "kind",
    "status",
    "question",
    "rating",
    "category",
    "sentiment",
    "sentiment_label",
    "message",
    "email",
    "note",
    "variants",
    "algorithm",
    "score",
    "page",
    "browser",
];

/// Encodes rows as CSV (RFC 4180 through the `csv` crate, CRLF line ends) or
/// as a JSON array, into a buffer taken chunk by chunk.
enum Encoder {
    Csv(Vec<u8>),
    Json { buf: Vec<u8>, first: bool },
}

/// Writes one CSV record at the end of `buf`.
fn write_csv_record<I, F>(buf: &mut Vec<u8>, record: I) -> csv::Result<()>
where
    I: IntoIterator<Item = F>,
    F: AsRef<[u8]>,
{
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .terminator(csv::Terminator::CRLF)
        .buffer_capacity(1024)
        .from_writer(buf);
    w.write_record(record)?;
    w.flush()?;
    Ok(())
}

impl Encoder {
    fn new(format: Format) -> Self {
        match format {
            Format::Csv => {
                let mut buf = Vec::with_capacity(2 * EXPORT_CHUNK_BYTES);
                write_csv_record(&mut buf, CSV_HEADER).expect("writing to memory cannot fail");
                Encoder::Csv(buf)
            }
            Format::Json => Encoder::Json {
                buf: b"[".to_vec(),
                first: true,
            },
        }
    }

    fn row(&mut self, r: &Row) -> anyhow::Result<()> {
        match self {
            Encoder::Csv(buf) => write_csv_record(buf, csv_record(r))?,
            Encoder::Json { buf, first } => {
                if !*first {
                    buf.push(b',');
                }
                *first = false;
                buf.push(b'\n');
                serde_json::to_writer(&mut *buf, &ExportRow::from(r))?;
            }
        }
        Ok(())
    }

    /// Bytes encoded and not yet taken.
    fn len(&self) -> usize {
        match self {
            Encoder::Csv(buf) | Encoder::Json { buf, .. } => buf.len(),
        }
    }

    fn take(&mut self) -> Bytes {
        match self {
            Encoder::Csv(buf) | Encoder::Json { buf, .. } => Bytes::from(std::mem::take(buf)),
        }
    }

    fn finish(mut self) -> anyhow::Result<Bytes> {
        if let Encoder::Json { buf, .. } = &mut self {
            buf.extend_from_slice(b"\n]\n");
        }
        Ok(self.take())
    }
}

#[derive(Serialize)]
struct ExportRow<'a> {
    #[serde(flatten)]
    row: &'a Row,
    sentiment_label: Option<&'static str>,
}

impl<'a> From<&'a Row> for ExportRow<'a> {
    fn from(row: &'a Row) -> Self {
        Self {
            row,
            sentiment_label: row.sentiment.map(|s| Label::of(s).as_str()),
        }
    }
}

/// A text cell a spreadsheet would run as a formula (leading `= + - @`, or a
/// tab or carriage return before one) gets a leading `'`. Only text cells:
/// numbers are written as numbers (`-0.84` stays `-0.84`).
fn text_cell(v: &str) -> String {
    if v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{v}")
    } else {
        v.to_string()
    }
}

fn csv_record(r: &Row) -> [String; 17] {
    let text = |v: &str| text_cell(v);
    let opt = |v: &Option<String>| v.as_deref().map(text_cell).unwrap_or_default();
    let num = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    [
        text(&r.id),
        text(&r.created_at),
        text(&r.kind),
        text(&r.status),
        opt(&r.question),
        num(r.rating),
        opt(&r.category),
        r.sentiment.map(|s| format!("{s:.4}")).unwrap_or_default(),
        r.sentiment
            .map(|s| Label::of(s).as_str().to_string())
            .unwrap_or_default(),
        opt(&r.message),
        opt(&r.email),
        opt(&r.note),
        text(&r.variants),
        opt(&r.algorithm),
        num(r.score),
        text(&r.page),
        text(&r.ua_class),
    ]
}

// ---------- pages ----------

fn describe(r: &Row) -> String {
    match (r.kind.as_str(), &r.question, r.rating, &r.category) {
        ("rating", Some(q), Some(n), _) => format!(
            "{} ★ {n}/5",
            if q == "accuracy" {
                "Accuracy"
            } else {
                "Helpfulness"
            }
        ),
        (kind, _, _, Some(c)) => format!(
            "{} · {c}",
            if kind == "contact" {
                "Contact"
            } else {
                "Feedback"
            }
        ),
        (kind, ..) => kind.to_string(),
    }
}

fn sentiment_badge(s: Option<f64>) -> AnyView {
    match s {
        Some(v) => {
            let l = Label::of(v);
            let class = format!("badge sentiment-{}", l.as_str());
            let title = format!("VADER compound {v:.2}");
            view! { <span class=class title=title>{l.as_str()}</span> }.into_any()
        }
        None => view! { <span class="muted">"–"</span> }.into_any(),
    }
}

fn variants_text(json: &str) -> String {
    serde_json::from_str::<BTreeMap<String, String>>(json)
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

fn excerpt(s: &str, chars: usize) -> String {
    let mut out: String = s.chars().take(chars).collect();
    if s.chars().count() > chars {
        out.push('…');
    }
    out
}

fn select(
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    current: Option<String>,
) -> AnyView {
    let id = format!("f-{name}");
    view! {
        <label for=id.clone()>{label}</label>
        <select id=id name=name>
            <option value="">"Any"</option>
            {options
                .into_iter()
                .map(|(value, text)| {
                    let selected = current.as_deref() == Some(value.as_str());
                    view! { <option value=value selected=selected>{text}</option> }
                })
                .collect_view()}
        </select>
    }
    .into_any()
}

fn filter_form(state: &AppState, f: &Filter) -> AnyView {
    let opts = |xs: &[&str]| {
        xs.iter()
            .map(|x| (x.to_string(), x.replace('_', " ")))
            .collect::<Vec<_>>()
    };
    let variants: Vec<(String, String)> = state
        .catalog
        .experiments
        .iter()
        .flat_map(|e| {
            e.variants
                .iter()
                .map(move |(v, _)| (format!("{}:{v}", e.key), format!("{} = {v}", e.key)))
        })
        .collect();
    view! {
        <form class="filters" method="get" action="/admin/feedback" role="search">
            <div class="field wide">
                <label for="f-q">"Search messages"</label>
                <input id="f-q" type="search" name="q" value=f.q.clone().unwrap_or_default() placeholder="e.g. pdf import*" />
            </div>
            <div class="field">{select("kind", "Kind", opts(&["rating", "form", "contact"]), f.kind.clone())}</div>
            <div class="field">{select("category", "Category", opts(&["bug", "feature", "question", "praise", "other"]), f.category.clone())}</div>
            <div class="field">{select("question", "Question", opts(&["accuracy", "helpfulness"]), f.question.clone())}</div>
            <div class="field">{select("rating", "Rating", opts(&["1", "2", "3", "4", "5"]), f.rating.map(|r| r.to_string()))}</div>
            <div class="field">{select("variant", "Variant", variants, f.variant.as_ref().map(|(e, v)| format!("{e}:{v}")))}</div>
            <div class="field">{select("status", "Status", opts(&STATUSES), f.status.clone())}</div>
            <div class="field">{select("sentiment", "Sentiment", opts(&["positive", "neutral", "negative"]), f.sentiment.map(|s| s.as_str().to_string()))}</div>
            <div class="field">
                <label for="f-from">"From"</label>
                <input id="f-from" type="date" name="from" value=f.from.clone().unwrap_or_default() />
            </div>
            <div class="field">
                <label for="f-to">"To"</label>
                <input id="f-to" type="date" name="to" value=f.to.clone().unwrap_or_default() />
            </div>
            <div class="actions">
                <button type="submit" class="primary">"Apply"</button>
                <a href="/admin/feedback">"Clear"</a>
            </div>
        </form>
    }
    .into_any()
}

fn error_list(errors: &BTreeMap<String, String>) -> AnyView {
    let items = errors
        .iter()
        .map(|(k, v)| view! { <li><code>{k.clone()}</code>" "{v.clone()}</li> })
        .collect_view();
    view! {
        <div class="error" role="alert">
            <p>"Some filters were not understood:"</p>
            <ul>{items}</ul>
        </div>
    }
    .into_any()
}

pub async fn page(
    State(state): State<AppState>,
    Extension(who): Extension<Principal>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let query = query.unwrap_or_default();
    let saved = form_urlencoded_pairs(query.as_bytes())
        .find(|(k, _)| k == "updated")
        .and_then(|(_, v)| v.parse::<u64>().ok());
    let (filter, errors) = match Filter::parse(&query, &state) {
        Ok(f) => (f, None),
        Err(e) => (Filter::default(), Some(e)),
    };
    let listing = list(&state, &filter).await?;
    let themes = terms::themes(&state, &filter).await?;
    let qs = filter.query_string();
    let csv = format!("/api/admin/feedback/export?format=csv&{qs}");
    let json = format!("/api/admin/feedback/export?format=json&{qs}");
    let next_link = listing
        .next
        .as_ref()
        .map(|c| format!("/admin/feedback?{qs}&before={}", encode_component(c)));
    let back = format!("/admin/feedback?{qs}");
    let shown = listing.rows.len();
    let total = listing.total;
    let csrf = who.csrf().to_string();
    let status = if errors.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };

    let rows = listing
        .rows
        .into_iter()
        .map(|r| {
            let href = format!("/admin/feedback/{}", r.id);
            let check_id = format!("sel-{}", r.id);
            let check_label = format!("Select {}", describe(&r));
            let message = r.message.as_deref().map(|m| excerpt(m, 160)).unwrap_or_default();
            let context = [r.algorithm.clone().map(|a| format!("algorithm {a}")), r.score.map(|s| format!("score {s}"))]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ");
            let status_class = format!("badge status-{}", r.status);
            view! {
                <tr>
                    <td><input type="checkbox" form="bulk" name="id" value=r.id.clone() id=check_id aria-label=check_label /></td>
                    <td class="nowrap"><time datetime=r.created_at.clone()>{r.created_at.get(..16).unwrap_or("").replace('T', " ")}</time></td>
                    <td><a href=href>{describe(&r)}</a></td>
                    <td class="message">{message}</td>
                    <td>{sentiment_badge(r.sentiment)}</td>
                    <td class="muted small">{variants_text(&r.variants)}<br/>{context}</td>
                    <td><span class=status_class>{status_label(&r.status)}</span>{r.note.is_some().then(|| view! { <span class="badge" title="Has a note">"note"</span> })}</td>
                </tr>
            }
        })
        .collect_view();

    let body = view! {
        <h1>"Feedback"</h1>
        {saved.map(|n| view! { <p class="notice" role="status">{format!("{n} row(s) updated.")}</p> })}
        {errors.as_ref().map(error_list)}
        {filter_form(&state, &filter)}
        <section class="themes" aria-labelledby="themes-h">
            <h2 id="themes-h">"Themes in this selection"</h2>
            <p class="muted small">{format!("Words and phrases most messages share, from the newest {} messages of each selection.", html::count(terms::SAMPLE))}</p>
            {themes_view(themes)}
        </section>
        <section aria-labelledby="list-h">
            <div class="list-head">
                <h2 id="list-h">{format!("{} message(s)", html::count(total))}</h2>
                <p class="export">"Export this selection: "<a href=csv>"CSV"</a>" · "<a href=json>"JSON"</a></p>
            </div>
            <form id="bulk" class="bulk" method="post" action="/admin/feedback/bulk">
                <input type="hidden" name="csrf" value=csrf />
                <input type="hidden" name="return_to" value=back.clone() />
                <label for="bulk-status">"Set the selected to"</label>
                <select id="bulk-status" name="status">
                    <option value="in_progress">"In progress"</option>
                    <option value="done">"Done"</option>
                    <option value="new">"New"</option>
                </select>
                <button type="submit">"Apply to selected"</button>
            </form>
            <div class="table-wrap">
                <table class="inbox">
                    <thead><tr>
                        <th scope="col"><span class="visually-hidden">"Select"</span></th>
                        <th scope="col">"Received (UTC)"</th>
                        <th scope="col">"What"</th>
                        <th scope="col">"Message"</th>
                        <th scope="col">"Sentiment"</th>
                        <th scope="col">"Context"</th>
                        <th scope="col">"Status"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {(shown == 0).then(|| view! { <p class="empty">"Nothing matches these filters."</p> })}
            <nav class="pager" aria-label="Pages">
                {filter.before.is_some().then(|| view! { <a href=back.clone()>"← Newest"</a> })}
                {next_link.map(|href| view! { <a href=href rel="next">"Older →"</a> })}
            </nav>
        </section>
    }
    .into_any();
    Ok((
        status,
        html::page("Feedback", Section::Feedback, Some(&who), body),
    )
        .into_response())
}

fn themes_view(themes: Vec<terms::Theme>) -> AnyView {
    if themes.is_empty() {
        return view! { <p class="muted">"No messages to draw themes from."</p> }.into_any();
    }
    let groups = themes
        .into_iter()
        .map(|t| {
            let items = t
                .terms
                .into_iter()
                .map(|(term, n)| view! { <li><span class="term">{term}</span>" "<span class="muted">{format!("×{n}")}</span></li> })
                .collect_view();
            view! {
                <div class="theme">
                    <h3>{t.category}<span class="muted">{format!(" · {} messages", html::count(t.messages as i64))}</span></h3>
                    <ol>{items}</ol>
                </div>
            }
        })
        .collect_view();
    view! { <div class="theme-grid">{groups}</div> }.into_any()
}

pub async fn detail(
    State(state): State<AppState>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let r = match get_row(&state, &id).await {
        Ok(r) => r,
        Err(ApiError::NotFound) => {
            let body = view! { <h1>"Not found"</h1><p>"No feedback has this id. "<a href="/admin/feedback">"Back to the inbox"</a></p> }.into_any();
            return Ok((
                StatusCode::NOT_FOUND,
                html::page("Not found", Section::Feedback, Some(&who), body),
            )
                .into_response());
        }
        Err(e) => return Err(e),
    };
    let saved = query.as_deref().is_some_and(|q| q.contains("saved=1"));
    let csrf = who.csrf().to_string();
    let action = format!("/admin/feedback/{}", r.id);
    let dt = |k: &'static str, v: String| view! { <dt>{k}</dt><dd>{v}</dd> };
    let status_options = STATUSES
        .iter()
        .map(|s| {
            let selected = r.status == *s;
            view! { <option value=*s selected=selected>{status_label(s)}</option> }
        })
        .collect_view();
    let body = view! {
        <p><a href="/admin/feedback">"← Inbox"</a></p>
        <h1>{describe(&r)}</h1>
        {saved.then(|| view! { <p class="notice" role="status">"Saved."</p> })}
        <div class="detail">
            <section aria-labelledby="msg-h">
                <h2 id="msg-h">"Message"</h2>
                {match r.message.clone() {
                    Some(m) => view! { <p class="message-full">{m}</p> }.into_any(),
                    None => view! { <p class="muted">"No message (a rating without a comment)."</p> }.into_any(),
                }}
                <p>"Sentiment: "{sentiment_badge(r.sentiment)}</p>
                {r.email.clone().map(|e| view! { <p>"Reply to (the sender agreed): "<a href=format!("mailto:{e}")>{e.clone()}</a></p> })}
            </section>
            <section aria-labelledby="ctx-h">
                <h2 id="ctx-h">"Context"</h2>
                <dl>
                    {dt("Received (UTC)", r.created_at.get(..19).unwrap_or(&r.created_at).replace('T', " "))}
                    {dt("Kind", r.kind.clone())}
                    {dt("Variants", variants_text(&r.variants))}
                    {dt("Score shown", r.score.map(|s| s.to_string()).unwrap_or_else(|| "–".into()))}
                    {dt("Algorithm", r.algorithm.clone().unwrap_or_else(|| "–".into()))}
                    {dt("Page", r.page.clone())}
                    {dt("Browser", r.ua_class.clone())}
                    {dt("Last triaged", r.updated_at.clone().unwrap_or_else(|| "never".into()))}
                </dl>
            </section>
            <section aria-labelledby="triage-h">
                <h2 id="triage-h">"Triage"</h2>
                <form method="post" action=action class="triage">
                    <input type="hidden" name="csrf" value=csrf />
                    <label for="t-status">"Status"</label>
                    <select id="t-status" name="status">{status_options}</select>
                    <label for="t-note">"Internal note (the sender never sees it)"</label>
                    <textarea id="t-note" name="note" rows="5" maxlength="5000">{html::textarea_text(r.note.as_deref().unwrap_or_default())}</textarea>
                    <button type="submit" class="primary">"Save"</button>
                </form>
            </section>
        </div>
    }
    .into_any();
    Ok(html::page("Feedback detail", Section::Feedback, Some(&who), body).into_response())
}

/// `POST /admin/feedback/{id}` from the detail page's form.
pub async fn triage_form(
    State(state): State<AppState>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut t = Triage::default();
    for (k, v) in form_urlencoded_pairs(&body) {
        match k.as_str() {
            "status" => t.status = Some(v),
            "note" => t.note = Some(v),
            _ => {}
        }
    }
    apply_triage(&state, &id, &t, &who).await?;
    Ok(Redirect::to(&format!(
        "/admin/feedback/{}?saved=1",
        encode_component(&id)
    ))
    .into_response())
}

/// `POST /admin/feedback/bulk` from the inbox's form.
pub async fn bulk_form(
    State(state): State<AppState>,
    Extension(who): Extension<Principal>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut b = Bulk {
        ids: Vec::new(),
        status: String::new(),
    };
    let mut back = "/admin/feedback?".to_string();
    for (k, v) in form_urlencoded_pairs(&body) {
        match k.as_str() {
            "id" => b.ids.push(v),
            "status" => b.status = v,
            "return_to" if super::auth::is_local_path(&v, "/admin/feedback?") => back = v,
            _ => {}
        }
    }
    let n = apply_bulk(&state, &b, &who).await?;
    Ok(Redirect::to(&format!("{back}&updated={n}")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_input_becomes_a_safe_fts_query() {
        assert_eq!(
            fts_query("pdf import").as_deref(),
            Some("\"pdf\" \"import\"")
        );
        assert_eq!(
            fts_query("imp* \"OR\" NEAR(").as_deref(),
            Some("\"imp\"* \"OR\" \"NEAR\"")
        );
        assert_eq!(fts_query("  \"\" ( ) "), None);
    }

    fn encoded(rows: &[Row]) -> String {
        let mut e = Encoder::new(Format::Csv);
        for r in rows {
            e.row(r).unwrap();
        }
        String::from_utf8(e.finish().unwrap().to_vec()).unwrap()
    }

    fn row(message: &str, sentiment: Option<f64>) -> Row {
        Row {
            id: "00000000-0000-4000-8000-000000000001".into(),
            created_at: "2026-11-30T10:00:00.000Z".into(),
            kind: "form".into(),
            question: None,
            rating: None,
            category: Some("bug".into()),
            message: Some(message.into()),
            email: None,
            status: "new".into(),
            note: Some("@admin look".into()),
            sentiment,
            variants: "{}".into(),
            algorithm: None,
            score: Some(61),
            page: "/".into(),
            ua_class: "desktop/chrome".into(),
            updated_at: None,
        }
    }

    #[test]
    fn csv_text_cells_are_quoted_and_formulas_defused() {
        let csv = encoded(&[row("=HYPERLINK(\"x\"), \"q\"\nline", None)]);
        assert!(
            csv.contains("\"'=HYPERLINK(\"\"x\"\"), \"\"q\"\"\nline\""),
            "{csv}"
        );
        assert_eq!(cell(&csv, "note"), "'@admin look");
        for formula in ["+1", "-2+3", "\tcmd", "\r=x", "@SUM(A1)"] {
            let csv = encoded(&[row(formula, None)]);
            assert_eq!(cell(&csv, "message"), format!("'{formula}"), "{csv}");
        }
        assert_eq!(cell(&encoded(&[row("a-b", None)]), "message"), "a-b");
    }

    /// The named cell of the first data row, as a CSV reader sees it.
    fn cell(csv: &str, name: &str) -> String {
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let headers = reader.headers().unwrap().clone();
        let record = reader.records().next().unwrap().unwrap();
        record[headers.iter().position(|h| h == name).unwrap()].to_string()
    }

    #[test]
    fn csv_numbers_stay_numbers_even_when_negative() {
        let csv = encoded(&[row("fine", Some(-0.84))]);
        assert_eq!(cell(&csv, "sentiment"), "-0.8400");
        assert_eq!(cell(&csv, "score"), "61");
        assert_eq!(cell(&csv, "sentiment_label"), "negative");
        assert_eq!(cell(&csv, "message"), "fine");
    }
}
