//! `GET /api`: a short reference of the public API for a publisher's developer, written from
//! the OpenAPI document (so the page and the document cannot disagree).

use super::document;
use crate::views::escape_markup as esc;
use axum::response::Html;
use serde_json::Value;
use std::fmt::Write as _;

/// A schema's name (`#/components/schemas/X` -> X), or its type.
fn name_of(schema: &Value) -> String {
    if let Some(r) = schema["$ref"].as_str() {
        return r.rsplit('/').next().unwrap_or(r).to_owned();
    }
    match &schema["type"] {
        Value::String(t) if t == "array" => format!("list of {}", name_of(&schema["items"])),
        Value::String(t) => t.clone(),
        _ => "JSON".to_owned(),
    }
}

pub async fn reference() -> Html<String> {
    let doc = document();
    let mut out = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Jirga API reference</title><link rel=\"stylesheet\" href=\"/static/page.css\"></head>\
         <body class=\"dashboard\"><main><h1>Jirga API reference</h1>",
    );
    let _ = write!(
        out,
        "<p>{}</p><p>The machine-readable document: <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a> (OpenAPI {}). \
         Every error answers <code>{{\"error\": {{\"code\": \"…\", \"message\": \"…\"}}}}</code>; the code is stable \
         (for example <code>unknown_thread</code>, <code>body_too_long</code>, <code>rate_limited</code>, <code>sso_expired</code>).</p>",
        esc(doc["info"]["description"].as_str().unwrap_or_default()),
        esc(doc["openapi"].as_str().unwrap_or_default()),
    );
    for (path, ops) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in ops.as_object().into_iter().flatten() {
            let _ = write!(
                out,
                "<section class=\"operation\"><h2><code>{} {}</code></h2>",
                method.to_uppercase(),
                esc(path)
            );
            for key in ["summary", "description"] {
                if let Some(text) = op[key].as_str() {
                    let _ = write!(out, "<p>{}</p>", esc(text));
                }
            }
            let params: Vec<String> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| {
                    format!(
                        "<code>{}</code> ({}{})",
                        esc(p["name"].as_str().unwrap_or_default()),
                        esc(p["in"].as_str().unwrap_or_default()),
                        if p["required"] == true {
                            ", required"
                        } else {
                            ""
                        }
                    )
                })
                .collect();
            if !params.is_empty() {
                let _ = write!(out, "<p>Parameters: {}</p>", params.join(", "));
            }
            let body = &op["requestBody"]["content"]["application/json"]["schema"];
            if !body.is_null() {
                let _ = write!(out, "<p>Body: <code>{}</code></p>", esc(&name_of(body)));
            }
            out.push_str("<ul>");
            for (status, r) in op["responses"].as_object().into_iter().flatten() {
                let schema = &r["content"]["application/json"]["schema"];
                let what = if schema.is_null() {
                    esc(r["description"].as_str().unwrap_or_default())
                } else {
                    format!("<code>{}</code>", esc(&name_of(schema)))
                };
                let _ = write!(out, "<li>{status}: {what}</li>");
            }
            out.push_str("</ul></section>");
        }
    }
    out.push_str("</main></body></html>");
    Html(out)
}
