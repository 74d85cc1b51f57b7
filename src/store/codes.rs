//! The domain's codes (statuses, roles, consents) read straight from their text
//! columns, on either backend: one `FromSql` per enum, through the code's own `parse`;
//! and answers, read from the JSON their column keeps through `AnswerValue::from_json`.
//! (Writes bind `as_str()` and `to_json()`.)

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, Queryable};
use diesel::sql_types::Text;

use crate::domain::answers::AnswerValue;
use crate::domain::attachments::TextState;
use crate::domain::organisations::{MemberRole, OrganisationKind, OrganisationStatus};
use crate::domain::responses::{PublicationConsent, ResponseStatus};
use crate::domain::synthesis::{Licence, ProposalsOrder};

macro_rules! read_as_code {
    ($($code:ty),+ $(,)?) => {$(
        impl<DB> FromSql<Text, DB> for $code
        where
            DB: Backend,
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let text = String::from_sql(bytes)?;
                <$code>::parse(&text).ok_or_else(|| {
                    format!(concat!("unknown ", stringify!($code), " in the database: {:?}"), text).into()
                })
            }
        }
        queryable_as_itself!($code);
    )+};
}

/// A type read from one column is its own row.
macro_rules! queryable_as_itself {
    ($code:ty) => {
        impl<DB> Queryable<Text, DB> for $code
        where
            DB: Backend,
            Self: FromSql<Text, DB>,
        {
            type Row = Self;

            fn build(row: Self) -> deserialize::Result<Self> {
                Ok(row)
            }
        }
    };
}

read_as_code!(
    ResponseStatus,
    PublicationConsent,
    MemberRole,
    OrganisationStatus,
    OrganisationKind,
    ProposalsOrder,
    Licence,
    TextState,
);

impl<DB> FromSql<Text, DB> for AnswerValue
where
    DB: Backend,
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let text = String::from_sql(bytes)?;
        AnswerValue::from_json(&text)
            .ok_or_else(|| format!("not an answer in the database: {text:?}").into())
    }
}
queryable_as_itself!(AnswerValue);
