//! Organisations that answer consultations, and the people who act for them.

use super::FieldError;

/// A French legal identifier: an association's RNA number (`W` + 9 digits) or a
/// company's SIREN (9 digits whose Luhn checksum holds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegalId(String);

fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

impl LegalId {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        // People copy these with spaces ("W751 234 567", "732 829 320").
        let value: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        let digits_only = |s: &str| s.len() == 9 && s.chars().all(|c| c.is_ascii_digit());
        if let Some(rest) = value.strip_prefix('W') {
            if digits_only(rest) {
                return Ok(Self(value));
            }
        } else if digits_only(&value) {
            if luhn_valid(&value) {
                return Ok(Self(value));
            }
            return Err(FieldError::new(
                "legal_id",
                "invalid_siren",
                "Ce numéro SIREN n'est pas valide (sa clé de contrôle ne correspond pas) : vérifiez les 9 chiffres.",
            ));
        }
        Err(FieldError::new(
            "legal_id",
            "invalid_legal_id",
            "Identifiant attendu : numéro RNA (W suivi de 9 chiffres, par exemple W751234567) ou SIREN (9 chiffres).",
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The texts an organisation gives of itself, and a coordinator's reasons.
pub mod texts {
    use crate::domain::{Lines, TextRule};

    pub const NAME: TextRule = TextRule::required(200, Lines::One);
    pub const ACRONYM: TextRule = TextRule::optional(30, Lines::One);
    pub const DESCRIPTION: TextRule = TextRule::optional(2000, Lines::Many);
    /// Why a coordinator decided (required to reject).
    pub const REASON: TextRule = TextRule::optional(2000, Lines::Many);
}

string_enum!(
    /// What kind of body the organisation is.
    OrganisationKind {
        PatientAssociation => "patient_association",
        UserAssociation => "user_association",
        Federation => "federation",
        ConsumerAssociation => "consumer_association",
        ProfessionalBody => "professional_body",
        PublicBody => "public_body",
        Other => "other",
    }
);

string_enum!(
    /// `pending → approved | rejected`, `approved ↔ suspended`. Only approved ones answer.
    OrganisationStatus {
        Pending => "pending",
        Approved => "approved",
        Rejected => "rejected",
        Suspended => "suspended",
    }
);

string_enum!(
    /// What a member may do: owners manage members and submit, editors answer and
    /// submit, viewers read.
    MemberRole {
        Owner => "owner",
        Editor => "editor",
        Viewer => "viewer",
    }
);

impl OrganisationStatus {
    /// Whether a coordinator's decision may move an organisation from `self` to `to`.
    pub fn can_become(self, to: OrganisationStatus) -> bool {
        use OrganisationStatus::*;
        matches!(
            (self, to),
            (Pending, Approved)
                | (Pending, Rejected)
                | (Approved, Suspended)
                | (Suspended, Approved)
        )
    }
}

impl OrganisationStatus {
    /// Whether the organisation may answer rounds (and its members write).
    pub fn may_answer(self) -> bool {
        self == OrganisationStatus::Approved
    }
}

impl MemberRole {
    pub fn can_write(self) -> bool {
        matches!(self, MemberRole::Owner | MemberRole::Editor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_ids() {
        assert_eq!(
            LegalId::parse("w751 234 567").unwrap().as_str(),
            "W751234567"
        );
        // 732 829 320 is a well-known valid SIREN; 732 829 321 breaks its checksum.
        assert_eq!(LegalId::parse("732 829 320").unwrap().as_str(), "732829320");
        assert_eq!(
            LegalId::parse("732829321").unwrap_err().code,
            "invalid_siren"
        );
        for bad in [
            "",
            "W12345678",
            "W1234567890",
            "12345678",
            "ABCDEFGHI",
            "W75123456X",
        ] {
            assert_eq!(
                LegalId::parse(bad).unwrap_err().code,
                "invalid_legal_id",
                "{bad}"
            );
        }
    }

    #[test]
    fn status_transitions() {
        use OrganisationStatus::*;
        assert!(Pending.can_become(Approved) && Pending.can_become(Rejected));
        assert!(Approved.can_become(Suspended) && Suspended.can_become(Approved));
        assert!(
            !Rejected.can_become(Approved)
                && !Pending.can_become(Suspended)
                && !Approved.can_become(Pending)
        );
    }

    #[test]
    fn enums_round_trip() {
        for kind in OrganisationKind::ALL {
            assert_eq!(OrganisationKind::parse(kind.as_str()), Some(*kind));
        }
        assert_eq!(MemberRole::parse("owner"), Some(MemberRole::Owner));
        assert_eq!(MemberRole::parse("boss"), None);
    }
}
