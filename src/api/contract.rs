//! The statuses every operation can answer for reasons outside its handler, documented
//! in one place from the rules that produce them: the body and parameter extractors
//! (400 unreadable, 413 too large, 415 wrong type, 422 invalid), the path's lookups
//! (404), the identity middleware's cross-site and CSRF refusals on state-changing
//! methods (403), the throttles, all on state-changing requests (429), and the
//! database's absence (503). What a handler itself answers stays
//! in its own `#[utoipa::path]`, which wins where both speak.

use utoipa::Modify;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};

use crate::error::PROBLEM_JSON;

pub struct CommonProblems;

fn problem(description: &str) -> RefOr<utoipa::openapi::Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
        .into()
}

/// Each operation of a path, with whether its method changes state.
fn operations(item: &mut PathItem) -> Vec<(bool, &mut Operation)> {
    [
        (false, item.get.as_mut()),
        (true, item.post.as_mut()),
        (true, item.put.as_mut()),
        (true, item.patch.as_mut()),
        (true, item.delete.as_mut()),
    ]
    .into_iter()
    .filter_map(|(unsafe_method, op)| op.map(|op| (unsafe_method, op)))
    .collect()
}

impl Modify for CommonProblems {
    fn modify(&self, doc: &mut OpenApi) {
        for (path, item) in doc.paths.paths.iter_mut() {
            let in_path = path.contains('{');
            for (unsafe_method, op) in operations(item) {
                let with_body = op.request_body.is_some();
                let with_query = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
                let mut add = |code: &str, why: &str| {
                    op.responses
                        .responses
                        .entry(code.to_owned())
                        .or_insert_with(|| problem(why));
                };
                if with_body || with_query || in_path {
                    add("400", "Unreadable body or parameter");
                    add("422", "Invalid values, each named with its field");
                }
                if with_body {
                    add("413", "Body too large");
                    add("415", "Body of another type than the one documented");
                }
                if in_path {
                    add("404", "Nothing at this address for the caller");
                }
                if unsafe_method {
                    add(
                        "403",
                        "Cross-site request, or missing CSRF token with a session cookie",
                    );
                    // Every throttle guards a state-changing request.
                    add(
                        "429",
                        "Too many attempts; Retry-After says when to try again",
                    );
                }
                add("503", "The database cannot be reached; try again");
            }
        }
    }
}

/// The methods the document gives each path, for the 405 of a method it does not have:
/// the document is the list of what exists, so the two cannot disagree.
struct Routes(Vec<(Vec<Option<String>>, Vec<&'static str>)>);

static ROUTES: std::sync::LazyLock<Routes> = std::sync::LazyLock::new(|| {
    let doc = <super::ApiDoc as utoipa::OpenApi>::openapi();
    Routes(
        doc.paths
            .paths
            .iter()
            .map(|(template, item)| {
                let segments = template
                    .split('/')
                    .map(|s| (!s.starts_with('{')).then(|| s.to_owned()))
                    .collect();
                let methods = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter_map(|(m, present)| present.then_some(m))
                .collect();
                (segments, methods)
            })
            .collect(),
    )
});

/// The methods documented for `path` (`None`: no such path in the API).
pub fn allowed_methods(path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('/').collect();
    let mut methods: Vec<&str> = ROUTES
        .0
        .iter()
        .filter(|(segments, _)| {
            segments.len() == parts.len()
                && segments.iter().zip(&parts).all(|(s, p)| match s {
                    Some(fixed) => fixed == p,
                    None => !p.is_empty(),
                })
        })
        .flat_map(|(_, m)| m.iter().copied())
        .collect();
    methods.sort_unstable();
    methods.dedup();
    (!methods.is_empty()).then(|| methods.join(", "))
}

#[cfg(test)]
mod tests {
    use super::allowed_methods;

    /// The document's patterns for enumerated strings are written beside the request
    /// types; this keeps them equal to the domain's own lists.
    #[test]
    fn enumerated_strings_in_the_document_match_the_domain() {
        use crate::domain::organisations::{MemberRole, OrganisationKind};
        use crate::domain::rounds::Audience;
        let doc = serde_json::to_value(<crate::api::ApiDoc as utoipa::OpenApi>::openapi()).unwrap();
        let pattern = |schema: &str, property: &str| {
            doc["components"]["schemas"][schema]["properties"][property]["pattern"]
                .as_str()
                .unwrap_or_else(|| panic!("no pattern for {schema}.{property}"))
                .to_owned()
        };
        let one_of = |values: &[&str]| format!("^({})$", values.join("|"));
        let kinds: Vec<&str> = OrganisationKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            pattern("RegisterOrganisationRequest", "kind"),
            one_of(&kinds)
        );
        let roles: Vec<&str> = MemberRole::ALL.iter().map(|r| r.as_str()).collect();
        for schema in ["InvitationRequest", "RoleRequest"] {
            assert_eq!(pattern(schema, "role"), one_of(&roles), "{schema}");
        }
        let audiences = [Audience::AllApproved.as_str(), Audience::Invited.as_str()];
        for schema in ["CreateRoundRequest", "PatchRoundRequest"] {
            assert_eq!(pattern(schema, "audience"), one_of(&audiences), "{schema}");
        }
        assert_eq!(
            pattern("SubmitRequest", "publication_consent"),
            one_of(&crate::services::responses::CONSENTS)
        );
    }

    #[test]
    fn the_document_says_which_methods_a_path_has() {
        assert_eq!(
            allowed_methods("/api/v1/tokens").as_deref(),
            Some("GET, POST")
        );
        assert_eq!(
            allowed_methods("/api/v1/tokens/12").as_deref(),
            Some("DELETE")
        );
        assert_eq!(
            allowed_methods("/api/v1/rounds/essai").as_deref(),
            Some("GET, PATCH")
        );
        assert_eq!(allowed_methods("/api/v1/nulle-part"), None);
        assert_eq!(allowed_methods("/api/v1/rounds//chapters"), None);
    }
}
