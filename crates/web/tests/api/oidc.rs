//! Sign-in with OpenID Connect against a small provider the test runs on loopback: discovery,
//! the authorization endpoint (which approves at once, as a signed-in user would), the token
//! endpoint (checking the client secret and the PKCE verifier) and its RS256 keys.

use crate::accounts::Browser;
use crate::helpers::TestApp;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::StatusCode;
use rsa::pkcs1v15::SigningKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

const CLIENT_ID: &str = "jirga-news";
const CLIENT_SECRET: &str = "provider-issued-secret";

struct Provider {
    url: String,
    key: rsa::RsaPrivateKey,
    /// A key the provider does not publish: tokens signed with it must be refused.
    rogue: rsa::RsaPrivateKey,
    sign_with_rogue: AtomicBool,
    /// code -> (nonce, code challenge, redirect uri)
    codes: Mutex<HashMap<String, (String, String, String)>>,
}

type Shared = Arc<Provider>;

async fn discovery(State(p): State<Shared>) -> impl IntoResponse {
    axum::Json(json!({
        "issuer": p.url,
        "authorization_endpoint": format!("{}/authorize", p.url),
        "token_endpoint": format!("{}/token", p.url),
        "jwks_uri": format!("{}/jwks", p.url),
        "response_types_supported": ["code"],
        "id_token_signing_alg_values_supported": ["RS256"],
    }))
}

async fn jwks(State(p): State<Shared>) -> impl IntoResponse {
    let public = p.key.to_public_key();
    axum::Json(json!({"keys": [{
        "kty": "RSA", "kid": "key-1", "alg": "RS256", "use": "sig",
        "n": URL_SAFE_NO_PAD.encode(public.n().to_bytes_be()),
        "e": URL_SAFE_NO_PAD.encode(public.e().to_bytes_be()),
    }]}))
}

async fn authorize(
    State(p): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> axum::response::Response {
    if q.get("client_id").map(String::as_str) != Some(CLIENT_ID)
        || q.get("response_type").map(String::as_str) != Some("code")
        || q.get("code_challenge_method").map(String::as_str) != Some("S256")
    {
        return (axum::http::StatusCode::BAD_REQUEST, "bad request").into_response();
    }
    let code = format!("code-{}", p.codes.lock().expect("codes").len());
    let redirect = q["redirect_uri"].clone();
    p.codes.lock().expect("codes").insert(
        code.clone(),
        (
            q["nonce"].clone(),
            q["code_challenge"].clone(),
            redirect.clone(),
        ),
    );
    Redirect::to(&format!("{redirect}?code={code}&state={}", q["state"])).into_response()
}

async fn token(
    State(p): State<Shared>,
    axum::Form(f): axum::Form<HashMap<String, String>>,
) -> axum::response::Response {
    let Some((nonce, challenge, redirect)) = p.codes.lock().expect("codes").remove(&f["code"])
    else {
        return (axum::http::StatusCode::BAD_REQUEST, "unknown code").into_response();
    };
    let verifier_ok =
        URL_SAFE_NO_PAD.encode(Sha256::digest(f["code_verifier"].as_bytes())) == challenge;
    if f["client_secret"] != CLIENT_SECRET || !verifier_ok || f["redirect_uri"] != redirect {
        return (axum::http::StatusCode::BAD_REQUEST, "invalid_grant").into_response();
    }
    let now = chrono::Utc::now().timestamp();
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","kid":"key-1","typ":"JWT"}"#);
    let claims = URL_SAFE_NO_PAD.encode(
        json!({
            "iss": p.url, "sub": "user-4711", "aud": CLIENT_ID, "iat": now, "exp": now + 300,
            "nonce": nonce, "email": "olu@example.org", "email_verified": true, "name": "Olu Idowu",
        })
        .to_string(),
    );
    let key = if p.sign_with_rogue.load(Ordering::SeqCst) {
        &p.rogue
    } else {
        &p.key
    };
    let signature =
        SigningKey::<Sha256>::new(key.clone()).sign(format!("{header}.{claims}").as_bytes());
    let id_token = format!(
        "{header}.{claims}.{}",
        URL_SAFE_NO_PAD.encode(signature.to_bytes())
    );
    axum::Json(json!({"access_token": "unused", "token_type": "Bearer", "id_token": id_token}))
        .into_response()
}

async fn start_provider() -> Shared {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let mut rng = rand::thread_rng();
    let provider = Arc::new(Provider {
        url,
        key: rsa::RsaPrivateKey::new(&mut rng, 2048).expect("key"),
        rogue: rsa::RsaPrivateKey::new(&mut rng, 2048).expect("key"),
        sign_with_rogue: AtomicBool::new(false),
        codes: Mutex::default(),
    });
    let app = axum::Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/jwks", get(jwks))
        .route("/authorize", get(authorize))
        .route("/token", post(token))
        .with_state(provider.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    provider
}

/// Follows the sign-in through the provider; returns the status of Jirga's callback.
async fn sign_in(b: &mut Browser) -> (StatusCode, String, String) {
    let (status, to_provider, _) = b
        .get("/account/oidc/start?site=news&provider=newsid&return=/account")
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, back, body) = b.get(&to_provider).await;
    assert!(status.is_redirection(), "{status} {body}");
    b.get(&back).await
}

#[tokio::test]
async fn a_reader_signs_in_with_the_sites_openid_provider() {
    let provider = start_provider().await;
    let issuer = provider.url.clone();
    let app = TestApp::with(move |s| {
        s.oidc = vec![jirga_web::config::OidcProvider {
            site: "news".into(),
            id: "newsid".into(),
            name: "News ID".into(),
            issuer,
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
        }]
    })
    .await;

    // The widget learns of the provider from /me.
    let mut b = Browser::new(&app);
    let me = b.me().await;
    assert_eq!(me["signed_in"], false);
    assert_eq!(me["providers"][0]["label"], "Sign in with News ID");

    // A callback that this browser did not start is refused (login CSRF).
    let (status, _, _) = b
        .get("/account/oidc/callback?code=code-0&state=forged")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // A token signed with a key the provider does not publish: no session.
    provider.sign_with_rogue.store(true, Ordering::SeqCst);
    let (status, _, html) = sign_in(&mut b).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{html}");
    assert!(html.contains("signature"), "{html}");
    assert_eq!(b.me().await["signed_in"], false);

    // The real thing: signed in, with the provider's name; a second sign-in is the same account.
    provider.sign_with_rogue.store(false, Ordering::SeqCst);
    let (status, location, _) = sign_in(&mut b).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, "/account");
    let me = b.me().await;
    assert_eq!(me["signed_in"], true, "{me}");
    assert_eq!(me["name"], "Olu Idowu");
    let csrf = me["csrf"].as_str().expect("csrf").to_owned();
    let resp = b
        .api(
            reqwest::Method::POST,
            "/comments",
            Some(&csrf),
            json!({"site": "news", "thread": "/oidc", "body": "Signed in through the paper's own ID."}),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let posted: Value = resp.json().await.expect("json");
    assert_eq!(posted["comment"]["author"]["name"], "Olu Idowu");
    let mut again = Browser::new(&app);
    assert_eq!(sign_in(&mut again).await.0, StatusCode::SEE_OTHER);
    let (_, _, export) = again.get("/account/export").await;
    let data: Value = serde_json::from_str(&export).expect("json");
    assert_eq!(data["account"]["signs_in_with"], "openid_connect");
    assert_eq!(data["account"]["email"], "olu@example.org");
    assert_eq!(data["comments"].as_array().expect("comments").len(), 1);
}
