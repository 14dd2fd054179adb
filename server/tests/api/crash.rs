//! kill -9 while events pour in: every event the server acknowledged with a
//! 202 is in the database after a restart ("durable before acknowledged").

use std::{
    collections::HashSet,
    sync::{Arc, Mutex},
    time::Duration,
};

use serde_json::{Value, json};

use crate::{helpers::start_binary_with, shutdown::start_binary};

#[tokio::test]
async fn every_acknowledged_event_survives_a_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("site/pkg")).unwrap();
    // One address floods on purpose: its flood limit out of the way (the
    // per-address limit is five visitors' worth).
    let b = start_binary_with(dir.path(), &[("EVENTS_BURST", "1000000")]);
    let (mut child, address) = (b.child, b.address);

    let acked: Arc<Mutex<HashSet<String>>> = Arc::default();
    let client = crate::helpers::browser_client();
    let mut workers = Vec::new();
    for w in 0..8u32 {
        let (client, acked, url) = (
            client.clone(),
            acked.clone(),
            format!("http://{address}/api/events"),
        );
        workers.push(tokio::spawn(async move {
            for n in 0u32.. {
                let ids: Vec<String> = (0..50).map(|_| uuid::Uuid::new_v4().to_string()).collect();
                let events: Vec<Value> = ids
                    .iter()
                    .map(|id| {
                        json!({"id": id, "kind": "page_view", "ts": server::events::now_ms(),
                               "session": "5e551011-0000-4000-8000-000000000001", "page": "/"})
                    })
                    .collect();
                // A new visitor per request, so the per-visitor flood limit stays out of the way.
                let res = client
                    .post(&url)
                    .header("cookie", format!("ats_vid={:016x}{:016x}", w, n))
                    .json(&json!({ "events": events }))
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status() == 202 => {
                        let body: Value = r.json().await.unwrap_or(Value::Null);
                        if body["accepted"] == 50 {
                            acked.lock().unwrap().extend(ids);
                        }
                    }
                    // The server is gone: stop.
                    _ => break,
                }
            }
        }));
    }
    // Let writes pile up, then pull the plug mid-stream.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    for w in workers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 500,
        "the load ran: {} events acknowledged",
        acked.len()
    );

    // Restart on the same file: recovery replays the WAL.
    let (mut child, _address) = start_binary(dir.path());
    let pool = server::db::connect(&format!(
        "sqlite://{}",
        dir.path().join("db/app.db").display()
    ))
    .await
    .unwrap();
    let stored: HashSet<String> = sqlx::query_scalar::<_, String>("SELECT id FROM events")
        .fetch_all(&pool)
        .await
        .unwrap()
        .into_iter()
        .collect();
    let lost: Vec<&String> = acked.difference(&stored).collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged events lost",
        lost.len(),
        acked.len()
    );
    pool.close().await;
    child.kill().unwrap();
    child.wait().unwrap();
}
