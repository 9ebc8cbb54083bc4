//! Publisher single sign-on over HTTP: HS256 tokens with rotating secrets, RS256 and ES256
//! tokens against keys a publisher serves on loopback (with a key rotated after the first
//! fetch), every refusal code, sign-out revoking the token, and a signed-in reader posting.

use crate::helpers::{ORIGIN, OTHER_ORIGIN, TestApp};
use axum::routing::get;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use jirga_web::config::{SsoClaims, SsoSecret, SsoSite};
use reqwest::StatusCode;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use serde_json::{Value, json};
use sha2::Sha256;
use std::sync::{Arc, Mutex};

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Header and claims, base64url, joined: what is signed.
fn signing_input(alg: &str, kid: &str, claims: &Value) -> String {
    let header = json!({"alg": alg, "typ": "JWT", "kid": kid});
    format!("{}.{}", b64(header.to_string()), b64(claims.to_string()))
}

fn hs256(kid: &str, secret: &str, claims: &Value) -> String {
    let input = signing_input("HS256", kid, claims);
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(input.as_bytes());
    format!("{input}.{}", b64(mac.finalize().into_bytes()))
}

fn rs256(kid: &str, key: &rsa::RsaPrivateKey, claims: &Value) -> String {
    let input = signing_input("RS256", kid, claims);
    let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(key.clone());
    format!("{input}.{}", b64(signer.sign(input.as_bytes()).to_vec()))
}

fn es256(kid: &str, key: &p256::ecdsa::SigningKey, claims: &Value) -> String {
    let input = signing_input("ES256", kid, claims);
    let signature: p256::ecdsa::Signature = key.sign(input.as_bytes());
    format!("{input}.{}", b64(signature.to_bytes()))
}

/// A reader as a publisher's backend describes them, in Coral's shape.
fn reader(site: &str, id: &str, name: &str) -> Value {
    json!({
        "aud": site, "iat": now(), "exp": now() + 600, "jti": format!("jti-{id}-{}", now()),
        "user": {"id": id, "email": format!("{id}@example.org"), "username": name,
                 "role": "staff", "badges": ["Reporter"]}
    })
}

fn news_sso() -> SsoSite {
    SsoSite {
        site: "news".into(),
        secrets: vec![
            SsoSecret {
                kid: Some("2026-10".into()),
                secret: "the old shared secret".into(),
            },
            SsoSecret {
                kid: Some("2026-11".into()),
                secret: "the new shared secret".into(),
            },
        ],
        jwks_url: None,
        issuer: None,
        max_lifetime_secs: 3600,
        claims: SsoClaims::default(),
    }
}

/// Exchanges a token from a page of the site's own origin.
async fn exchange(app: &TestApp, site: &str, token: &str) -> reqwest::Response {
    let origin = if site == "other" {
        OTHER_ORIGIN
    } else {
        ORIGIN
    };
    exchange_from(app, origin, site, token).await
}

async fn exchange_from(app: &TestApp, origin: &str, site: &str, token: &str) -> reqwest::Response {
    app.client
        .post(app.api("/sso/session"))
        .header("origin", origin)
        .json(&json!({"site": site, "token": token}))
        .send()
        .await
        .expect("request")
}

/// A moderator of `site` signed in to the dashboard: their session cookie.
async fn moderator_cookie(app: &TestApp, site: &str) -> String {
    let hash = jirga_web::auth::hash_password_now("a long enough password").expect("hash");
    let site = jirga_domain::SiteId::parse(site).expect("site");
    jirga_store::Store::create_moderator(
        app.store.as_ref(),
        "mod@example.org",
        "Mod",
        &hash,
        &[site],
    )
    .await
    .expect("moderator");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let resp = client
        .post(format!("{}/moderate/login", app.url))
        .form(&[
            ("email", "mod@example.org"),
            ("password", "a long enough password"),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let set = resp.headers()["set-cookie"].to_str().expect("cookie");
    set.split(';').next().expect("pair").to_owned()
}

/// The session cookie and CSRF token of a successful exchange.
async fn signed_in(app: &TestApp, site: &str, token: &str) -> (String, String) {
    let resp = exchange(app, site, token).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let set = resp
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("a session cookie")
        .to_owned();
    let cookie = set.split(';').next().expect("cookie").to_owned();
    assert!(cookie.starts_with("jirga_session="), "{set}");
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["signed_in"], true);
    (cookie, body["csrf"].as_str().expect("csrf").to_owned())
}

async fn refusal(app: &TestApp, site: &str, token: &str) -> (StatusCode, String) {
    let resp = exchange(app, site, token).await;
    let status = resp.status();
    let body: Value = resp.json().await.expect("json");
    (
        status,
        body["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

#[tokio::test]
async fn a_publisher_token_signs_the_reader_in_and_they_comment_under_the_publishers_name() {
    let app = TestApp::with(|s| s.sso = vec![news_sso()]).await;
    let token = hs256(
        "2026-11",
        "the new shared secret",
        &reader("news", "u-7", "Amina Khan"),
    );
    let (cookie, csrf) = signed_in(&app, "news", &token).await;
    let resp = app
        .client
        .post(app.api("/comments"))
        .header("cookie", &cookie)
        .header("x-jirga-csrf", &csrf)
        .json(&json!({"site": "news", "thread": "/sso", "body": "The river gauges at the weir were read twice a day."}))
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status(), StatusCode::CREATED);
    let posted: Value = resp.json().await.expect("json");
    let author = &posted["comment"]["author"];
    assert_eq!(author["name"], "Amina Khan", "{posted}");
    assert_eq!(author["affiliation"], "Reporter");
    assert_eq!(author["verified"], true, "the publisher's staff");

    let me: Value = app
        .client
        .get(app.api("/me?site=news"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");
    assert_eq!(
        (me["signed_in"].clone(), me["name"].clone()),
        (json!(true), json!("Amina Khan"))
    );

    // The secret being retired still works while it is listed: rotation without downtime.
    let old = hs256(
        "2026-10",
        "the old shared secret",
        &reader("news", "u-7", "Amina Khan"),
    );
    signed_in(&app, "news", &old).await;
}

#[tokio::test]
async fn each_refused_token_gets_its_code_and_the_dashboard_can_show_why() {
    let app = TestApp::with(|s| {
        let mut sso = news_sso();
        sso.issuer = Some("https://accounts.news.example".into());
        s.sso = vec![sso];
    })
    .await;
    let good = || {
        let mut c = reader("news", "u-1", "Bilal");
        c["iss"] = json!("https://accounts.news.example");
        c
    };
    let sign = |c: &Value| hs256("2026-11", "the new shared secret", c);
    let with = |f: &dyn Fn(&mut Value)| {
        let mut c = good();
        f(&mut c);
        sign(&c)
    };
    let unauthorized = StatusCode::UNAUTHORIZED;
    for (token, want) in [
        (
            hs256("2026-11", "a guessed secret", &good()),
            "sso_bad_signature",
        ),
        (
            hs256("2027-01", "the new shared secret", &good()),
            "sso_unknown_kid",
        ),
        (with(&|c| c["exp"] = json!(now() - 120)), "sso_expired"),
        (with(&|c| c["exp"] = Value::Null), "sso_missing_claim"),
        (
            with(&|c| c["user"]["id"] = Value::Null),
            "sso_missing_claim",
        ),
        (
            with(&|c| c["exp"] = json!(now() + 7200)),
            "sso_lifetime_too_long",
        ),
        (with(&|c| c["aud"] = json!("other")), "sso_wrong_audience"),
        (
            with(&|c| c["iss"] = json!("https://evil.example")),
            "sso_wrong_issuer",
        ),
        (
            with(&|c| c["iat"] = json!(now() + 600)),
            "sso_not_yet_valid",
        ),
        ("not-a-token".to_owned(), "sso_malformed"),
    ] {
        assert_eq!(
            refusal(&app, "news", &token).await,
            (unauthorized, want.to_owned()),
            "{want}"
        );
    }
    assert_eq!(
        refusal(&app, "other", &sign(&good())).await,
        (StatusCode::NOT_FOUND, "sso_not_configured".to_owned())
    );
    signed_in(&app, "news", &sign(&good())).await;

    // The site's administrator sees the last refusals, newest first, with their codes.
    let cookie = moderator_cookie(&app, "news").await;
    let page = app
        .client
        .get(format!("{}/moderate/settings/news", app.url))
        .header("cookie", cookie)
        .send()
        .await
        .expect("settings")
        .text()
        .await
        .expect("html");
    let first = page
        .find("sso_malformed")
        .expect("the newest refusal is listed");
    let last = page.find("sso_bad_signature").expect("the oldest too");
    assert!(first < last, "newest first");
}

#[tokio::test]
async fn signing_out_ends_the_session_and_revokes_the_token() {
    let app = TestApp::with(|s| s.sso = vec![news_sso()]).await;
    let token = hs256(
        "2026-11",
        "the new shared secret",
        &reader("news", "u-9", "Sara"),
    );
    let (cookie, csrf) = signed_in(&app, "news", &token).await;
    let out = |csrf: Option<&str>| {
        let mut req = app
            .client
            .post(app.api("/sso/sign-out"))
            .header("cookie", &cookie)
            .json(&json!({"site": "news", "token": token}));
        if let Some(csrf) = csrf {
            req = req.header("x-jirga-csrf", csrf);
        }
        req.send()
    };
    assert_eq!(
        out(None).await.expect("sign out").status(),
        StatusCode::FORBIDDEN,
        "CSRF first"
    );
    assert_eq!(
        out(Some(&csrf)).await.expect("sign out").status(),
        StatusCode::OK
    );
    let me: Value = app
        .client
        .get(app.api("/me?site=news"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");
    assert_eq!(me["signed_in"], false);
    assert_eq!(
        refusal(&app, "news", &token).await,
        (StatusCode::UNAUTHORIZED, "sso_revoked".to_owned())
    );
}

/// A publisher's key set on loopback; `keys` is what it publishes now.
async fn key_server(keys: Arc<Mutex<Value>>) -> String {
    let app = axum::Router::new().route(
        "/jwks",
        get(move || {
            let keys = keys.clone();
            async move { axum::Json(keys.lock().expect("keys").clone()) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/jwks", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

fn rsa_jwk(kid: &str, key: &rsa::RsaPrivateKey) -> Value {
    let public = key.to_public_key();
    json!({"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig",
           "n": b64(public.n().to_bytes_be()), "e": b64(public.e().to_bytes_be())})
}

fn ec_jwk(kid: &str, key: &p256::ecdsa::SigningKey) -> Value {
    let point = key.verifying_key().to_encoded_point(false);
    json!({"kty": "EC", "kid": kid, "crv": "P-256", "alg": "ES256",
           "x": b64(point.x().expect("x")), "y": b64(point.y().expect("y"))})
}

#[tokio::test]
async fn tokens_signed_with_the_publishers_published_keys_rs256_and_es256() {
    let mut rng = rand::thread_rng();
    let rsa_key = rsa::RsaPrivateKey::new(&mut rng, 2048).expect("rsa");
    let rogue = rsa::RsaPrivateKey::new(&mut rng, 2048).expect("rsa");
    let ec_key = p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).expect("p256");
    let next_ec = p256::ecdsa::SigningKey::from_slice(&[9u8; 32]).expect("p256");
    let keys = Arc::new(Mutex::new(
        json!({"keys": [rsa_jwk("rsa-1", &rsa_key), ec_jwk("ec-1", &ec_key)]}),
    ));
    let url = key_server(keys.clone()).await;
    let app = TestApp::with(|s| {
        s.sso = vec![SsoSite {
            site: "other".into(),
            secrets: Vec::new(),
            jwks_url: Some(url),
            issuer: None,
            max_lifetime_secs: 3600,
            claims: SsoClaims::default(),
        }]
    })
    .await;
    let who = reader("other", "u-3", "Farah");
    let shared = &app;
    let other_origin = |token: String| async move { exchange(shared, "other", &token).await };
    assert_eq!(
        other_origin(rs256("rsa-1", &rsa_key, &who)).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        other_origin(es256("ec-1", &ec_key, &who)).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        refusal(&app, "other", &rs256("rsa-1", &rogue, &who))
            .await
            .1,
        "sso_bad_signature",
        "a key the publisher does not publish"
    );
    assert_eq!(
        refusal(&app, "other", &es256("ec-2", &next_ec, &who))
            .await
            .1,
        "sso_unknown_kid"
    );
    // The publisher adds a key; the kept set lacks it, so Jirga fetches the set again.
    keys.lock().expect("keys")["keys"]
        .as_array_mut()
        .expect("list")
        .push(ec_jwk("ec-2", &next_ec));
    assert_eq!(
        other_origin(es256("ec-2", &next_ec, &who)).await.status(),
        StatusCode::OK
    );
    // A page of an origin the site does not allow cannot sign anyone in.
    let from_elsewhere = exchange_from(&app, ORIGIN, "other", &es256("ec-1", &ec_key, &who)).await;
    assert_eq!(from_elsewhere.status(), StatusCode::FORBIDDEN);
}

/// The code block that follows `marker` in the README.
fn readme_block(marker: &str) -> String {
    let readme = include_str!("../../../../README.md");
    let after = readme
        .split(marker)
        .nth(1)
        .expect("the marker in the README");
    let code = after.split("```").nth(1).expect("a code block after it");
    code.split_once('\n')
        .map(|(_, body)| body.to_owned())
        .expect("a fenced block")
}

fn run(program: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} must be installed for this test: {e}"));
    assert!(
        out.status.success(),
        "{program}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_owned()
}

#[tokio::test]
async fn the_readmes_node_and_python_examples_sign_a_reader_in() {
    let app = TestApp::with(|s| s.sso = vec![news_sso()]).await;
    let node = format!(
        "{}\nconsole.log(jirgaToken({{ id: 'n-1', username: 'Nadia', email: 'nadia@example.org' }}, \
         'the new shared secret', '2026-11', 'news'));",
        readme_block("<!-- sso-node -->")
    );
    let python = format!(
        "{}\nprint(jirga_token({{'id': 'p-1', 'username': 'Omar'}}, 'the new shared secret', '2026-11', 'news'))",
        readme_block("<!-- sso-python -->")
    );
    for token in [
        run("node", &["-e", &node]),
        run("python3", &["-c", &python]),
    ] {
        signed_in(&app, "news", &token).await;
    }
}

#[tokio::test]
async fn an_unaccepted_algorithm_and_unreachable_keys_have_their_codes_too() {
    // The site's keys are at an address nothing answers.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let app = TestApp::with(move |s| {
        let mut sso = news_sso();
        sso.jwks_url = Some(format!("http://127.0.0.1:{closed}/jwks"));
        s.sso = vec![sso];
    })
    .await;
    let claims = reader("news", "u-5", "Hina");
    let none = format!("{}.{}.", b64(r#"{"alg":"none"}"#), b64(claims.to_string()));
    assert_eq!(
        refusal(&app, "news", &none).await,
        (StatusCode::UNAUTHORIZED, "sso_algorithm".to_owned())
    );
    let key = p256::ecdsa::SigningKey::from_slice(&[5u8; 32]).expect("p256");
    assert_eq!(
        refusal(&app, "news", &es256("ec-1", &key, &claims)).await,
        (StatusCode::BAD_GATEWAY, "sso_keys_unavailable".to_owned())
    );
    // HS256 tokens do not need the keys.
    let hs = hs256("2026-11", "the new shared secret", &claims);
    signed_in(&app, "news", &hs).await;
}
