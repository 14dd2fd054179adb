use crate::helpers::spawn_app;

#[tokio::test]
async fn the_home_page_is_server_rendered_with_both_inputs_and_the_privacy_line() {
    let app = spawn_app().await;
    let res = app.get("/").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(res.headers()["cache-control"], "no-cache");
    let html = res.text().await.unwrap();
    assert!(html.contains("<title>Resume ATS Scorer</title>"), "{html}");
    assert!(html.contains("Your resume never leaves your browser"));
    assert!(html.contains(r#"<textarea id="resume""#));
    assert!(html.contains(r#"<textarea id="job""#));
    assert!(html.contains(r#"id="score-area""#));
    // The hydration script is there for the browser to take over.
    assert!(html.contains("mod.hydrate()"));
}

#[tokio::test]
async fn an_unknown_page_answers_404_with_a_helpful_page() {
    let app = spawn_app().await;
    let res = app.get("/no-such-page").await;
    assert_eq!(res.status(), 404);
    let html = res.text().await.unwrap();
    assert!(html.contains("Page not found"));
    assert!(html.contains(r#"href="/""#));
}

#[tokio::test]
async fn hashed_bundle_files_are_cached_for_a_year_and_compressed() {
    let app = spawn_app().await;
    let body = "export const x = 1;\n".repeat(500);
    std::fs::write(app.site_root.join("pkg/ats-scorer.0a1b2c3d4e5f.js"), &body).unwrap();

    // The browser client's settings without its decoding: the bytes on the wire.
    let res = crate::helpers::browser_client_builder()
        .no_gzip()
        .no_brotli()
        .build()
        .unwrap()
        .get(format!("{}/pkg/ats-scorer.0a1b2c3d4e5f.js", app.address))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let compressed = res.bytes().await.unwrap();
    assert!(
        compressed.len() < body.len() / 10,
        "gzip shrinks repetitive JS"
    );
}

#[tokio::test]
async fn a_missing_bundle_file_is_a_404_not_a_page() {
    let app = spawn_app().await;
    let res = app.get("/pkg/ats-scorer.ffffffffffff.wasm").await;
    assert_eq!(res.status(), 404);
    assert_ne!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
}

#[tokio::test]
async fn the_import_worker_is_served_from_the_site_root_and_revalidated() {
    let app = spawn_app().await;
    std::fs::create_dir_all(app.site_root.join("worker")).unwrap();
    std::fs::write(
        app.site_root.join("worker/extract-worker.js"),
        "importScripts('/worker/extract_worker.js');\n",
    )
    .unwrap();
    let res = app.get("/worker/extract-worker.js").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-cache");
    assert!(res.text().await.unwrap().starts_with("importScripts"));
    assert_eq!(app.get("/worker/missing.wasm").await.status(), 404);
}

#[tokio::test]
async fn the_skill_dictionary_is_served_under_its_hash_compressed_and_cached_for_a_year() {
    let app = spawn_app().await;
    let path = format!("/dictionary/{}", scoring::skills::dictionary_file_name());
    let res = app.get(&path).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert!(
        res.headers().get("set-cookie").is_none(),
        "a cached file sets no visitor cookie"
    );
    let text = res.text().await.unwrap();
    assert_eq!(text, scoring::skills::DICTIONARY_SOURCE);
    assert!(scoring::skills::install_dictionary(&text).is_ok());

    // On the wire: compressed, as the page's browser asks.
    let raw = crate::helpers::browser_client_builder()
        .no_gzip()
        .no_brotli()
        .build()
        .unwrap()
        .get(format!("{}{path}", app.address))
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .unwrap();
    assert!(
        ["gzip", "br"].contains(&raw.headers()["content-encoding"].to_str().unwrap()),
        "{:?}",
        raw.headers()
    );
    assert!(raw.bytes().await.unwrap().len() < text.len() / 2);
}

#[tokio::test]
async fn a_dictionary_of_another_version_is_a_json_404_and_not_cached() {
    let app = spawn_app().await;
    for path in [
        "/dictionary/skills.0000000000000000.txt",
        "/dictionary/skills.txt",
        "/dictionary/..%2Fsecrets",
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 404, "{path}");
        assert_ne!(
            res.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "not_found", "{path}");
    }
}

#[tokio::test]
async fn the_home_page_preloads_the_skill_dictionary() {
    let app = spawn_app().await;
    let html = app.get("/").await.text().await.unwrap();
    let link = format!(
        r#"href="/dictionary/{}""#,
        scoring::skills::dictionary_file_name()
    );
    let tag = html
        .split('<')
        .find(|t| t.starts_with("link") && t.contains(&link))
        .unwrap_or_else(|| panic!("no preload of the dictionary in {html}"));
    assert!(tag.contains(r#"rel="preload""#), "{tag}");
    assert!(tag.contains(r#"as="fetch""#), "{tag}");
}
