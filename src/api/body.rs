//! The JSON body of every API request, read in one place: actix's extractor reads and
//! limits the bytes (`JsonConfig` in `startup`), then the value is brought to JSON
//! Schema's reading before it meets the request type.
//!
//! - A number with no fractional part is an integer (JSON Schema says so: `298.0` is the
//!   integer 298), so a generated client that writes `298.0` is understood everywhere,
//!   not only where a field remembered to allow it.
//! - A value of the wrong shape is refused with the path of the field that holds it
//!   (`answers.E1.Q3.version`), not only serde's message. Inside a flattened or
//!   internally tagged part (a question's kind and settings) serde buffers the value and
//!   the path is lost: the field is then `body`, and the message says what was wrong.

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use serde_json::{Number, Value};

use crate::domain::FieldError;
use crate::error::AppError;

/// The bounds of `i64` as floats: -2^63 is one, 2^63 the first float past it.
const I64_FLOOR: f64 = -9_223_372_036_854_775_808.0;
const I64_CEILING: f64 = 9_223_372_036_854_775_808.0;

pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        // actix checks the type and the size and that it is JSON at all, without building
        // a tree; the request type is then read straight from the text, and only a
        // refusal takes the slower road that reads integral floats and names the field.
        let raw = web::Json::<Box<RawValue>>::from_request(req, payload);
        Box::pin(async move {
            let raw = raw.await?.into_inner();
            match serde_json::from_str::<T>(raw.get()) {
                Ok(parsed) => Ok(Json(parsed)),
                Err(_) => {
                    let mut value: Value = serde_json::from_str(raw.get())
                        .map_err(|e| AppError::BadRequest(format!("JSON illisible : {e}")))?;
                    integral_numbers(&mut value);
                    read(value).map(Json).map_err(Into::into)
                }
            }
        })
    }
}

/// Turns every integral float (`3.0`, `1e2`, `9007199254740992.0`) that an `i64` holds
/// into that integer, in place: JSON Schema calls them integers, so the document's
/// `integer` takes them. (Past 2^53 every float is integral, and is the integer the
/// client's parser would read too.)
pub fn integral_numbers(value: &mut Value) {
    match value {
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && (I64_FLOOR..I64_CEILING).contains(&f)
            {
                // Within i64's range the cast neither rounds nor saturates.
                *n = Number::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        Value::Object(fields) => fields.values_mut().for_each(integral_numbers),
        _ => {}
    }
}

/// The request type from the value, or a 422 naming the field at fault.
pub fn read<T: DeserializeOwned>(value: Value) -> Result<T, AppError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        // A missing or unknown field is named by serde itself, one level below the path.
        let field = match crate::error::field_of_serde_message(&inner) {
            Some(name) if path == "." => name.to_owned(),
            Some(name) => format!("{path}.{name}"),
            None if path == "." => "body".to_owned(),
            None => path,
        };
        AppError::Validation(vec![FieldError::new(
            &field,
            "invalid_value",
            format!("Valeur refusée pour « {field} » : {inner}."),
        )])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        max: i32,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        days: Option<u32>,
        scale: Option<Inner>,
        name: Option<String>,
    }

    fn parse(mut v: Value) -> Result<Outer, AppError> {
        integral_numbers(&mut v);
        read(v)
    }

    fn field(e: AppError) -> String {
        match e {
            AppError::Validation(errors) => errors[0].field.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn integral_floats_are_integers_and_fractions_are_refused() {
        let ok = parse(json!({"days": 298.0, "scale": {"max": -4e0}})).unwrap();
        assert_eq!(ok.days, Some(298));
        assert_eq!(ok.scale.unwrap().max, -4);
        assert_eq!(field(parse(json!({"days": 2.5})).unwrap_err()), "days");
        // Past i64's range a float stays a float, and is refused.
        assert_eq!(field(parse(json!({"days": 1e300})).unwrap_err()), "days");
        let big: Value = serde_json::from_str(
            r#"[9007199254740992.0, -9.223372036854775808e18, 9.223372036854775808e18]"#,
        )
        .unwrap();
        let mut read = big.clone();
        integral_numbers(&mut read);
        assert_eq!(
            read[0],
            json!(9_007_199_254_740_992_i64),
            "2^53, an integer"
        );
        assert_eq!(read[1], json!(i64::MIN));
        assert_eq!(read[2], big[2], "2^63 is past i64::MAX");
        assert_eq!(field(parse(json!({"days": -1.0})).unwrap_err()), "days");
    }

    #[test]
    fn refusals_name_the_field_at_fault() {
        assert_eq!(
            field(parse(json!({"scale": {"max": "x"}})).unwrap_err()),
            "scale.max"
        );
        assert_eq!(field(parse(json!({"scale": {}})).unwrap_err()), "scale.max");
        assert_eq!(field(parse(json!({"name": 3})).unwrap_err()), "name");
        assert_eq!(field(parse(json!([1])).unwrap_err()), "body");
    }
}
