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

use crate::domain::accounts::{DisplayName, Password};
use crate::domain::organisations::texts as organisations;
use crate::domain::organisations::{MemberRole, OrganisationKind, OrganisationStatus};
use crate::domain::responses::PublicationConsent;
use crate::domain::rounds::Audience;
use crate::domain::rounds::texts as rounds;
use crate::domain::synthesis::texts as synthesis;
use crate::domain::themes::texts as themes;
use crate::domain::{Lines, TextRule};
use crate::error::PROBLEM_JSON;

pub struct CommonProblems;

/// The patterns of texts checked by `domain::check_text`, set on the document's
/// properties in one place (utoipa's attributes take only literals).
pub struct TextRules;

/// Every enumerated string of the document, by (schema, property): its codes, from the
/// domain's own enum (the document's pattern is written from it, never by hand).
type Codes = fn() -> Vec<&'static str>;

const CODES: &[(&str, &str, Codes)] = &[
    ("RegisterOrganisationRequest", "kind", || {
        codes(OrganisationKind::ALL, OrganisationKind::as_str)
    }),
    ("InvitationRequest", "role", || {
        codes(MemberRole::ALL, MemberRole::as_str)
    }),
    ("RoleRequest", "role", || {
        codes(MemberRole::ALL, MemberRole::as_str)
    }),
    ("MembershipView", "role", || {
        codes(MemberRole::ALL, MemberRole::as_str)
    }),
    ("MembershipView", "status", || {
        codes(OrganisationStatus::ALL, OrganisationStatus::as_str)
    }),
    ("SubmitRequest", "publication_consent", || {
        codes(PublicationConsent::ALL, PublicationConsent::as_str)
    }),
    ("CreateRoundRequest", "audience", || {
        codes(&Audience::ALL, Audience::as_str)
    }),
    ("PatchRoundRequest", "audience", || {
        codes(&Audience::ALL, Audience::as_str)
    }),
];

fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|t| code(*t)).collect()
}

/// The pattern that accepts exactly `codes`.
fn one_of(codes: &[&str]) -> String {
    format!("^({})$", codes.join("|"))
}

/// Every text the services check with a `TextRule`, by (schema, property): its pattern
/// (control characters, something besides spaces where required) and its length.
const TEXTS: &[(&str, &str, TextRule)] = &[
    (
        "RegisterRequest",
        "display_name",
        TextRule::required(DisplayName::MAX_CHARS, Lines::One),
    ),
    ("RegisterOrganisationRequest", "name", organisations::NAME),
    (
        "RegisterOrganisationRequest",
        "acronym",
        organisations::ACRONYM,
    ),
    (
        "RegisterOrganisationRequest",
        "description",
        organisations::DESCRIPTION,
    ),
    ("CreateRoundRequest", "title", rounds::ROUND_TITLE),
    ("CreateRoundRequest", "summary", rounds::ROUND_SUMMARY),
    ("CreateRoundRequest", "body", rounds::ROUND_BODY),
    // Absent keeps the value; given, it follows the same rule.
    ("PatchRoundRequest", "title", rounds::ROUND_TITLE),
    ("PatchRoundRequest", "summary", rounds::ROUND_SUMMARY),
    ("PatchRoundRequest", "body", rounds::ROUND_BODY),
    ("DuplicateRequest", "title", rounds::ROUND_TITLE),
    ("ChapterRequest", "title", rounds::CHAPTER_TITLE),
    ("ChapterRequest", "description", rounds::CHAPTER_DESCRIPTION),
    ("QuestionRequest", "prompt", rounds::QUESTION_PROMPT),
    ("QuestionRequest", "help", rounds::QUESTION_HELP),
    (
        "RejectRequest",
        "reason",
        organisations::REASON.made_required(),
    ),
    ("ReasonRequest", "reason", organisations::REASON),
    ("ThemeRequest", "name", themes::THEME_NAME),
    ("ThemeRequest", "description", themes::THEME_DESCRIPTION),
    ("ThemeRequest", "keywords", themes::THEME_KEYWORDS),
    ("RedactionRequest", "reason", themes::REDACTION_REASON),
    ("CampaignRequest", "name", themes::CAMPAIGN_NAME),
    ("SynthesisHeader", "title", synthesis::TITLE),
    ("SynthesisHeader", "introduction", synthesis::PROSE),
    ("SynthesisHeader", "conclusion", synthesis::PROSE),
    ("SectionBody", "introduction", synthesis::PROSE),
    ("SelectionBody", "heading", synthesis::HEADING),
    ("IntroducedByBody", "person", synthesis::PERSON),
    ("ConsolidatedBody", "title", synthesis::PROPOSAL_TITLE),
    (
        "ConsolidatedBody",
        "description",
        synthesis::PROPOSAL_DESCRIPTION,
    ),
    ("PublishRequest", "changes", synthesis::CHANGES),
];

/// The pattern that says what `TextRule::check` says of a text's characters.
fn pattern_of(rule: &TextRule) -> &'static str {
    match (rule.lines, rule.required) {
        (Lines::One, true) => ONE_LINE,
        (Lines::One, false) => ONE_LINE_OPTIONAL,
        (Lines::Many, true) => LINES_REQUIRED,
        (Lines::Many, false) => LINES,
    }
}

/// (schema, property, fewest, most characters) of texts whose bounds the domain holds.
const LENGTHS: &[(&str, &str, usize, usize)] = &[
    (
        "RegisterRequest",
        "password",
        Password::MIN_CHARS,
        Password::MAX_CHARS,
    ),
    (
        "ResetConfirmRequest",
        "password",
        Password::MIN_CHARS,
        Password::MAX_CHARS,
    ),
];

impl Modify for TextRules {
    fn modify(&self, doc: &mut OpenApi) {
        use utoipa::openapi::schema::Schema;
        let Some(components) = doc.components.as_mut() else {
            return;
        };
        // A type with a flattened part is an `allOf` of objects.
        fn field<'a>(
            schema: &'a mut Schema,
            property: &str,
        ) -> Option<&'a mut utoipa::openapi::schema::Object> {
            match schema {
                Schema::Object(object) => match object.properties.get_mut(property) {
                    Some(RefOr::T(Schema::Object(field))) => Some(field),
                    _ => None,
                },
                Schema::AllOf(all) => all.items.iter_mut().find_map(|item| match item {
                    RefOr::T(part) => field(part, property),
                    RefOr::Ref(_) => None,
                }),
                _ => None,
            }
        }
        let schemas = &mut components.schemas;
        fn property<'a>(
            schemas: &'a mut std::collections::BTreeMap<String, RefOr<Schema>>,
            schema: &str,
            name: &str,
        ) -> Option<&'a mut utoipa::openapi::schema::Object> {
            match schemas.get_mut(schema) {
                Some(RefOr::T(schema)) => field(schema, name),
                _ => None,
            }
        }
        for (schema, name, rule) in TEXTS {
            if let Some(field) = property(schemas, schema, name) {
                field.pattern = Some(pattern_of(rule).to_owned());
                field.min_length = rule.required.then_some(1);
                // Characters as given; the service counts them trimmed, so it never
                // refuses what this allows.
                field.max_length = Some(rule.max);
            }
        }
        for (schema, name, codes) in CODES {
            if let Some(field) = property(schemas, schema, name) {
                field.pattern = Some(one_of(&codes()));
            }
        }
        for (schema, name, fewest, most) in LENGTHS {
            if let Some(field) = property(schemas, schema, name) {
                field.min_length = Some(*fewest);
                field.max_length = Some(*most);
            }
        }
    }
}

/// A required one-line text as `domain::check_text` reads it: something besides spaces,
/// and no control character (`char::is_control`: U+0000–U+001F, U+007F–U+009F).
pub const ONE_LINE: &str = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$";
/// An optional one-line text: no control character.
pub const ONE_LINE_OPTIONAL: &str = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$";
/// A required text of several lines: the same, line breaks and tabs allowed.
pub const LINES_REQUIRED: &str = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$";
/// An optional text of several lines.
pub const LINES: &str = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$";

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
    let matching: Vec<(usize, &Vec<&'static str>)> = ROUTES
        .0
        .iter()
        .filter(|(segments, _)| {
            segments.len() == parts.len()
                && segments.iter().zip(&parts).all(|(s, p)| match s {
                    Some(fixed) => fixed == p,
                    None => !p.is_empty(),
                })
        })
        .map(|(segments, m)| (segments.iter().filter(|s| s.is_some()).count(), m))
        .collect();
    // A literal segment names its own resource, not a parameter's value (`…/a/b` beside
    // `…/a/{id}`): the most literal templates win. (The API avoids such pairs: the
    // router would try the parameter's route, whose extractors may refuse first.)
    let most = matching.iter().map(|(fixed, _)| *fixed).max()?;
    let mut methods: Vec<&str> = matching
        .into_iter()
        .filter(|(fixed, _)| *fixed == most)
        .flat_map(|(_, m)| m.iter().copied())
        .collect();
    methods.sort_unstable();
    methods.dedup();
    Some(methods.join(", "))
}

#[cfg(test)]
mod tests {
    use super::{CODES, ROUTES, allowed_methods, one_of};

    /// No documented path is also another's with a parameter in its place (`…/a/b` beside
    /// `…/a/{id}`): the router would try the parameter's route with the literal as its
    /// value, and that route's extractors (a 403 before a 404) would answer for a path
    /// the document gives other methods.
    #[test]
    fn no_path_is_another_with_a_parameter() {
        let routes = &ROUTES.0;
        for (a, _) in routes {
            for (b, _) in routes {
                let overlap = a != b
                    && a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|(x, y)| x == y || x.is_none() || y.is_none());
                assert!(!overlap, "{a:?} overlaps {b:?}");
            }
        }
    }

    /// The document's patterns for enumerated strings are written from the domain's
    /// enums (`CODES`); this checks that each reached its property.
    #[test]
    fn enumerated_strings_in_the_document_match_the_domain() {
        let doc = serde_json::to_value(<crate::api::ApiDoc as utoipa::OpenApi>::openapi()).unwrap();
        let pattern = |schema: &str, property: &str| {
            doc["components"]["schemas"][schema]["properties"][property]["pattern"]
                .as_str()
                .unwrap_or_else(|| panic!("no pattern for {schema}.{property}"))
                .to_owned()
        };
        // Every coded property got its pattern (a renamed type or field would skip it).
        for (schema, property, codes) in CODES {
            assert_eq!(
                pattern(schema, property),
                one_of(&codes()),
                "{schema}.{property}"
            );
        }
    }

    /// Every text rule reaches its property (a renamed type or field would skip it), and
    /// the patterns say what `check_text` says.
    #[test]
    fn text_rules_reach_the_document_and_agree_with_the_domain() {
        use crate::domain::{Lines, check_text};
        let doc = serde_json::to_value(<crate::api::ApiDoc as utoipa::OpenApi>::openapi()).unwrap();
        for (schema, property, rule) in super::TEXTS {
            let type_ = &doc["components"]["schemas"][schema];
            let parts = type_["allOf"].as_array().cloned().unwrap_or_default();
            let found = std::iter::once(type_)
                .chain(parts.iter())
                .map(|part| &part["properties"][property])
                .find(|p| !p["pattern"].is_null());
            let found = found.unwrap_or_else(|| panic!("{schema}.{property} not described"));
            assert_eq!(
                found["pattern"],
                super::pattern_of(rule),
                "{schema}.{property}"
            );
            assert_eq!(found["maxLength"], rule.max, "{schema}.{property}");
        }
        for (schema, property, fewest, most) in super::LENGTHS {
            let field = &doc["components"]["schemas"][schema]["properties"][property];
            assert_eq!(field["minLength"], serde_json::json!(fewest), "{schema}");
            assert_eq!(field["maxLength"], serde_json::json!(most), "{schema}");
        }
        // Read by the small matcher below, each pattern accepts exactly what check_text
        // accepts, on a sample of hard cases.
        let samples = [
            "a", " a ", "", "  ", "a\nb", "a\tb", "a\u{7}b", "a\u{85}", "é", "\u{a0}x",
        ];
        for text in samples {
            let one_optional = check_text("f", text, 1000, false, Lines::One).is_none();
            assert_eq!(
                accepts(super::ONE_LINE_OPTIONAL, text),
                one_optional,
                "one optional line: {text:?}"
            );
            let one = check_text("f", text, 1000, true, Lines::One).is_none();
            let many = check_text("f", text, 1000, true, Lines::Many).is_none();
            let optional = check_text("f", text, 1000, false, Lines::Many).is_none();
            assert_eq!(accepts(super::ONE_LINE, text), one, "one line: {text:?}");
            assert_eq!(
                accepts(super::LINES_REQUIRED, text),
                many,
                "lines: {text:?}"
            );
            assert_eq!(accepts(super::LINES, text), optional, "optional: {text:?}");
        }
    }

    /// The few regular expressions above, read by hand: a sequence of `[^…]*` and one
    /// `[^…]` class, with `\\s` and `\\uXXXX-\\uYYYY` ranges inside.
    fn accepts(pattern: &str, text: &str) -> bool {
        matches_classes(pattern.trim_start_matches('^').trim_end_matches('$'), text)
    }

    fn class_excludes(class: &str, c: char) -> bool {
        let mut rest = class;
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix("\\s") {
                if c.is_whitespace() {
                    return true;
                }
                rest = r;
                continue;
            }
            let lo = u32::from_str_radix(&rest[2..6], 16).unwrap();
            rest = &rest[6..];
            let hi = match rest.strip_prefix('-') {
                Some(r) => {
                    let hi = u32::from_str_radix(&r[2..6], 16).unwrap();
                    rest = &r[6..];
                    hi
                }
                None => lo,
            };
            if (lo..=hi).contains(&(c as u32)) {
                return true;
            }
        }
        false
    }

    /// `[^A]*[^B][^C]*` or `[^A]*`.
    fn matches_classes(body: &str, text: &str) -> bool {
        let classes: Vec<(&str, bool)> = body
            .split("[^")
            .filter(|s| !s.is_empty())
            .map(|s| {
                let (class, rest) = s.split_once(']').unwrap();
                (class, rest == "*")
            })
            .collect();
        let ok = |class: &str, c: char| !class_excludes(class, c);
        match classes.as_slice() {
            [(a, true)] => text.chars().all(|c| ok(a, c)),
            [(a, true), (b, false), (c, true)] => {
                let chars: Vec<char> = text.chars().collect();
                (0..chars.len()).any(|i| {
                    chars[..i].iter().all(|&x| ok(a, x))
                        && ok(b, chars[i])
                        && chars[i + 1..].iter().all(|&x| ok(c, x))
                })
            }
            other => panic!("unexpected pattern shape {other:?}"),
        }
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
