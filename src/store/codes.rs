//! The domain's codes (statuses, roles, consents) read straight from their text
//! columns, on either backend: one `FromSql` per enum, through the code's own `parse`.
//! (Writes bind `as_str()`.)

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, Queryable};
use diesel::sql_types::Text;

use crate::domain::organisations::{MemberRole, OrganisationKind, OrganisationStatus};
use crate::domain::responses::{PublicationConsent, ResponseStatus};

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
    )+};
}

read_as_code!(
    ResponseStatus,
    PublicationConsent,
    MemberRole,
    OrganisationStatus,
    OrganisationKind,
);
