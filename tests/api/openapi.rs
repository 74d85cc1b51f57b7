//! The API description covers every `/api/v1` route the code declares.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::helpers::{Backend, repo_path, spawn_app};

/// `(method, path)` of every route macro under `src/api`.
fn declared_routes() -> BTreeSet<(String, String)> {
    let mut routes = BTreeSet::new();
    let mut dirs = vec![repo_path("src/api")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for line in text.lines().map(str::trim) {
                for method in ["get", "post", "put", "patch", "delete"] {
                    if let Some(rest) = line.strip_prefix(&format!("#[{method}(\"")) {
                        let route = rest.split('"').next().unwrap();
                        if route.starts_with("/api/v1/") {
                            routes.insert((method.to_owned(), route.to_owned()));
                        }
                    }
                }
            }
        }
    }
    routes
}

#[tokio::test]
async fn every_api_route_is_documented() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status(), 200);
    let doc: Value = response.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let routes = declared_routes();
    assert!(routes.len() >= 3, "{routes:?}");
    for (method, path) in routes {
        assert!(
            doc["paths"][&path][&method].is_object(),
            "{method} {path} is missing from the OpenAPI document"
        );
    }
    let docs = app.get("/api/docs/").await;
    assert_eq!(docs.status(), 200);
    assert!(docs.text().await.unwrap().contains("swagger-ui"));
    assert_eq!(
        app.get("/api/docs").await.headers()["location"],
        "/api/docs/"
    );
}
