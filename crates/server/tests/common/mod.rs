//! Shared helpers: an `AppState` over the repository's network file, a temporary database
//! and a small hand-made `dist/`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, Response};
use crossdock_server::{AppState, Catalog, CatalogStore, DbTarget, app, load_network, open};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub mod multiply;
pub mod testdb;

/// The repository's default network file.
pub const NETWORK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/network.json");

/// A hashed wasm file name, as Trunk writes them.
pub const WASM: &str = "crossdock-3f9a1c0e5b7d2a64_bg.wasm";
/// The inline loader Trunk appends to `index.html`.
pub const LOADER: &str =
    "\nimport init from '/crossdock-3f9a1c0e5b7d2a64.js';\nconst wasm = await init();\n";

/// The inline loader Trunk appends to the explorer's page (`dist/explore/index.html`).
pub const EXPLORE_LOADER: &str = "\nimport init from '/explore/crossdock-explore-0a1b2c3d4e5f6789.js';\nconst wasm = await init();\n";
/// The explorer's hashed wasm file, in `dist/explore/`.
pub const EXPLORE_WASM: &str = "crossdock-explore-0a1b2c3d4e5f6789_bg.wasm";

/// The delivery explorer's page, `dist/explore/index.html`.
pub fn explore_html() -> String {
    format!(
        "<!doctype html><html><head><title>Delivery explorer</title></head>\
         <body><script type=\"module\">{EXPLORE_LOADER}</script></body></html>"
    )
}

/// A page of its own in `dist/pages/{name}/index.html` (the listing page, the cart).
pub fn page_html(name: &str) -> String {
    format!(
        "<!doctype html><html><head><title>{name}</title></head>\
         <body><script type=\"module\">\nimport init from '/pages/{name}/crossdock-{name}-0a1b2c3d4e5f6789.js';\nconst wasm = await init();\n</script></body></html>"
    )
}

pub fn index_html() -> String {
    format!(
        "<!doctype html><html><head><title>Crossdock</title>\
         <link rel=\"modulepreload\" href=\"/crossdock-3f9a1c0e5b7d2a64.js\"></head>\
         <body><noscript>needs JavaScript</noscript><script type=\"module\">{LOADER}</script></body></html>"
    )
}

/// Everything one test needs; the temporary folder lives as long as this value.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub state: AppState,
    /// The fixture's database (`state.db` is a pool on it).
    pub target: DbTarget,
}

impl Fixture {
    /// A state with a built `dist/` (index.html, a hashed wasm and js, a favicon; the
    /// listing and cart pages in `pages/`; the explorer's page and wasm in `explore/`).
    pub async fn built() -> Fixture {
        let fixture = Fixture::without_dist().await;
        let dist = fixture.dist();
        std::fs::create_dir_all(dist.join("public")).unwrap();
        std::fs::write(dist.join("index.html"), index_html()).unwrap();
        std::fs::write(dist.join(WASM), b"\0asm\x01\0\0\0".repeat(200)).unwrap();
        std::fs::write(
            dist.join("crossdock-3f9a1c0e5b7d2a64.js"),
            "export default function init() { return 42; }\n".repeat(50),
        )
        .unwrap();
        std::fs::write(dist.join("public/favicon.svg"), "<svg></svg>").unwrap();
        for name in ["listing", "cart", "seller"] {
            std::fs::create_dir_all(dist.join("pages").join(name)).unwrap();
            std::fs::write(
                dist.join("pages").join(name).join("index.html"),
                page_html(name),
            )
            .unwrap();
        }
        std::fs::create_dir_all(dist.join("explore")).unwrap();
        std::fs::write(dist.join("explore/index.html"), explore_html()).unwrap();
        std::fs::write(
            dist.join("explore").join(EXPLORE_WASM),
            b"\0asm\x01\0\0\0".repeat(100),
        )
        .unwrap();
        fixture
    }

    /// A state whose `dist/` folder does not exist (the app is not built).
    pub async fn without_dist() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let network = load_network(Path::new(NETWORK)).unwrap_or_else(|e| panic!("{e}"));
        // A copy of a database that already holds the demo catalog: seeding it once per
        // test binary keeps every fixture fast.
        let (template, catalog) = template_db();
        let target = match template {
            DbTarget::Sqlite(template) => {
                let path = dir.path().join("var/test.sqlite");
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::copy(template, &path).unwrap();
                DbTarget::Sqlite(path)
            }
            DbTarget::Postgres(template) => DbTarget::Postgres(testdb::create_database(
                template,
                Some(&testdb::database_name(template)),
            )),
        };
        let db = open(&target).await.unwrap_or_else(|e| panic!("{e}"));
        // The catalog as `AppState::new` loads it, loaded once for all fixtures.
        let state = AppState {
            network: Arc::new(network),
            dist: Arc::new(dir.path().join("dist")),
            writes: crossdock_server::db::WriteTurns::for_pool(&db),
            imports: crossdock_server::ImportJobs::default(),
            db,
            catalog: Arc::new(CatalogStore::shared(catalog.clone())),
            pricing: pricing_rules(),
            metrics: Arc::default(),
        };
        Fixture { dir, state, target }
    }

    /// GET `uri` and parse the JSON body, asserting the status.
    pub async fn json(&self, uri: &str, status: u16) -> serde_json::Value {
        let (response, body) = self.get(uri).await;
        assert_eq!(
            response.status().as_u16(),
            status,
            "{uri}: {}",
            String::from_utf8_lossy(&body)
        );
        serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{uri}: {e}"))
    }

    /// POST `body` as JSON to `uri`; the status and the parsed answer.
    pub async fn post_json(&self, uri: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
        self.post_raw(uri, "application/json", body.to_string().into_bytes())
            .await
    }

    /// POST raw bytes with a content type; the status and the parsed answer.
    pub async fn post_raw(
        &self,
        uri: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> (u16, serde_json::Value) {
        let mut request = Request::post(uri);
        if !content_type.is_empty() {
            request = request.header("content-type", content_type);
        }
        let (response, bytes) = self.send(request.body(Body::from(body)).unwrap()).await;
        let json = serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("{uri}: {e}: {}", String::from_utf8_lossy(&bytes)));
        (response.status().as_u16(), json)
    }

    /// A second pool on the fixture's database, as another server process would open it.
    pub async fn reopen(&self) -> sqlx::AnyPool {
        open(&self.target).await.unwrap_or_else(|e| panic!("{e}"))
    }

    pub fn dist(&self) -> PathBuf {
        self.state.dist.as_ref().clone()
    }

    /// Sends one request through the whole app.
    pub async fn send(&self, request: Request<Body>) -> (Response<Body>, Vec<u8>) {
        let response = app(self.state.clone()).oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.unwrap().to_bytes().to_vec();
        (Response::from_parts(parts, Body::empty()), bytes)
    }

    pub async fn get(&self, uri: &str) -> (Response<Body>, Vec<u8>) {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }
}

/// A database holding the demo catalog (a file, or a PostgreSQL database the fixtures
/// copy), and the catalog loaded from it, made once per test binary.
pub fn template_db() -> (&'static DbTarget, &'static Arc<Catalog>) {
    type Template = (tempfile::TempDir, DbTarget, Arc<Catalog>);
    static TEMPLATE: OnceLock<Template> = OnceLock::new();
    let (_, target, catalog) = TEMPLATE.get_or_init(|| {
        // Its own thread and runtime: the pool must be closed (and the WAL checkpointed)
        // before the file is copied, whatever runtime the calling test runs on.
        std::thread::spawn(|| {
            let dir = tempfile::tempdir().unwrap();
            let target = testdb::fresh(dir.path(), "template.sqlite");
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            let catalog = runtime.block_on(async {
                let network = load_network(Path::new(NETWORK)).unwrap_or_else(|e| panic!("{e}"));
                let db = open(&target).await.unwrap_or_else(|e| panic!("{e}"));
                crossdock_server::seed_demo_catalog(&db, network.network())
                    .await
                    .unwrap();
                let catalog = Catalog::load(&db, network.network()).await.unwrap();
                db.close().await;
                catalog
            });
            (dir, target, Arc::new(catalog))
        })
        .join()
        .unwrap()
    });
    (target, catalog)
}

/// A response header as text ("" when absent).
pub fn header<'a>(response: &'a Response<Body>, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or("")
}

/// A signed-in seller as the seller panel holds it: the session cookie (`name=value`, for
/// a `Cookie` header) and the CSRF token every write sends as `x-csrf-token`.
pub struct SignedIn {
    pub cookie: String,
    pub csrf: String,
    /// The sign-in's answer.
    pub body: serde_json::Value,
}

impl Fixture {
    /// A fixture whose database also holds the demo seller accounts (debug builds hash
    /// their passwords with light argon2 parameters, so this takes milliseconds).
    pub async fn with_sellers() -> Fixture {
        let fixture = Fixture::without_dist().await;
        crossdock_server::seed_demo_accounts(&fixture.state.db)
            .await
            .unwrap();
        fixture
    }

    /// Signs demo seller `seller_id` in with its documented credentials.
    pub async fn sign_in(&self, seller_id: &str) -> SignedIn {
        let body = serde_json::json!({
            "login": crossdock_server::demo_login(seller_id),
            "password": crossdock_server::demo_password(seller_id),
        });
        let request = Request::post("/api/seller/session")
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let (response, bytes) = self.send(request).await;
        assert_eq!(
            response.status(),
            200,
            "{}",
            String::from_utf8_lossy(&bytes)
        );
        let cookie = header(&response, "set-cookie")
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        SignedIn {
            cookie,
            csrf: body["csrf_token"].as_str().unwrap().to_owned(),
            body,
        }
    }

    /// Sends `method uri` as `who` (cookie and CSRF token), with a JSON body when given;
    /// the status and the parsed answer (`null` when there is no body).
    pub async fn as_seller(
        &self,
        who: &SignedIn,
        method: &str,
        uri: &str,
        body: Option<&serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header("cookie", &who.cookie)
            .header("x-csrf-token", &who.csrf);
        if body.is_some() {
            request = request.header("content-type", "application/json");
        }
        let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
        let (response, bytes) = self.send(request.body(body).unwrap()).await;
        let json = if bytes.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|e| panic!("{uri}: {e}: {}", String::from_utf8_lossy(&bytes)))
        };
        (response.status().as_u16(), json)
    }
}

/// The repository's pricing rules file (`data/pricing.json`), loaded once per test binary
/// and checked against the repository's network, as `crossdock-server` loads it.
pub fn pricing_rules() -> Arc<crossdock_server::LoadedPricing> {
    static RULES: OnceLock<Arc<crossdock_server::LoadedPricing>> = OnceLock::new();
    RULES
        .get_or_init(|| {
            let network = load_network(Path::new(NETWORK)).unwrap_or_else(|e| panic!("{e}"));
            let path = Path::new(NETWORK).with_file_name("pricing.json");
            Arc::new(
                crossdock_server::load_pricing(&path, network.network())
                    .unwrap_or_else(|e| panic!("{e}")),
            )
        })
        .clone()
}

impl Fixture {
    /// Sends `method uri` with exactly `headers` (no cookie or CSRF token unless given),
    /// with a JSON body when given; the status and the parsed answer (`null` when empty).
    pub async fn request_json(
        &self,
        method: &str,
        uri: &str,
        headers: &[(&str, &str)],
        body: Option<&serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        send_json(self.state.clone(), method, uri, headers, body).await
    }
}

/// [`Fixture::request_json`] on a state of its own, for requests sent from spawned tasks.
pub async fn send_json(
    state: AppState,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: Option<&serde_json::Value>,
) -> (u16, serde_json::Value) {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if body.is_some() {
        request = request.header("content-type", "application/json");
    }
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    let response = app(state)
        .oneshot(request.body(body).unwrap())
        .await
        .unwrap();
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let json = if bytes.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("{uri}: {e}: {}", String::from_utf8_lossy(&bytes)))
    };
    (status, json)
}

/// Checks `value` against the schema `name` of the OpenAPI document `doc`: types,
/// required properties, and no property the schema does not declare. Returns the
/// problems found.
pub fn schema_problems(
    doc: &serde_json::Value,
    name: &str,
    value: &serde_json::Value,
) -> Vec<String> {
    let mut errors = Vec::new();
    let schema_ref = serde_json::json!({"$ref": format!("#/components/schemas/{name}")});
    conform_to(doc, &schema_ref, value, "$", &mut errors);
    errors
}

fn conform_to(
    doc: &serde_json::Value,
    schema: &serde_json::Value,
    value: &serde_json::Value,
    at: &str,
    errors: &mut Vec<String>,
) {
    use serde_json::Value;
    let schema = resolve_ref(doc, schema);
    if let Some(branches) = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)
    {
        let fits = branches.iter().any(|b| {
            let mut e = Vec::new();
            conform_to(doc, b, value, at, &mut e);
            e.is_empty()
        });
        if !fits {
            errors.push(format!("{at}: fits no branch of {schema}: {value}"));
        }
        return;
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        let mut properties = serde_json::Map::new();
        let mut required = Vec::new();
        for part in parts {
            let part = resolve_ref(doc, part);
            if let Some(p) = part.get("properties").and_then(Value::as_object) {
                properties.extend(p.clone());
            }
            if let Some(r) = part.get("required").and_then(Value::as_array) {
                required.extend(r.clone());
            }
        }
        let merged =
            serde_json::json!({"type": "object", "properties": properties, "required": required});
        conform_to(doc, &merged, value, at, errors);
        return;
    }
    if let Some(types) = schema.get("type") {
        let types: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let fits = types.contains(&actual) || (actual == "integer" && types.contains(&"number"));
        if !fits {
            errors.push(format!("{at}: {actual} where the schema says {types:?}"));
            return;
        }
    }
    match value {
        Value::Object(map) => {
            if let Some(required) = schema.get("required").and_then(Value::as_array) {
                for r in required.iter().filter_map(Value::as_str) {
                    if !map.contains_key(r) {
                        errors.push(format!("{at}: required \"{r}\" missing"));
                    }
                }
            }
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                for (key, v) in map {
                    match properties.get(key) {
                        Some(s) => conform_to(doc, s, v, &format!("{at}.{key}"), errors),
                        None => errors.push(format!("{at}: \"{key}\" is not in the schema")),
                    }
                }
            }
        }
        Value::Array(list) => {
            if let Some(items) = schema.get("items") {
                for (i, v) in list.iter().enumerate() {
                    conform_to(doc, items, v, &format!("{at}[{i}]"), errors);
                }
            }
        }
        _ => {}
    }
}

fn resolve_ref<'a>(
    doc: &'a serde_json::Value,
    schema: &'a serde_json::Value,
) -> &'a serde_json::Value {
    match schema.get("$ref").and_then(serde_json::Value::as_str) {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            resolve_ref(doc, &doc["components"]["schemas"][name])
        }
        None => schema,
    }
}
