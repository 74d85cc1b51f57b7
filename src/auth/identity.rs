//! Who is asking: resolved once per request from the session cookie or a bearer token,
//! with the cross-site and CSRF checks every state-changing request must pass.

use std::net::IpAddr;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderMap};
use actix_web::middleware::Next;
use actix_web::{Error, FromRequest, HttpMessage, HttpRequest, ResponseError, web};
use chrono::{Duration, Utc};
use std::future::{Ready, ready};

use super::tokens;
use crate::config::Settings;
use crate::domain::accounts::Account;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::session_cache::{self, CachedSession, SessionCache};
use crate::store::sessions::SessionRow;
use crate::store::{self, DbConnection, audit::AuditEvent};

pub const CSRF_HEADER: &str = "x-csrf-token";
pub const CSRF_FIELD: &str = "csrf_token";

/// The session cookie's name: the `__Host-` prefix (Secure, no Domain, Path=/) where the
/// service is on https; browsers refuse that prefix over plain http.
pub fn cookie_name(settings: &Settings) -> &'static str {
    if settings.is_https() {
        "__Host-concerto"
    } else {
        "concerto"
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Session,
    ApiToken,
}

/// A signed-in person.
#[derive(Debug, Clone)]
pub struct Identity {
    pub account: Account,
    pub via: Via,
    pub session_id: Option<i64>,
    pub csrf_token: Option<String>,
    /// Password given, two-factor code still owed: only the code route accepts this.
    pub mfa_pending: bool,
    /// This sign-in (or the session that made this token) presented the second factor:
    /// the powers two-factor guards ask this, not whether the account has it on.
    pub second_factor: bool,
}

/// The client's address: the peer's, or what a trusted proxy says it forwarded for.
pub fn client_ip(req: &HttpRequest, trusted: &[IpAddr]) -> String {
    let peer = req.peer_addr().map(|a| a.ip());
    let Some(peer) = peer else {
        return "unknown".into();
    };
    if !trusted.contains(&peer) {
        return peer.to_string();
    }
    // The nearest address not added by one of our proxies is the client's.
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    forwarded
        .split(',')
        .rev()
        .filter_map(|s| s.trim().parse::<IpAddr>().ok())
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer)
        .to_string()
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Browsers say where a request comes from; anything but this site is refused for
/// state-changing requests (clients that are not browsers send neither header).
/// `Sec-Fetch-Site` is preferred: pages sent with `Referrer-Policy: no-referrer` make the
/// browser send `Origin: null` even for this very site.
fn cross_site(headers: &HeaderMap, own_origin: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) => origin != own_origin,
        None => false,
    }
}

/// How long a session's idle timer goes without being renewed in the database (a write
/// per request otherwise). Within it, a session may be served from the session cache.
const RENEW_AFTER: Duration = Duration::minutes(1);

fn session_identity(session: &SessionRow, account: Account) -> Identity {
    Identity {
        account,
        via: Via::Session,
        session_id: Some(session.id),
        csrf_token: Some(session.csrf_token.clone()),
        mfa_pending: session.mfa_pending,
        second_factor: session.second_factor && !session.mfa_pending,
    }
}

/// The session from memory, when the cache can vouch for it: known, not expired, renewed
/// less than a minute ago, not awaiting a second factor, account not suspended.
fn cached_session(cache: &SessionCache, key_hash: &str) -> Option<Identity> {
    let cached = cache.get(key_hash)?;
    let fresh = session_cache::still_fresh(&cached.session, Utc::now().naive_utc(), RENEW_AFTER);
    (fresh && !cached.account.suspended)
        .then(|| session_identity(&cached.session, cached.account.clone()))
}

/// Looks a session key up in the database; expired sessions are deleted on sight. A valid
/// session is kept in the cache, unless a change to sessions or accounts happened while it
/// was being read.
fn resolve_session(
    conn: &mut DbConnection,
    key_hash: String,
    settings: &Settings,
    cache: &SessionCache,
) -> Result<Option<Identity>, AppError> {
    let generation = cache.generation();
    let Some((mut session, user)) = store::sessions::find_by_key_hash(conn, &key_hash)? else {
        return Ok(None);
    };
    let now = Utc::now();
    let idle = Duration::minutes(if session.mfa_pending {
        5
    } else {
        settings.sessions.idle_minutes
    });
    let expired =
        now.naive_utc() >= session.expires_at || now.naive_utc() >= session.last_seen_at + idle;
    let account = Account::from(&user);
    if expired || account.suspended {
        store::sessions::delete(conn, session.id)?;
        return Ok(None);
    }
    if now.naive_utc() - session.last_seen_at > RENEW_AFTER {
        store::write_transaction(conn, |conn| store::sessions::touch(conn, session.id, now))?;
        session.last_seen_at = now.naive_utc();
    }
    let identity = session_identity(&session, account.clone());
    if !session.mfa_pending {
        cache.fill(key_hash, generation, CachedSession { session, account });
    }
    Ok(Some(identity))
}

fn resolve_token(conn: &mut DbConnection, token: &str) -> Result<Option<Identity>, AppError> {
    let Some((user, second_factor)) =
        store::api_tokens::find_user(conn, &tokens::hash(token), Utc::now())?
    else {
        return Ok(None);
    };
    let account = Account::from(&user);
    if account.suspended {
        return Ok(None);
    }
    let second_factor = second_factor && account.two_factor;
    Ok(Some(Identity {
        account,
        via: Via::ApiToken,
        session_id: None,
        csrf_token: None,
        mfa_pending: false,
        second_factor,
    }))
}

/// Reads `csrf_token` from the first part of a `multipart/form-data` body (a page's
/// upload form puts it first), reading no more than that part, then puts back what it
/// read in front of the rest: the file behind it still streams to the handler.
async fn csrf_from_multipart(req: &mut ServiceRequest) -> Option<String> {
    /// Enough for the part's headers and the token; a form that does not start with it
    /// is refused.
    const MAX: usize = 4096;
    let boundary = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .filter(|ct| ct.starts_with("multipart/form-data"))
        .and_then(|ct| {
            ct.split(';')
                .find_map(|p| p.trim().strip_prefix("boundary="))
        })
        .map(|b| b.trim_matches('"').to_owned())?;
    let mut payload = req.take_payload();
    let mut head = web::BytesMut::new();
    let mut broken = false;
    use futures_util::StreamExt as _;
    let token = loop {
        if let Some(token) = first_part_token(&head, &boundary) {
            break token;
        }
        if head.len() > MAX {
            break None;
        }
        match payload.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            Some(Err(_)) => {
                broken = true;
                break None;
            }
            None => break None,
        }
    };
    let head = head.freeze();
    let rest: actix_web::dev::Payload = if broken { Payload::None } else { payload };
    let stream =
        futures_util::stream::once(async move { Ok::<_, actix_web::error::PayloadError>(head) })
            .chain(rest);
    req.set_payload(Payload::Stream {
        payload: Box::pin(stream),
    });
    token
}

/// `Some(Some(token))` once `head` holds a first part named `csrf_token` whole,
/// `Some(None)` when its first part is something else, `None` while it may still come.
fn first_part_token(head: &[u8], boundary: &str) -> Option<Option<String>> {
    let text = std::str::from_utf8(head).ok().or_else(|| {
        // Cut inside a character: what is whole so far.
        let valid = std::str::from_utf8(head).err()?.valid_up_to();
        std::str::from_utf8(&head[..valid]).ok()
    })?;
    let start = text.find(&format!("--{boundary}\r\n"))?;
    let after = &text[start + boundary.len() + 4..];
    let (headers, body) = after.split_once("\r\n\r\n")?;
    if !headers.lines().any(|l| {
        l.to_ascii_lowercase().starts_with("content-disposition")
            && l.contains("name=\"csrf_token\"")
    }) {
        return Some(None);
    }
    let (value, _) = body.split_once(&format!("\r\n--{boundary}"))?;
    Some(Some(value.trim().to_owned()))
}

/// Reads `csrf_token` from a urlencoded form body, then puts the body back for the handler.
async fn csrf_from_form(req: &mut ServiceRequest, limit: usize) -> Option<String> {
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return None;
    }
    let mut payload = req.take_payload();
    let mut body = web::BytesMut::new();
    use futures_util::StreamExt as _;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.ok()?;
        if body.len() + chunk.len() > limit {
            // Too large: let the form extractor refuse it with 413.
            body.extend_from_slice(&chunk);
            break;
        }
        body.extend_from_slice(&chunk);
    }
    let body = body.freeze();
    let token = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body)
        .ok()
        .and_then(|pairs| {
            pairs
                .into_iter()
                .find(|(k, _)| k == CSRF_FIELD)
                .map(|(_, v)| v)
        });
    req.set_payload(Payload::from(body));
    token
}

fn refuse(req: ServiceRequest, error: AppError) -> ServiceResponse<BoxBody> {
    let response = error.error_response();
    req.into_response(response)
}

/// Resolves the identity, then refuses cross-site state changes and cookie-borne state
/// changes without the session's CSRF token (each refusal audited).
pub async fn resolve(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .expect("application state");
    let settings = state.settings.clone();
    let ip = client_ip(req.request(), &settings.trusted_proxies);
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned());
    // Browsers post CSP reports with the session cookie but without our CSRF header:
    // that route is anonymous, so it is neither refused nor able to act for anyone.
    let anonymous_route = req.path() == crate::api::csp::PATH;
    let bearer = bearer.filter(|_| !anonymous_route);
    let cookie = req
        .cookie(cookie_name(&settings))
        .map(|c| c.value().to_owned())
        .filter(|_| !anonymous_route);
    let unsafe_method = is_unsafe(req.method());

    if unsafe_method && cross_site(req.headers(), settings.origin()) {
        audit_refusal(&state, None, "cross_site_refused", &ip, req.path()).await;
        return Ok(refuse(
            req,
            AppError::Forbidden("requête d'un autre site refusée".into()),
        ));
    }

    let identity = match (&bearer, &cookie) {
        (Some(token), _) => {
            let token = token.clone();
            state
                .db
                .run(move |conn| resolve_token(conn, &token))
                .await?
        }
        (None, Some(key)) => {
            let key_hash = tokens::hash(key);
            match cached_session(&state.db.sessions, &key_hash) {
                Some(identity) => Some(identity),
                None => {
                    let (settings, cache) = (settings.clone(), state.db.sessions.clone());
                    state
                        .db
                        .run(move |conn| resolve_session(conn, key_hash, &settings, &cache))
                        .await?
                }
            }
        }
        (None, None) => None,
    };

    if let Some(identity) = &identity
        && unsafe_method
        && identity.via == Via::Session
    {
        let header_token = req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let sent = match header_token {
            Some(token) => Some(token),
            None => match csrf_from_form(&mut req, settings.limits.form_bytes).await {
                Some(token) => Some(token),
                None => csrf_from_multipart(&mut req).await,
            },
        };
        let expected = identity.csrf_token.as_deref().unwrap_or_default();
        if !sent.is_some_and(|sent| tokens::same(&sent, expected)) {
            audit_refusal(
                &state,
                Some(identity.account.id),
                "csrf_refused",
                &ip,
                req.path(),
            )
            .await;
            return Ok(refuse(
                req,
                AppError::Forbidden("jeton CSRF manquant ou invalide".into()),
            ));
        }
    }
    req.extensions_mut().insert(ClientIp(ip));
    if let Some(identity) = identity {
        req.extensions_mut()
            .insert(crate::i18n::PreferredLang(identity.account.language));
        req.extensions_mut().insert(identity);
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}

async fn audit_refusal(
    state: &AppState,
    actor: Option<i64>,
    action: &'static str,
    ip: &str,
    path: &str,
) {
    // Nobody to hold to account: counted, and written only now and then.
    let details = match actor {
        Some(_) => serde_json::json!({}),
        None => match state.throttles.anonymous_refusals.admit(action, ip) {
            Some(0) => serde_json::json!({}),
            Some(left_out) => serde_json::json!({ "left_out_since_last": left_out }),
            None => return,
        },
    };
    // The path as the client sent it, cut short.
    let path: String = path.chars().take(200).collect();
    let ip = ip.to_owned();
    let result = state
        .db
        .run(move |conn| {
            let event = AuditEvent {
                actor,
                action,
                target: Some(path),
                ip: Some(&ip),
                details,
            };
            store::audit::record(conn, &event, Utc::now()).map_err(AppError::from)
        })
        .await;
    if let Err(e) = result {
        tracing::warn!(error = %e, "audit event not recorded");
    }
}

/// The client address, as resolved by the identity middleware.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

impl FromRequest for ClientIp {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(req
            .extensions()
            .get::<ClientIp>()
            .cloned()
            .unwrap_or(ClientIp("unknown".into()))))
    }
}

/// The request's identity if fully signed in (a session still owing its second factor
/// does not count): what `SignedIn`, `MaybeSignedIn` and the page extractors ask.
pub fn fully_signed_in(req: &HttpRequest) -> Option<Identity> {
    req.extensions()
        .get::<Identity>()
        .cloned()
        .filter(|i| !i.mfa_pending)
}

/// A fully signed-in person; 401 otherwise.
pub struct SignedIn(pub Identity);

impl FromRequest for SignedIn {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            fully_signed_in(req)
                .map(SignedIn)
                .ok_or(AppError::Unauthorized),
        )
    }
}

/// Whoever is asking, signed in or not (a half-signed-in session counts as not).
pub struct MaybeSignedIn(pub Option<Identity>);

impl FromRequest for MaybeSignedIn {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(MaybeSignedIn(fully_signed_in(req))))
    }
}

/// A session that gave its password and still owes a two-factor code.
pub struct HalfSignedIn(pub Identity);

impl FromRequest for HalfSignedIn {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(match req.extensions().get::<Identity>().cloned() {
            Some(identity) if identity.mfa_pending => Ok(HalfSignedIn(identity)),
            _ => Err(AppError::Unauthorized),
        })
    }
}

/// Where a request comes from, for the services: address, browser, language.
pub fn origin_of(req: &HttpRequest) -> crate::services::accounts::Origin {
    crate::services::accounts::Origin {
        ip: req
            .extensions()
            .get::<ClientIp>()
            .map(|c| c.0.clone())
            .unwrap_or_else(|| "unknown".into()),
        user_agent: req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        lang: crate::i18n::Lang::of_request(req),
        device: req
            .cookie(super::devices::COOKIE)
            .map(|c| c.value().chars().take(200).collect()),
    }
}

/// The session cookie for a new session: HttpOnly, SameSite=Lax, Path=/, Secure on https.
pub fn session_cookie(settings: &Settings, key: &str) -> actix_web::cookie::Cookie<'static> {
    actix_web::cookie::Cookie::build(cookie_name(settings), key.to_owned())
        .path("/")
        .http_only(true)
        .secure(settings.is_https())
        .same_site(actix_web::cookie::SameSite::Lax)
        .finish()
}

/// Tells the browser to forget the session cookie.
pub fn expired_session_cookie(settings: &Settings) -> actix_web::cookie::Cookie<'static> {
    let mut cookie = session_cookie(settings, "");
    cookie.make_removal();
    cookie
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn request(peer: &str, forwarded: Option<&str>) -> HttpRequest {
        let mut req = TestRequest::default().peer_addr(peer.parse().unwrap());
        if let Some(f) = forwarded {
            req = req.insert_header(("x-forwarded-for", f));
        }
        req.to_http_request()
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        // A client cannot choose its address by sending the header itself.
        assert_eq!(
            client_ip(&request("203.0.113.9:4000", Some("198.51.100.1")), &[proxy]),
            "203.0.113.9"
        );
        // Through the proxy: the nearest address the proxy did not add.
        assert_eq!(
            client_ip(
                &request("10.0.0.2:4000", Some("198.51.100.1, 203.0.113.7")),
                &[proxy]
            ),
            "203.0.113.7"
        );
        assert_eq!(
            client_ip(
                &request("10.0.0.2:4000", Some("203.0.113.7, 10.0.0.2")),
                &[proxy]
            ),
            "203.0.113.7"
        );
        assert_eq!(
            client_ip(&request("10.0.0.2:4000", None), &[proxy]),
            "10.0.0.2"
        );
        assert_eq!(
            client_ip(&request("10.0.0.2:4000", Some("oups")), &[proxy]),
            "10.0.0.2"
        );
    }

    #[test]
    fn cross_site_requests_are_recognised() {
        let own = "https://concerto.example";
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = HeaderMap::new();
            for (k, v) in pairs {
                map.insert(
                    header::HeaderName::from_static(k),
                    header::HeaderValue::from_static(v),
                );
            }
            map
        };
        assert!(!cross_site(&headers(&[]), own), "non-browser clients");
        assert!(!cross_site(
            &headers(&[("origin", "https://concerto.example")]),
            own
        ));
        assert!(cross_site(
            &headers(&[("origin", "https://evil.example")]),
            own
        ));
        assert!(cross_site(&headers(&[("origin", "null")]), own));
        assert!(!cross_site(
            &headers(&[("origin", "null"), ("sec-fetch-site", "same-origin")]),
            own
        ));
        assert!(cross_site(
            &headers(&[("sec-fetch-site", "cross-site")]),
            own
        ));
        assert!(cross_site(
            &headers(&[("sec-fetch-site", "same-site")]),
            own
        ));
    }
}
