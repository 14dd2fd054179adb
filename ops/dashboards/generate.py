#!/usr/bin/env python3
"""Writes the Grafana dashboards (JSON, schema 39) from the panel lists below.

    python3 ops/dashboards/generate.py

The JSON files are committed; a test (server/tests/api/ops.rs) checks that they
are valid and that every metric their queries name is one the app exports.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DS = {"type": "prometheus", "uid": "${datasource}"}
J = 'job="ats-scorer"'


def panel(pid, title, exprs, unit="short", kind="timeseries", x=0, y=0, w=12, h=8, legend=None):
    targets = []
    for i, e in enumerate(exprs):
        expr, fmt = (e if isinstance(e, tuple) else (e, None))
        t = {"datasource": DS, "expr": expr, "refId": chr(65 + i)}
        if fmt:
            t["legendFormat"] = fmt
        targets.append(t)
    return {
        "id": pid,
        "type": kind,
        "title": title,
        "datasource": DS,
        "gridPos": {"x": x, "y": y, "w": w, "h": h},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "options": {"legend": {"displayMode": "list", "placement": "bottom"}} if kind == "timeseries" else {},
        "targets": targets,
    }


def dashboard(uid, title, panels, description):
    laid = []
    for i, p in enumerate(panels):
        p["gridPos"]["x"] = (i % 2) * 12
        p["gridPos"]["y"] = (i // 2) * 8
        laid.append(p)
    return {
        "uid": uid,
        "title": title,
        "description": description,
        "tags": ["ats-scorer"],
        "timezone": "utc",
        "schemaVersion": 39,
        "version": 1,
        "editable": True,
        "refresh": "30s",
        "time": {"from": "now-24h", "to": "now"},
        "templating": {
            "list": [
                {
                    "name": "datasource",
                    "type": "datasource",
                    "query": "prometheus",
                    "label": "Prometheus",
                }
            ]
        },
        "annotations": {"list": []},
        "panels": laid,
    }


application = dashboard(
    "ats-scorer-application",
    "ats-scorer · application",
    [
        panel(1, "Requests per second by route", [(f"sum by (route) (rate(http_requests_total{{{J}}}[5m]))", "{{route}}")], "reqps"),
        panel(2, "Error rate (5xx share)", [(f'sum(rate(http_requests_total{{{J},status=~"5.."}}[5m])) / sum(rate(http_requests_total{{{J}}}[5m]))', "5xx")], "percentunit"),
        panel(3, "Latency percentiles", [
            (f"histogram_quantile(0.5, sum by (le) (rate(http_request_duration_seconds_bucket{{{J}}}[5m])))", "p50"),
            (f"histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket{{{J}}}[5m])))", "p90"),
            (f"histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{{{J}}}[5m])))", "p99"),
        ], "s"),
        panel(4, "p99 latency by route", [(f"histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{{{J}}}[5m])))", "{{route}}")], "s"),
        panel(5, "Requests in flight", [(f"sum(http_requests_in_flight{{{J}}})", "in flight")]),
        panel(6, "Request and response sizes (p90)", [
            (f"histogram_quantile(0.9, sum by (le) (rate(ats_scorer_http_request_size_bytes_bucket{{{J}}}[5m])))", "request"),
            (f"histogram_quantile(0.9, sum by (le) (rate(ats_scorer_http_response_size_bytes_bucket{{{J}}}[5m])))", "response"),
        ], "bytes"),
        panel(7, "Database query time p99 by query", [(f"histogram_quantile(0.99, sum by (le, query) (rate(ats_scorer_db_query_duration_seconds_bucket{{{J}}}[5m])))", "{{query}}")], "s"),
        panel(8, "Database errors", [(f"sum by (kind) (rate(ats_scorer_db_errors_total{{{J}}}[5m]))", "{{kind}}")], "ops"),
        panel(9, "Database connections", [(f"sum by (state) (ats_scorer_db_connections{{{J}}})", "{{state}}")]),
        panel(10, "Ready (database answers)", [(f"min(ats_scorer_ready{{{J}}})", "ready")], kind="stat"),
        panel(11, "CPU (cores)", [(f"rate(process_cpu_seconds_total{{{J}}}[5m])", "cpu")]),
        panel(12, "Resident memory", [(f"process_resident_memory_bytes{{{J}}}", "rss")], "bytes"),
        panel(13, "Open file descriptors", [(f"process_open_fds{{{J}}}", "open"), (f"process_max_fds{{{J}}}", "max")]),
        panel(14, "Uptime", [(f"time() - process_start_time_seconds{{{J}}}", "uptime")], "s", kind="stat"),
        panel(15, "Build", [(f"ats_scorer_build_info{{{J}}}", "{{version}} {{commit}}")], kind="table"),
        panel(16, "Admin logins by outcome (per hour)", [(f"sum by (outcome) (increase(ats_scorer_admin_logins_total{{{J}}}[1h]))", "{{outcome}}")]),
    ],
    "HTTP, database and process health of one ats-scorer instance.",
)

engagement = dashboard(
    "ats-scorer-engagement",
    "ats-scorer · engagement",
    [
        panel(1, "Resumes scored per hour, by variant", [(f"sum by (variant) (increase(ats_scorer_resumes_scored_total{{{J}}}[1h]))", "{{variant}}")]),
        panel(2, "Where resumes come from (per hour)", [(f"sum by (source) (increase(ats_scorer_resumes_scored_total{{{J}}}[1h]))", "{{source}}")]),
        panel(3, "Mean rating by question", [(f"sum by (question) (increase(ats_scorer_ratings_sum{{{J}}}[1d])) / sum by (question) (increase(ats_scorer_ratings_count{{{J}}}[1d]))", "{{question}}")]),
        panel(4, "Ratings per day by stars (accuracy)", [(f'sum by (le) (increase(ats_scorer_ratings_bucket{{{J},question="accuracy"}}[1d]))', "≤ {{le}} stars")]),
        panel(5, "Feedback per day by kind and category", [(f"sum by (kind, category) (increase(ats_scorer_feedback_submissions_total{{{J}}}[1d]))", "{{kind}} {{category}}")]),
        panel(6, "Feedback refused, by reason", [(f"sum by (reason) (increase(ats_scorer_feedback_rejected_total{{{J}}}[1h]))", "{{reason}}")]),
        panel(7, "Median visible time per page", [(f"histogram_quantile(0.5, sum by (le, page) (rate(ats_scorer_page_visible_seconds_bucket{{{J}}}[1h])))", "{{page}}")], "s"),
        panel(8, "Usage events stored per minute, by kind", [(f"sum by (kind) (rate(ats_scorer_events_ingested_total{{{J}}}[5m])) * 60", "{{kind}}")]),
        panel(9, "Events refused, by reason", [(f"sum by (reason) (rate(ats_scorer_events_rejected_total{{{J}}}[5m])) * 60", "{{reason}}")]),
        panel(10, "Files read, by type and outcome (per hour)", [(f"sum by (type, outcome) (increase(ats_scorer_files_extracted_total{{{J}}}[1h]))", "{{type}} {{outcome}}")]),
        panel(11, "File reading time p90, by type", [(f"histogram_quantile(0.9, sum by (le, type) (rate(ats_scorer_file_extraction_duration_seconds_bucket{{{J}}}[1h])))", "{{type}}")], "s"),
        panel(12, "Scoring time in the browser p90, by variant", [(f"histogram_quantile(0.9, sum by (le, variant) (rate(ats_scorer_client_scoring_duration_seconds_bucket{{{J}}}[1h])))", "{{variant}}")], "s"),
    ],
    "What job seekers do: scores, files, ratings, feedback, time on page.",
)

experiments = dashboard(
    "ats-scorer-experiments",
    "ats-scorer · experiments",
    [
        panel(1, "Exposures per day, by experiment and variant", [(f"sum by (experiment, variant) (increase(ats_scorer_experiment_exposures_total{{{J}}}[1d]))", "{{experiment}} · {{variant}}")]),
        panel(2, "Exposure share against the configured weight", [
            (f"sum by (experiment, variant) (increase(ats_scorer_experiment_exposures_total{{{J}}}[1d])) / on (experiment) group_left sum by (experiment) (increase(ats_scorer_experiment_exposures_total{{{J}}}[1d]))", "{{experiment}} · {{variant}} share"),
            (f"ats_scorer_experiment_variant_weight{{{J}}}", "{{experiment}} · {{variant}} weight"),
        ], "percentunit"),
        panel(3, "Conversions per day, by goal and variant", [(f"sum by (experiment, goal, variant) (increase(ats_scorer_experiment_conversions_total{{{J}}}[1d]))", "{{experiment}} · {{goal}} · {{variant}}")]),
        panel(4, "Conversions per exposure (rough rate)", [(f"sum by (experiment, goal, variant) (increase(ats_scorer_experiment_conversions_total{{{J}}}[1d])) / on (experiment, variant) group_left sum by (experiment, variant) (increase(ats_scorer_experiment_exposures_total{{{J}}}[1d]))", "{{experiment}} · {{goal}} · {{variant}}")], "percentunit"),
        panel(5, "Mean rating by scoring variant", [(f"sum by (question, variant) (increase(ats_scorer_ratings_sum{{{J}}}[1d])) / sum by (question, variant) (increase(ats_scorer_ratings_count{{{J}}}[1d]))", "{{question}} · {{variant}}")]),
        panel(6, "Scores per day by scoring variant", [(f"sum by (variant) (increase(ats_scorer_resumes_scored_total{{{J}}}[1d]))", "{{variant}}")]),
    ],
    "Exposures, conversions and ratings per variant. The statistics (intervals, p-values, chance to win) are on /admin/experiments.",
)

for name, d in [("application", application), ("engagement", engagement), ("experiments", experiments)]:
    with open(os.path.join(HERE, f"{name}.json"), "w") as f:
        json.dump(d, f, indent=2, ensure_ascii=False)
        f.write("\n")
print("wrote", ", ".join(["application", "engagement", "experiments"]))
