//! The route-permission test: every REST route, server function and live message, tried as
//! every kind of caller — anonymous, a guest holding a share link, a signed-in stranger,
//! each project role, the instance admin and an invited account.
//!
//! Those the list says may not get `401`/`403`/`404` (or, from a server function or the
//! socket, `unauthenticated`/`forbidden`/`not_found`); the least powerful caller that may
//! succeeds. Routes that destroy something act on objects made for them. Every state-changing
//! route and server function is also sent cross-site with a session cookie, and must be
//! refused as CSRF. The test fails when the router has a REST route or server function the
//! list does not name, and writes the list out as `PERMISSIONS.md` (checked, or rewritten
//! with `UPDATE_PERMISSIONS=1`).

mod doc;
mod rules;
mod server_fns;
mod world;

use crate::support::{As, Reply, TestResult, ORIGIN};
use crate::ws_client::Ws;
use http::Method;
use model::permission::{grant, Action, Grant};
use model::Role;
use std::time::Duration;
use world::World;

/// What a route requires of its caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in account.
    Account,
    /// The instance admin.
    Admin,
    /// A project member whose role allows the action.
    Member(Action),
    /// The author of the comment, or a role allowed the action on anyone's.
    Author(Action),
    /// A guest who opened (and unlocked) the share link.
    Guest,
    /// The account the invitation was sent to.
    Invitee,
}

/// Who calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Who {
    Anonymous,
    Guest,
    Stranger,
    Invitee,
    Viewer,
    Commenter,
    Editor,
    Owner,
    Admin,
}

impl Who {
    /// Least powerful first: the first allowed caller is the one that succeeds.
    pub const ALL: [Who; 9] = [
        Who::Anonymous,
        Who::Guest,
        Who::Stranger,
        Who::Invitee,
        Who::Viewer,
        Who::Commenter,
        Who::Editor,
        Who::Owner,
        Who::Admin,
    ];

    fn role(self) -> Option<Role> {
        match self {
            Who::Viewer => Some(Role::Viewer),
            Who::Commenter => Some(Role::Commenter),
            Who::Editor => Some(Role::Editor),
            Who::Owner => Some(Role::Owner),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Who::Anonymous => "anonymous",
            Who::Guest => "guest",
            Who::Stranger => "stranger",
            Who::Invitee => "invitee",
            Who::Viewer => "viewer",
            Who::Commenter => "commenter",
            Who::Editor => "editor",
            Who::Owner => "owner",
            Who::Admin => "admin",
        }
    }
}

impl Need {
    /// Whether `who` may use a route needing this (the fixture's comments are the
    /// commenter's own).
    pub fn allows(self, who: Who) -> bool {
        let signed_in = !matches!(who, Who::Anonymous | Who::Guest);
        match self {
            Need::Public => true,
            Need::Account => signed_in,
            Need::Admin => who == Who::Admin,
            Need::Member(action) => who.role().is_some_and(|r| r.can(action)),
            Need::Author(action) => who.role().is_some_and(|r| match grant(r, action) {
                Grant::Any => true,
                Grant::Own => who == Who::Commenter,
                Grant::None => false,
            }),
            Need::Guest => who == Who::Guest,
            Need::Invitee => who == Who::Invitee,
        }
    }

    pub fn label(self) -> String {
        match self {
            Need::Public => "public".into(),
            Need::Account => "signed in".into(),
            Need::Admin => "instance admin".into(),
            Need::Member(a) => format!("member: {}", action_name(a)),
            Need::Author(a) => format!("author or member: {}", action_name(a)),
            Need::Guest => "share-link guest".into(),
            Need::Invitee => "the invited account".into(),
        }
    }
}

fn action_name(a: Action) -> String {
    serde_json::to_value(a)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

const DENIED: [&str; 3] = ["unauthenticated", "forbidden", "not_found"];

/// What a call came back as.
#[derive(Debug)]
struct Outcome {
    denied: bool,
    ok: bool,
    detail: String,
}

fn outcome(r: &Reply, route: &str) -> Outcome {
    let status = r.status.as_u16();
    // Anyone holding an invitation link may try to create the invited account; the address
    // has one, so they are told to sign in instead.
    let refused = route == "/api/v1/invite/{token}/accept" && r.code() == "email_taken";
    Outcome {
        denied: matches!(status, 401 | 403 | 404) || refused,
        ok: r.status.is_success() || r.status.is_redirection() || extra_ok(route).contains(&status),
        detail: format!("{status} {}", r.text.chars().take(200).collect::<String>()),
    }
}

/// Statuses that still show the permission check passed.
fn extra_ok(route: &str) -> &'static [u16] {
    match route {
        // A plain request, not an upgrade: the socket would open.
        "/api/v1/ws" => &[400, 426],
        _ => &[],
    }
}

/// Checks one rule: every caller it denies is denied, the least powerful it allows succeeds.
async fn check<F, Fut>(what: &str, need: Need, mut call: F) -> anyhow::Result<Vec<String>>
where
    F: FnMut(Who) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<Outcome>>,
{
    let mut failures = Vec::new();
    for who in Who::ALL.into_iter().filter(|w| !need.allows(*w)) {
        let o = call(who).await?;
        if !o.denied {
            failures.push(format!("{what}: {} should be denied, got {}", who.label(), o.detail));
        }
    }
    if let Some(who) = Who::ALL.into_iter().find(|w| need.allows(*w)) {
        let o = call(who).await?;
        if !o.ok {
            failures.push(format!("{what}: {} should be allowed, got {}", who.label(), o.detail));
        }
    }
    Ok(failures)
}

impl World {
    /// The headers a caller sends besides its session.
    fn identity(&self, who: Who) -> (As, Vec<(&str, String)>) {
        let mut headers = vec![("origin", ORIGIN.to_owned())];
        let who_as = match who {
            Who::Guest => {
                headers.push(("cookie", self.guest_cookie.clone()));
                As::Anonymous
            }
            other => self.who.get(&other).cloned().unwrap_or_default(),
        };
        (who_as, headers)
    }

    async fn rest(&self, rule: &rules::Rest, who: Who) -> anyhow::Result<Outcome> {
        let (method, route, _, path, body) = *rule;
        let path = self.fill(path)?;
        let body = self.fill(body)?;
        let (who_as, mut headers) = self.identity(who);
        let method = Method::from_bytes(method.as_bytes())?;
        let tus = route.starts_with("/api/v1/uploads");
        let (bytes, json) = if tus {
            headers.push(("tus-resumable", "1.0.0".into()));
            match method {
                Method::POST => {
                    headers.push(("upload-length", "10".into()));
                    headers.push(("upload-metadata", self.var("TUS_META").to_owned()));
                }
                Method::PATCH => {
                    headers.push(("upload-offset", "0".into()));
                    headers.push(("content-type", "application/offset+octet-stream".into()));
                    return self
                        .send(method, &path, b"abcd".to_vec(), false, &who_as, &headers, route)
                        .await;
                }
                _ => {}
            }
            (Vec::new(), false)
        } else if body.is_empty() {
            (Vec::new(), false)
        } else if body.starts_with('{') || body.starts_with('[') {
            (body.into_bytes(), true)
        } else {
            headers.push(("content-type", "text/plain".into()));
            (body.replace("\\n", "\n").into_bytes(), false)
        };
        self.send(method, &path, bytes, json, &who_as, &headers, route).await
    }

    #[expect(clippy::too_many_arguments)]
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Vec<u8>,
        json: bool,
        who: &As,
        headers: &[(&str, String)],
        route: &str,
    ) -> anyhow::Result<Outcome> {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = self.app.send_bytes(method, path, body, json, who, &headers).await?;
        Ok(outcome(&r, route))
    }

    async fn server_fn(&self, path: &str, rule: &server_fns::ServerFn, who: Who) -> anyhow::Result<Outcome> {
        let (_, _, json, args) = *rule;
        let args: serde_json::Value = serde_json::from_str(&self.fill(args)?)?;
        let (who_as, mut headers) = self.identity(who);
        let body = if json {
            args.to_string().into_bytes()
        } else {
            headers.push(("content-type", "application/x-www-form-urlencoded".into()));
            let pairs: Vec<String> = args
                .as_object()
                .map(|o| {
                    o.iter()
                        .map(|(k, v)| {
                            let v = v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string());
                            format!("{k}={}", urlencode(&v))
                        })
                        .collect()
                })
                .unwrap_or_default();
            pairs.join("&").into_bytes()
        };
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = self
            .app
            .send_bytes(Method::POST, path, body, json, &who_as, &headers)
            .await?;
        let code = r.body["code"]
            .as_str()
            .or_else(|| r.body["error"]["code"].as_str())
            .unwrap_or("");
        // As for the REST route: the link's holder is told to sign in as the invited address.
        let refused = rule.0 == "accept_invitation" && code == "email_taken";
        Ok(Outcome {
            denied: DENIED.contains(&code) || matches!(r.status.as_u16(), 401 | 403 | 404) || refused,
            ok: r.status.is_success(),
            detail: format!("{} {}", r.status, r.text.chars().take(200).collect::<String>()),
        })
    }

    async fn live(&self, base: &str, rule: &rules::Live, who: Who) -> anyhow::Result<Outcome> {
        let (kind, _, message) = *rule;
        // A guest's share cookie is no session: the socket sees no one.
        let (connect_as, _) = self.identity(who);
        let mut ws = match Ws::connect(base, &connect_as, Some(ORIGIN)).await? {
            Ok(ws) => ws,
            Err(refused) => {
                return Ok(Outcome {
                    denied: matches!(refused.status, 401 | 403 | 404),
                    ok: false,
                    detail: format!("socket refused: {} {}", refused.status, refused.body),
                })
            }
        };
        if kind != "subscribe" {
            let sub = self.fill(rules::LIVE[0].2)?;
            ws.send(serde_json::from_str(&sub)?).await?;
            if kind == "session_state" {
                let start = self.fill(rules::LIVE[4].2)?;
                ws.send(serde_json::from_str(&start)?).await?;
            }
        }
        ws.send(serde_json::from_str(&self.fill(message)?)?).await?;
        // A marker that always fails, with its own message: every error before it belongs to
        // the messages above.
        let nowhere = uuid::Uuid::new_v4();
        let marker =
            serde_json::json!({"type": "cursor", "project_id": nowhere, "asset_id": nowhere, "x": 2.0, "y": 2.0});
        ws.send(marker).await?;
        let mut errors = Vec::new();
        loop {
            let Some(v) = ws.next_within(Duration::from_secs(10)).await? else {
                anyhow::bail!("{kind}: no reply to the marker; saw {:?}", ws.seen);
            };
            if v["type"] != "error" {
                continue;
            }
            if v["message"].as_str().is_some_and(|m| m.contains("both 0..1")) {
                break;
            }
            errors.push(v);
        }
        let denied = errors.iter().any(|e| {
            DENIED.contains(&e["code"].as_str().unwrap_or_default())
                || e["message"].as_str().is_some_and(|m| m.contains("subscribe"))
        });
        Ok(Outcome {
            denied,
            ok: errors.is_empty(),
            detail: format!("errors {errors:?}"),
        })
    }
}

/// Every state-changing REST route and every server function, sent with the owner's session
/// cookie from another site, is refused with `403 csrf_failed` before it runs.
async fn cross_site_writes(world: &World, fns: &[(String, String)]) -> anyhow::Result<Vec<String>> {
    let owner = world.who[&Who::Owner].clone();
    let evil = [("origin", "https://evil.example")];
    let mut failures = Vec::new();
    let mut sent = Vec::new();
    for (method, route, _, path, body) in rules::REST {
        if matches!(*method, "GET" | "HEAD" | "OPTIONS") {
            continue;
        }
        let body = world.fill(body)?;
        let method = Method::from_bytes(method.as_bytes())?;
        sent.push((format!("{method} {route}"), world.fill(path)?, method, body));
    }
    for (name, path) in fns {
        sent.push((format!("server fn {name}"), path.clone(), Method::POST, String::new()));
    }
    for (what, path, method, body) in sent {
        let r = world
            .app
            .send_bytes(method, &path, body.into_bytes(), true, &owner, &evil)
            .await?;
        if r.status.as_u16() != 403 || r.code() != "csrf_failed" {
            failures.push(format!("{what}: a cross-site write got {} {}", r.status, r.text));
        }
    }
    Ok(failures)
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The server function paths the app registered, by function name.
fn server_fn_paths() -> Vec<(String, String)> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| {
            let last = path.rsplit('/').next().unwrap_or_default();
            let name = last.trim_end_matches(|c: char| c.is_ascii_digit()).to_owned();
            (name, path.to_owned())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_checks_the_callers_permission() -> TestResult {
    // The list names every route, no more.
    let openapi = doc::openapi_routes()?;
    let listed: Vec<(String, String)> = rules::REST.iter().map(|r| (r.0.to_owned(), r.1.to_owned())).collect();
    let missing: Vec<_> = openapi.iter().filter(|r| !listed.contains(r)).collect();
    let extra: Vec<_> = listed.iter().filter(|r| !openapi.contains(r)).collect();
    anyhow::ensure!(
        missing.is_empty() && extra.is_empty(),
        "REST routes missing from permissions/rules.rs: {missing:?}; listed but not routed: {extra:?}"
    );
    let fns = server_fn_paths();
    let names: Vec<&str> = server_fns::SERVER_FNS.iter().map(|f| f.0).collect();
    let unlisted: Vec<_> = fns.iter().filter(|(n, _)| !names.contains(&n.as_str())).collect();
    let gone: Vec<_> = names.iter().filter(|n| !fns.iter().any(|(f, _)| f == *n)).collect();
    anyhow::ensure!(
        unlisted.is_empty() && gone.is_empty(),
        "server functions missing from permissions/rules.rs: {unlisted:?}; listed but not registered: {gone:?}"
    );
    doc::check_live_list()?;
    doc::write_or_check()?;

    let world = world::build().await?;
    let mut failures = Vec::new();
    failures.extend(cross_site_writes(&world, &fns).await?);
    let base = world.app.serve_live().await?;
    // Logging out ends the session the later rules run as: those go last.
    for logout in [false, true] {
        for rule in rules::REST.iter().filter(|r| r.1.contains("logout") == logout) {
            let what = format!("{} {}", rule.0, rule.1);
            failures.extend(check(&what, rule.2, |who| world.rest(rule, who)).await?);
        }
        for rule in server_fns::SERVER_FNS
            .iter()
            .filter(|r| r.0.contains("logout") == logout)
        {
            let path = fns
                .iter()
                .find(|(n, _)| n == rule.0)
                .map(|(_, p)| p.clone())
                .unwrap_or_default();
            let what = format!("server fn {}", rule.0);
            failures.extend(check(&what, rule.1, |who| world.server_fn(&path, rule, who)).await?);
        }
        if !logout {
            for rule in rules::LIVE {
                let what = format!("live {}", rule.0);
                failures.extend(check(&what, rule.1, |who| world.live(&base, rule, who)).await?);
            }
        }
    }
    anyhow::ensure!(
        failures.is_empty(),
        "{} permission failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    Ok(())
}
