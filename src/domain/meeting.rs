//! The weekly check-in.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::Id;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    pub id: Id,
    pub week: NaiveDate,
    pub started_at: DateTime<Utc>,
    pub answers: serde_json::Value,
    pub intentions: serde_json::Value,
    pub completed_at: Option<DateTime<Utc>>,
    pub skipped_at: Option<DateTime<Utc>>,
    pub skip_reason: Option<String>,
    pub updated_at: DateTime<Utc>,
}
