//! The OpenAPI document at `/api/v1/openapi.json`: it names every route of the API router,
//! and real answers of the API validate against the schemas it gives for them (a small
//! validator for what the document uses: `$ref`, types with `null`, properties, `required`,
//! items, `oneOf` / `anyOf` / `allOf`, `enum`, maps).

use crate::helpers::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeSet;

async fn document(app: &TestApp) -> Value {
    let resp = app
        .client
        .get(app.api("/openapi.json"))
        .send()
        .await
        .expect("doc");
    assert_eq!(resp.status(), StatusCode::OK);
    resp.json().await.expect("json")
}

/// Every (METHOD, path) routed in `crates/web/src/api/mod.rs`, as the document spells it.
fn api_routes() -> BTreeSet<(String, String)> {
    let src = include_str!("../../src/api/mod.rs");
    let router = src.split("pub fn router(").nth(1).expect("router");
    let router = router.split("\n}\n").next().expect("its body");
    let mut out = BTreeSet::new();
    for chunk in router.split(".route(").skip(1) {
        let path = chunk.split('"').nth(1).expect("path");
        let call = chunk.split("\n        .route(").next().unwrap_or(chunk);
        for method in ["get", "post", "put", "patch", "delete"] {
            if call.contains(&format!("{method}(")) {
                out.insert((method.to_owned(), path.to_owned()));
            }
        }
    }
    out
}

#[tokio::test]
async fn the_document_names_every_route_of_the_api() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    assert!(
        doc["openapi"].as_str().expect("version").starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    let routes = api_routes();
    assert!(routes.len() >= 15, "{routes:?}");
    let mut missing = Vec::new();
    for (method, path) in &routes {
        if doc["paths"][path][method].is_null() {
            missing.push(format!("{method} {path}"));
        }
    }
    assert!(
        missing.is_empty(),
        "routes the document leaves out: {missing:?}"
    );
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            resolve(doc, &doc["components"]["schemas"][name])
        }
        None => schema,
    }
}

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "null" => v.is_null(),
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => false,
    }
}

/// Problems found, each with where in the value it was.
fn validate(doc: &Value, schema: &Value, v: &Value, at: &str, problems: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    if let Some(all) = schema["allOf"].as_array() {
        for s in all {
            validate(doc, s, v, at, problems);
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema[key].as_array() {
            let fits = options.iter().any(|s| {
                let mut p = Vec::new();
                validate(doc, s, v, at, &mut p);
                p.is_empty()
            });
            if !fits {
                problems.push(format!("{at}: {v} fits none of {key}"));
            }
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !types.is_empty() && !types.iter().any(|t| type_ok(t, v)) {
        problems.push(format!("{at}: {v} is not {types:?}"));
        return;
    }
    if let Some(values) = schema["enum"].as_array()
        && !values.contains(v)
    {
        problems.push(format!("{at}: {v} is not one of {values:?}"));
    }
    if let Some(obj) = v.as_object() {
        for name in schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !obj.contains_key(name) {
                problems.push(format!("{at}: no {name}"));
            }
        }
        let props = schema["properties"].as_object();
        for (k, item) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(s) => validate(doc, s, item, &format!("{at}.{k}"), problems),
                None => match &schema["additionalProperties"] {
                    Value::Bool(false) => problems.push(format!("{at}: unexpected {k}")),
                    s @ Value::Object(_) => validate(doc, s, item, &format!("{at}.{k}"), problems),
                    _ if props.is_some() => {
                        problems.push(format!("{at}: {k} is not in the schema"))
                    }
                    _ => {}
                },
            }
        }
    }
    if let (Some(items), Some(list)) = (schema.get("items"), v.as_array()) {
        for (i, item) in list.iter().enumerate() {
            validate(doc, items, item, &format!("{at}[{i}]"), problems);
        }
    }
}

/// Checks a real answer against the document's schema for this path, method and status.
fn check(doc: &Value, method: &str, path: &str, status: StatusCode, body: &Value) {
    let op = &doc["paths"][path][method];
    assert!(!op.is_null(), "{method} {path} is not in the document");
    let response = &op["responses"][status.as_str()];
    assert!(
        !response.is_null(),
        "{method} {path}: the document has no {status} answer"
    );
    let schema = &response["content"]["application/json"]["schema"];
    assert!(
        !schema.is_null(),
        "{method} {path} {status}: no JSON schema"
    );
    let mut problems = Vec::new();
    validate(doc, schema, body, "$", &mut problems);
    assert!(
        problems.is_empty(),
        "{method} {path} {status}: {problems:?}\n{body}"
    );
}

#[tokio::test]
async fn real_answers_validate_against_their_schemas() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let call = |method: Method, path: &str, body: Option<Value>, token: Option<&str>| {
        let mut req = app.client.request(method, app.api(path));
        if let Some(b) = body {
            req = req.json(&b);
        }
        if let Some(t) = token {
            req = req.header("x-jirga-edit-token", t);
        }
        async move {
            let resp = req.send().await.expect("request");
            let status = resp.status();
            let text = resp.text().await.expect("body");
            (
                status,
                serde_json::from_str::<Value>(&text).unwrap_or(Value::Null),
            )
        }
    };

    let new = json!({"site": "news", "thread": "/openapi", "title": "Weir gauges",
                     "body": "The weir gauges were read twice a day last week.",
                     "author": {"name": "Reader", "email": "reader@example.org"}});
    let (s, posted) = call(Method::POST, "/comments", Some(new.clone()), None).await;
    check(&doc, "post", "/api/v1/comments", s, &posted);
    assert_eq!(s, StatusCode::CREATED);
    let id = posted["comment"]["id"].as_i64().expect("id");
    let token = posted["edit_token"].as_str().expect("token").to_owned();
    let reply = json!({"site": "news", "thread": "/openapi", "parent_id": id,
                       "body": "And at night the gauges are read every two hours.", "author": {"name": "Other"}});
    let (s, body) = call(Method::POST, "/comments", Some(reply), None).await;
    check(&doc, "post", "/api/v1/comments", s, &body);

    let (s, body) = call(
        Method::GET,
        "/comments?site=news&thread=/openapi",
        None,
        None,
    )
    .await;
    check(&doc, "get", "/api/v1/comments", s, &body);
    assert_eq!(
        body["comments"][0]["replies"].as_array().map(Vec::len),
        Some(1),
        "{body}"
    );
    let (s, body) = call(Method::POST, "/comments/check", Some(new.clone()), None).await;
    check(&doc, "post", "/api/v1/comments/check", s, &body);
    let (s, body) = call(Method::GET, &format!("/comments/{id}"), None, None).await;
    check(&doc, "get", "/api/v1/comments/{id}", s, &body);
    let edit = json!({"body": "The weir gauges were read twice a day last week, and logged."});
    let (s, body) = call(
        Method::PATCH,
        &format!("/comments/{id}"),
        Some(edit),
        Some(&token),
    )
    .await;
    check(&doc, "patch", "/api/v1/comments/{id}", s, &body);
    let (s, body) = call(
        Method::POST,
        &format!("/comments/{id}/votes"),
        Some(json!({"value": 1})),
        None,
    )
    .await;
    check(&doc, "post", "/api/v1/comments/{id}/votes", s, &body);
    let (s, body) = call(
        Method::POST,
        &format!("/comments/{id}/reports"),
        Some(json!({"reason": "spam"})),
        None,
    )
    .await;
    check(&doc, "post", "/api/v1/comments/{id}/reports", s, &body);
    let (s, body) = call(
        Method::POST,
        &format!("/comments/{id}/reports"),
        Some(json!({"reason": "spam"})),
        None,
    )
    .await;
    check(&doc, "post", "/api/v1/comments/{id}/reports", s, &body);
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, body) = call(
        Method::GET,
        "/counts?site=news&thread=/openapi&thread=/none",
        None,
        None,
    )
    .await;
    check(&doc, "get", "/api/v1/counts", s, &body);
    let (s, body) = call(
        Method::GET,
        "/comments?site=nope&thread=/missing",
        None,
        None,
    )
    .await;
    check(&doc, "get", "/api/v1/comments", s, &body);
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, body) = call(
        Method::POST,
        "/comments",
        Some(json!({"site": "news", "thread": "/openapi", "body": ""})),
        None,
    )
    .await;
    check(&doc, "post", "/api/v1/comments", s, &body);
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, body) = call(Method::GET, "/me?site=news", None, None).await;
    check(&doc, "get", "/api/v1/me", s, &body);
    let thread = app
        .client
        .put(app.api("/threads"))
        .bearer_auth(&app.api_key)
        .json(&json!({"site": "news", "key": "/openapi", "title": "Weir gauges", "url": "https://news.example/openapi"}))
        .send()
        .await
        .expect("put");
    let s = thread.status();
    check(
        &doc,
        "put",
        "/api/v1/threads",
        s,
        &thread.json().await.expect("json"),
    );
    let (s, _) = call(
        Method::DELETE,
        &format!("/comments/{id}"),
        None,
        Some(&token),
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert!(!doc["paths"]["/api/v1/comments/{id}"]["delete"]["responses"]["204"].is_null());
}

#[tokio::test]
async fn the_reference_page_lists_each_operation() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let html = app
        .client
        .get(format!("{}/api", app.url))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for method in ops.as_object().expect("ops").keys() {
            let line = format!("{} {}", method.to_uppercase(), path);
            assert!(
                html.contains(&line),
                "{line} missing from the reference page"
            );
        }
    }
    assert!(
        html.contains("sso_expired") || html.contains("error"),
        "errors are explained"
    );
}

#[tokio::test]
async fn the_validator_refuses_what_does_not_fit() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let own = json!({"$ref": "#/components/schemas/OwnCommentJson"});
    for (bad, why) in [
        (
            json!({"comment": 1}),
            "a number for an object, and fields missing",
        ),
        (
            json!({"comment": {"id": "x"}, "status": "published", "reasons": [], "editable_until": "t"}),
            "a string id",
        ),
        (json!([]), "a list"),
    ] {
        let mut problems = Vec::new();
        validate(&doc, &own, &bad, "$", &mut problems);
        assert!(!problems.is_empty(), "{why}: {bad} passed");
    }
    // The schemas the answers are checked against say something: fields and their types.
    let schema = resolve(&doc, &own);
    assert!(
        schema["required"].as_array().is_some_and(|r| r.len() >= 4),
        "{schema}"
    );
    let comment = resolve(&doc, &schema["properties"]["comment"]);
    assert!(
        comment["properties"]["replies"]["items"].is_object(),
        "{comment}"
    );
}
