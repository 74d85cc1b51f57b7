//! The time, from one place: the system clock in the service, a clock the tests move
//! by hand (deadlines are tested without sleeping).

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

#[derive(Clone)]
pub struct Clock(Arc<Source>);

enum Source {
    System,
    Manual(Mutex<DateTime<Utc>>),
}

impl Clock {
    pub fn system() -> Self {
        Self(Arc::new(Source::System))
    }

    /// A clock that stands still at `start` until moved.
    pub fn manual(start: DateTime<Utc>) -> Self {
        Self(Arc::new(Source::Manual(Mutex::new(start))))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &*self.0 {
            Source::System => Utc::now(),
            Source::Manual(at) => *at.lock().expect("clock lock"),
        }
    }

    /// Moves a manual clock forward (no effect on the system clock).
    pub fn advance(&self, by: Duration) {
        if let Source::Manual(at) = &*self.0 {
            let mut at = at.lock().expect("clock lock");
            *at += by;
        }
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}
