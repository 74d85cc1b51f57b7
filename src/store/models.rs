//! Database rows: what the tables hold, separate from the domain's types and the API's.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{chapters, platform_settings, questions, rounds, users};

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub platform_role: String,
    pub verified_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub language: String,
    pub suspended_at: Option<NaiveDateTime>,
    pub totp_secret: Option<String>,
    pub totp_enabled_at: Option<NaiveDateTime>,
    pub totp_last_step: Option<i64>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUserRow<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub platform_role: &'a str,
    pub verified_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = rounds)]
pub struct RoundRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub opens_at: Option<NaiveDateTime>,
    pub closes_at: NaiveDateTime,
    pub audience: String,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub open_notified_at: Option<NaiveDateTime>,
    pub created_by: Option<i64>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = rounds)]
pub struct NewRoundRow<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
    pub opens_at: Option<NaiveDateTime>,
    pub closes_at: NaiveDateTime,
    pub audience: &'a str,
    pub status: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Queryable, Selectable, Identifiable, Associations)]
#[diesel(table_name = chapters, belongs_to(RoundRow, foreign_key = round_id))]
pub struct ChapterRow {
    pub id: i64,
    pub round_id: i64,
    pub code: String,
    pub position: i32,
    pub title: String,
    pub description: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = chapters)]
pub struct NewChapterRow<'a> {
    pub round_id: i64,
    pub code: &'a str,
    pub position: i32,
    pub title: &'a str,
    pub description: &'a str,
}

#[derive(Debug, Queryable, Selectable, Identifiable, Associations)]
#[diesel(table_name = questions, belongs_to(ChapterRow, foreign_key = chapter_id))]
pub struct QuestionRow {
    pub id: i64,
    pub round_id: i64,
    pub chapter_id: i64,
    pub code: String,
    pub position: i32,
    pub kind: String,
    pub prompt: String,
    pub help: String,
    pub required: bool,
    pub settings: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = questions)]
pub struct NewQuestionRow<'a> {
    pub round_id: i64,
    pub chapter_id: i64,
    pub code: &'a str,
    pub position: i32,
    pub kind: &'a str,
    pub prompt: &'a str,
    pub help: &'a str,
    pub required: bool,
    pub settings: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = platform_settings)]
pub struct NewSettingRow<'a> {
    pub key: &'a str,
    pub value: &'a str,
    pub updated_at: NaiveDateTime,
}
