use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::{params, Row};
use serde_json::json;

use super::{bad_column, ts, Result, Store};
use crate::domain::{
    self, Agreement, AgreementDraft, AgreementEvent, AgreementStatus, Consent, EventKind,
    ReviewMark,
};
use crate::error::StoreError;

const COLS: &str = "id, title, details, category, proposed_by, status, review_every_weeks, \
                    next_review, created_at, updated_at, revision";

fn row(r: &Row) -> rusqlite::Result<Agreement> {
    let status: String = r.get(5)?;
    Ok(Agreement {
        id: r.get(0)?,
        title: r.get(1)?,
        details: r.get(2)?,
        category: r.get(3)?,
        proposed_by: r.get(4)?,
        status: AgreementStatus::parse(&status).ok_or_else(|| bad_column(5, "status"))?,
        review_every_weeks: r.get(6)?,
        next_review: r.get(7)?,
        consents: Vec::new(),
        created_at: r.get(8)?,
        updated_at: r.get(9)?,
        revision: r.get(10)?,
    })
}

fn event_row(r: &Row) -> rusqlite::Result<AgreementEvent> {
    let detail: String = r.get(6)?;
    Ok(AgreementEvent {
        id: r.get(0)?,
        agreement_id: r.get(1)?,
        partner_id: r.get(2)?,
        at: r.get(3)?,
        evening: r.get(4)?,
        kind: EventKind::parse(&r.get::<_, String>(5)?)
            .ok_or_else(|| bad_column(5, "event kind"))?,
        detail: serde_json::from_str(&detail).map_err(|_| bad_column(6, "event detail"))?,
    })
}

/// Every change to an agreement goes through here, so the history is never skipped.
fn record(
    tx: &rusqlite::Connection,
    agreement_id: &str,
    partner_id: Option<&str>,
    kind: EventKind,
    detail: serde_json::Value,
    evening: NaiveDate,
    now: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO agreement_events (id, agreement_id, partner_id, at, evening, kind, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            domain::new_id(),
            agreement_id,
            partner_id,
            now,
            evening,
            kind.as_str(),
            detail.to_string()
        ],
    )?;
    Ok(())
}

fn next_review(evening: NaiveDate, weeks: u8) -> NaiveDate {
    evening + Duration::weeks(weeks as i64)
}

/// What became of an edit that may have met another one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgreementSaved {
    Saved(Agreement),
    Conflict {
        theirs: Agreement,
        fields: Vec<&'static str>,
    },
}

impl Store {
    /// Proposing is the proposer's own consent; the agreement waits for the other partner's.
    pub fn propose_agreement(
        &mut self,
        by: &str,
        draft: &AgreementDraft,
        evening: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Agreement> {
        let d = draft.validated()?;
        let now = ts(&domain::instant(now));
        let id = domain::new_id();
        let tx = self.conn.savepoint()?;
        tx.execute(
            "INSERT INTO agreements (id, title, details, category, proposed_by, status,
                 review_every_weeks, next_review, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'proposed', ?6, NULL, ?7, ?7)",
            params![
                id,
                d.title,
                d.details,
                d.category,
                by,
                d.review_every_weeks,
                now
            ],
        )?;
        tx.execute(
            "INSERT INTO agreement_consents (agreement_id, partner_id, consented_at) VALUES (?1, ?2, ?3)",
            params![id, by, now],
        )?;
        let detail = json!({
            "title": d.title, "details": d.details, "category": d.category,
            "review_every_weeks": d.review_every_weeks
        });
        record(
            &tx,
            &id,
            Some(by),
            EventKind::Proposed,
            detail,
            evening,
            &now,
        )?;
        tx.commit()?;
        self.agreement(&id)
    }

    /// The other partner's yes. With both consents it becomes agreed and gets a review date.
    pub fn consent_agreement(
        &mut self,
        id: &str,
        by: &str,
        evening: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Agreement> {
        let a = self.agreement(id)?;
        a.check_consent(by)?;
        let now = ts(&domain::instant(now));
        let tx = self.conn.savepoint()?;
        tx.execute(
            "INSERT INTO agreement_consents (agreement_id, partner_id, consented_at) VALUES (?1, ?2, ?3)",
            params![id, by, now],
        )?;
        record(
            &tx,
            id,
            Some(by),
            EventKind::Consented,
            json!({}),
            evening,
            &now,
        )?;
        let consents: i64 = tx.query_row(
            "SELECT count(*) FROM agreement_consents WHERE agreement_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        if consents >= 2 {
            tx.execute(
                "UPDATE agreements SET status = 'agreed', next_review = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, next_review(evening, a.review_every_weeks), now],
            )?;
            let detail = json!({"status": {"from": a.status.as_str(), "to": "agreed"}});
            record(&tx, id, None, EventKind::Agreed, detail, evening, &now)?;
        }
        tx.commit()?;
        self.agreement(id)
    }

    /// Changing the words of an agreement means asking again: consents are cleared (the editor's
    /// own is kept) and it goes back to proposed. The old and new values go into the history.
    /// `edit_agreement`, from the agreement as the writer saw it (`base`): what was changed
    /// meanwhile in other fields is kept, and the same words changed both ways come back as a
    /// conflict with nothing written.
    pub fn edit_agreement_from(
        &mut self,
        base: &Agreement,
        by: &str,
        draft: &AgreementDraft,
        evening: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<AgreementSaved> {
        self.atomically(|store| {
            let theirs = store.agreement(&base.id)?;
            let merged = if theirs.revision == base.revision {
                draft.clone()
            } else {
                let field = |b: &String, o: &String, t: &String| domain::merge_field(b, o, t);
                let parts = (
                    field(&base.title, &draft.title, &theirs.title),
                    field(&base.details, &draft.details, &theirs.details),
                    field(&base.category, &draft.category, &theirs.category),
                );
                // The interval is a setting, not words: the one being saved now stands.
                let review_every_weeks = domain::merge_field(
                    &base.review_every_weeks,
                    &draft.review_every_weeks,
                    &theirs.review_every_weeks,
                )
                .unwrap_or(draft.review_every_weeks);
                match parts {
                    (Some(title), Some(details), Some(category)) => AgreementDraft {
                        title,
                        details,
                        category,
                        review_every_weeks,
                    },
                    (title, details, category) => {
                        let fields = [
                            ("title", title.is_none()),
                            ("details", details.is_none()),
                            ("category", category.is_none()),
                        ]
                        .into_iter()
                        .filter(|(_, clash)| *clash)
                        .map(|(name, _)| name)
                        .collect();
                        return Ok(AgreementSaved::Conflict { theirs, fields });
                    }
                }
            };
            let saved = store.edit_agreement(&base.id, by, &merged, evening, now)?;
            Ok(AgreementSaved::Saved(saved))
        })
    }

    pub fn edit_agreement(
        &mut self,
        id: &str,
        by: &str,
        draft: &AgreementDraft,
        evening: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Agreement> {
        let a = self.agreement(id)?;
        if a.status == AgreementStatus::Retired {
            return Err(super::partners::domain_rule(
                "this agreement is retired; propose a new one instead",
            ));
        }
        let d = draft.validated()?;
        let mut changes = serde_json::Map::new();
        let mut change = |field: &str, from: serde_json::Value, to: serde_json::Value| {
            if from != to {
                changes.insert(field.into(), json!({"from": from, "to": to}));
            }
        };
        change("title", json!(a.title), json!(d.title));
        change("details", json!(a.details), json!(d.details));
        change("category", json!(a.category), json!(d.category));
        change(
            "review_every_weeks",
            json!(a.review_every_weeks),
            json!(d.review_every_weeks),
        );
        if changes.is_empty() {
            return Ok(a);
        }
        let words_changed = changes.keys().any(|k| k != "review_every_weeks");
        let now = ts(&domain::instant(now));
        let tx = self.conn.savepoint()?;
        // The next review keeps its distance from the last one, counted in the new interval.
        let next = a.next_review.map(|n| {
            n - Duration::weeks(a.review_every_weeks as i64)
                + Duration::weeks(d.review_every_weeks as i64)
        });
        tx.execute(
            "UPDATE agreements SET title = ?2, details = ?3, category = ?4, review_every_weeks = ?5,
                 next_review = ?6, updated_at = ?7 WHERE id = ?1",
            params![id, d.title, d.details, d.category, d.review_every_weeks, next, now],
        )?;
        if words_changed {
            tx.execute(
                "DELETE FROM agreement_consents WHERE agreement_id = ?1",
                [id],
            )?;
            tx.execute(
                "INSERT INTO agreement_consents (agreement_id, partner_id, consented_at) VALUES (?1, ?2, ?3)",
                params![id, by, now],
            )?;
            tx.execute(
                "UPDATE agreements SET status = 'proposed' WHERE id = ?1",
                [id],
            )?;
            if a.status != AgreementStatus::Proposed {
                changes.insert(
                    "status".into(),
                    json!({"from": a.status.as_str(), "to": "proposed"}),
                );
            }
        }
        record(
            &tx,
            id,
            Some(by),
            EventKind::Edited,
            serde_json::Value::Object(changes),
            evening,
            &now,
        )?;
        tx.commit()?;
        self.agreement(id)
    }

    /// Marks an agreement for revisiting, or retires it. Both are recorded.
    pub fn set_agreement_status(
        &mut self,
        id: &str,
        by: &str,
        status: AgreementStatus,
        evening: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Agreement> {
        let a = self.agreement(id)?;
        if a.status == status {
            return Ok(a);
        }
        if !matches!(status, AgreementStatus::Revisit | AgreementStatus::Retired) {
            return Err(super::partners::domain_rule(
                "an agreement becomes agreed only through both partners' consent",
            ));
        }
        if a.status == AgreementStatus::Retired {
            return Err(super::partners::domain_rule(
                "this agreement is retired; propose a new one instead",
            ));
        }
        let now = ts(&domain::instant(now));
        let tx = self.conn.savepoint()?;
        tx.execute(
            "UPDATE agreements SET status = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, status.as_str(), now],
        )?;
        let detail = json!({"status": {"from": a.status.as_str(), "to": status.as_str()}});
        let kind = if status == AgreementStatus::Retired {
            EventKind::Retired
        } else {
            EventKind::Revisit
        };
        record(&tx, id, Some(by), kind, detail, evening, &now)?;
        tx.commit()?;
        self.agreement(id)
    }

    /// An agreement marked to revisit, set back to agreed (an undo, or after you both marked it
    /// honored): its consents were never taken back, so it is both your words again.
    pub fn back_to_agreed(
        &mut self,
        id: &str,
        by: &str,
        evening: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Agreement> {
        let a = self.agreement(id)?;
        if a.status != AgreementStatus::Revisit {
            return Ok(a);
        }
        let now = ts(&domain::instant(now));
        let tx = self.conn.savepoint()?;
        tx.execute(
            "UPDATE agreements SET status = 'agreed', updated_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
        let detail = json!({"status": {"from": "revisit", "to": "agreed"}});
        record(&tx, id, Some(by), EventKind::Agreed, detail, evening, &now)?;
        tx.commit()?;
        self.agreement(id)
    }

    /// One partner's mark in a review together. The next review date moves on; a "want to
    /// revisit" mark also puts the agreement in revisit.
    /// `by` is the partner marking it, or `None` for a mark you gave together (the weekly
    /// check-in's agreements step).
    pub fn review_agreement(
        &mut self,
        id: &str,
        by: Option<&str>,
        mark: ReviewMark,
        note: &str,
        evening: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Agreement> {
        let a = self.agreement(id)?;
        if a.status == AgreementStatus::Retired {
            return Err(super::partners::domain_rule(
                "a retired agreement isn't reviewed",
            ));
        }
        let note = domain::optional_text("the note", note)?;
        let now = ts(&domain::instant(now));
        // A savepoint, so a review can be part of a larger step (`Store::atomically`).
        let tx = self.conn.savepoint()?;
        let next = next_review(evening, a.review_every_weeks);
        tx.execute(
            "UPDATE agreements SET next_review = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, next, now],
        )?;
        let mut detail = json!({"mark": mark.as_str(), "note": note});
        if by.is_none() {
            detail["together"] = json!(true);
        }
        if mark == ReviewMark::Revisit && a.status == AgreementStatus::Agreed {
            tx.execute(
                "UPDATE agreements SET status = 'revisit' WHERE id = ?1",
                [id],
            )?;
            detail["status"] = json!({"from": a.status.as_str(), "to": "revisit"});
        }
        record(&tx, id, by, EventKind::Reviewed, detail, evening, &now)?;
        tx.commit()?;
        self.agreement(id)
    }

    pub fn agreement(&self, id: &str) -> Result<Agreement> {
        let mut st = self
            .conn
            .prepare_cached(&format!("SELECT {COLS} FROM agreements WHERE id = ?1"))?;
        let mut a = st.query_row([id], row).map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound("that agreement".into()),
            e => e.into(),
        })?;
        a.consents = self.consents(id)?;
        Ok(a)
    }

    fn consents(&self, id: &str) -> Result<Vec<Consent>> {
        let mut st = self.conn.prepare_cached(
            "SELECT partner_id, consented_at FROM agreement_consents WHERE agreement_id = ?1
             ORDER BY consented_at, partner_id",
        )?;
        let rows = st.query_map([id], |r| {
            Ok(Consent {
                partner_id: r.get(0)?,
                at: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Agreements in the order the screen lists them: those needing attention first.
    pub fn agreements(&self, status: Option<AgreementStatus>) -> Result<Vec<Agreement>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLS} FROM agreements WHERE (?1 IS NULL OR status = ?1)
             ORDER BY CASE status WHEN 'revisit' THEN 0 WHEN 'proposed' THEN 1
                 WHEN 'agreed' THEN 2 ELSE 3 END, created_at, rowid"
        ))?;
        let rows = st.query_map([status.map(|s| s.as_str())], row)?;
        let mut list: Vec<Agreement> = rows.collect::<rusqlite::Result<_>>()?;
        for a in &mut list {
            a.consents = self.consents(&a.id)?;
        }
        Ok(list)
    }

    /// Agreed (or revisit) agreements whose review date has come by `on`.
    pub fn agreements_due(&self, on: NaiveDate) -> Result<Vec<Agreement>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLS} FROM agreements
             WHERE status IN ('agreed', 'revisit') AND (next_review IS NULL OR next_review <= ?1)
             ORDER BY next_review, created_at, rowid"
        ))?;
        let rows = st.query_map([on], row)?;
        let mut list: Vec<Agreement> = rows.collect::<rusqlite::Result<_>>()?;
        for a in &mut list {
            a.consents = self.consents(&a.id)?;
        }
        Ok(list)
    }

    /// The full history of one agreement, oldest first.
    pub fn agreement_events(&self, id: &str) -> Result<Vec<AgreementEvent>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, agreement_id, partner_id, at, evening, kind, detail FROM agreement_events
             WHERE agreement_id = ?1 ORDER BY at, rowid",
        )?;
        let rows = st.query_map([id], event_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every change to any agreement recorded for an evening from `from` to `to`, in order.
    pub fn events_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<AgreementEvent>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, agreement_id, partner_id, at, evening, kind, detail FROM agreement_events
             WHERE evening BETWEEN ?1 AND ?2 ORDER BY at, rowid",
        )?;
        let rows = st.query_map(params![from, to], event_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn agreement_counts(&self) -> Result<Vec<(AgreementStatus, i64)>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT status, count(*) FROM agreements GROUP BY status")?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        let mut out = Vec::new();
        for r in rows {
            let (s, n) = r?;
            if let Some(s) = AgreementStatus::parse(&s) {
                out.push((s, n));
            }
        }
        Ok(out)
    }
}
