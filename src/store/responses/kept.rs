//! Answers kept while their writer signs in again.

use super::*;

/// A draft typed before the session ended: where it belongs and the posted fields.
pub struct KeptDraft {
    pub round_slug: String,
    pub organisation_id: i64,
    pub chapter: String,
    pub fields: Vec<(String, String)>,
}

/// Keeps a draft unless `ceiling` drafts are kept already (false then); expired ones go
/// first.
pub fn keep_draft(
    conn: &mut DbConnection,
    key_hash: &str,
    draft: &KeptDraft,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    ceiling: i64,
) -> QueryResult<bool> {
    use crate::store::schema::kept_drafts::dsl as k;
    delete_expired_kept_drafts(conn, now.naive_utc())?;
    let kept: i64 = k::kept_drafts.count().get_result(conn)?;
    if kept >= ceiling {
        return Ok(false);
    }
    diesel::insert_into(k::kept_drafts)
        .values((
            k::key_hash.eq(key_hash),
            k::round_slug.eq(&draft.round_slug),
            k::organisation_id.eq(draft.organisation_id),
            k::chapter.eq(&draft.chapter),
            k::fields.eq(serde_json::to_string(&draft.fields).unwrap_or_default()),
            k::created_at.eq(now.naive_utc()),
            k::expires_at.eq(expires_at.naive_utc()),
        ))
        .execute(conn)
        .map(|_| true)
}

/// Deletes the kept drafts expired at `now` (before each keeping, and daily by the
/// retention job): how many.
pub fn delete_expired_kept_drafts(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    use crate::store::schema::kept_drafts::dsl as k;
    diesel::delete(k::kept_drafts.filter(k::expires_at.le(now))).execute(conn)
}

/// Takes a kept draft back (it is deleted): once only, and only before it expires.
pub fn take_draft(
    conn: &mut DbConnection,
    key_hash: &str,
    now: DateTime<Utc>,
) -> QueryResult<Option<KeptDraft>> {
    use crate::store::schema::kept_drafts::dsl as k;
    let row: Option<(i64, String, i64, String, String)> = k::kept_drafts
        .filter(k::key_hash.eq(key_hash))
        .filter(k::expires_at.gt(now.naive_utc()))
        .select((
            k::id,
            k::round_slug,
            k::organisation_id,
            k::chapter,
            k::fields,
        ))
        .first(conn)
        .optional()?;
    let Some((id, round_slug, organisation_id, chapter, fields)) = row else {
        return Ok(None);
    };
    diesel::delete(k::kept_drafts.find(id)).execute(conn)?;
    Ok(Some(KeptDraft {
        round_slug,
        organisation_id,
        chapter,
        fields: serde_json::from_str(&fields).unwrap_or_default(),
    }))
}
