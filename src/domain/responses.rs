//! A response's life: its status, and the consent to publish it given on submission.

string_enum!(
    /// As stored: a response exists once someone wrote in it.
    ResponseStatus {
        Draft => "draft",
        Submitted => "submitted",
    }
);

string_enum!(
    /// Where an organisation stands in a round, as coordinators follow it: a response
    /// that does not exist yet is "not started".
    Progress {
        NotStarted => "not_started",
        Draft => "draft",
        Submitted => "submitted",
    }
);

impl Progress {
    pub fn of(status: Option<ResponseStatus>) -> Self {
        match status {
            None => Self::NotStarted,
            Some(ResponseStatus::Draft) => Self::Draft,
            Some(ResponseStatus::Submitted) => Self::Submitted,
        }
    }
}

string_enum!(
    /// How the organisation lets its contribution be published, chosen on submission
    /// (never ticked in advance). `None`: not published at all, though counted in the
    /// figures.
    PublicationConsent {
        Attributed => "attributed",
        Anonymous => "anonymous",
        None => "none",
    }
);

impl PublicationConsent {
    /// Whether the contribution may be quoted in a published document.
    pub fn allows_publication(self) -> bool {
        self != Self::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_as_written() {
        for status in ResponseStatus::ALL {
            assert_eq!(ResponseStatus::parse(status.as_str()), Some(*status));
        }
        for consent in PublicationConsent::ALL {
            assert_eq!(PublicationConsent::parse(consent.as_str()), Some(*consent));
        }
        assert_eq!(ResponseStatus::parse("sent"), None);
        assert_eq!(Progress::of(None), Progress::NotStarted);
        assert_eq!(
            Progress::of(Some(ResponseStatus::Submitted)).as_str(),
            ResponseStatus::Submitted.as_str()
        );
        assert!(!PublicationConsent::None.allows_publication());
        assert!(PublicationConsent::Anonymous.allows_publication());
    }
}
