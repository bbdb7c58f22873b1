//! Repairs and their answers; the prompt chosen for an evening, and starred prompts.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension, Row};

use super::partners::domain_rule;
use super::{bad_column, ts, Result, Store};
use crate::domain::{
    self, EveningPrompt, PromptStar, Repair, RepairDraft, RepairResponse, Response, SummaryChoice,
};
use crate::error::StoreError;

const REPAIR_COLS: &str = "id, by_partner, evening, what_happened, how_it_affected, \
     do_differently, agreement_id, created_at, updated_at, revision";

fn repair_row(r: &Row) -> rusqlite::Result<Repair> {
    Ok(Repair {
        id: r.get(0)?,
        by: r.get(1)?,
        evening: r.get(2)?,
        what_happened: r.get(3)?,
        how_it_affected: r.get(4)?,
        do_differently: r.get(5)?,
        agreement_id: r.get(6)?,
        created_at: r.get(7)?,
        updated_at: r.get(8)?,
        revision: r.get(9)?,
    })
}

const RESPONSE_COLS: &str = "id, repair_id, partner_id, kind, note, at, evening";

fn response_row(r: &Row) -> rusqlite::Result<RepairResponse> {
    let kind: String = r.get(3)?;
    Ok(RepairResponse {
        id: r.get(0)?,
        repair_id: r.get(1)?,
        partner_id: r.get(2)?,
        response: Response::parse(&kind).ok_or_else(|| bad_column(3, "response"))?,
        note: r.get(4)?,
        at: r.get(5)?,
        evening: r.get(6)?,
    })
}

/// A repair with its answers, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairWithAnswers {
    pub repair: Repair,
    pub responses: Vec<RepairResponse>,
}

impl RepairWithAnswers {
    pub fn current(&self) -> Option<&RepairResponse> {
        domain::current_response(&self.responses)
    }
}

impl Store {
    fn known_partner(&self, id: &str) -> Result<()> {
        if self.partners()?.iter().any(|p| p.id == id) {
            Ok(())
        } else {
            Err(StoreError::NotFound("that partner".into()))
        }
    }

    /// `by` takes responsibility for something, tonight.
    pub fn add_repair(
        &mut self,
        by: &str,
        draft: &RepairDraft,
        evening: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Repair> {
        let d = draft.validated()?;
        self.known_partner(by)?;
        if let Some(a) = &d.agreement_id {
            self.agreement(a)?;
        }
        let now = domain::instant(now);
        let repair = Repair {
            id: domain::new_id(),
            by: by.to_string(),
            evening,
            what_happened: d.what_happened,
            how_it_affected: d.how_it_affected,
            do_differently: d.do_differently,
            agreement_id: d.agreement_id,
            created_at: now,
            updated_at: now,
            revision: 1,
        };
        self.put_repair(&repair)?;
        Ok(repair)
    }

    pub(super) fn put_repair(&self, r: &Repair) -> Result<()> {
        self.conn.execute(
            "INSERT INTO repairs (id, by_partner, evening, what_happened, how_it_affected,
                 do_differently, agreement_id, created_at, updated_at, revision)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (id) DO UPDATE SET by_partner = ?2, evening = ?3, what_happened = ?4,
                 how_it_affected = ?5, do_differently = ?6, agreement_id = ?7, created_at = ?8,
                 updated_at = ?9, revision = revision + 1",
            params![
                r.id,
                r.by,
                r.evening,
                r.what_happened,
                r.how_it_affected,
                r.do_differently,
                r.agreement_id,
                ts(&r.created_at),
                ts(&r.updated_at),
                r.revision
            ],
        )?;
        Ok(())
    }

    pub fn repair(&self, id: &str) -> Result<Repair> {
        let mut st = self
            .conn
            .prepare_cached(&format!("SELECT {REPAIR_COLS} FROM repairs WHERE id = ?1"))?;
        st.query_row([id], repair_row).map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound("that repair".into()),
            e => e.into(),
        })
    }

    /// Every repair, newest first, with its answers.
    pub fn repairs(&self) -> Result<Vec<RepairWithAnswers>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {REPAIR_COLS} FROM repairs ORDER BY created_at DESC, rowid DESC"
        ))?;
        let repairs = st
            .query_map([], repair_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        repairs
            .into_iter()
            .map(|repair| {
                Ok(RepairWithAnswers {
                    responses: self.repair_responses(&repair.id)?,
                    repair,
                })
            })
            .collect()
    }

    /// The repairs taken in these evenings (inclusive), oldest first.
    pub fn repairs_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Repair>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {REPAIR_COLS} FROM repairs WHERE evening BETWEEN ?1 AND ?2
             ORDER BY created_at, id"
        ))?;
        let rows = st.query_map(params![from, to], repair_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Answers given in these evenings (inclusive), oldest first.
    pub fn responses_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<RepairResponse>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {RESPONSE_COLS} FROM repair_responses WHERE evening BETWEEN ?1 AND ?2
             ORDER BY at, id"
        ))?;
        let rows = st.query_map(params![from, to], response_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn repair_responses(&self, repair_id: &str) -> Result<Vec<RepairResponse>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {RESPONSE_COLS} FROM repair_responses WHERE repair_id = ?1 ORDER BY at, id"
        ))?;
        let rows = st.query_map([repair_id], response_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The other partner answers, when ready; a later answer stands over an earlier one, and
    /// both stay in the history.
    pub fn respond_to_repair(
        &mut self,
        repair_id: &str,
        by: &str,
        response: Response,
        note: &str,
        evening: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<RepairResponse> {
        let repair = self.repair(repair_id)?;
        self.known_partner(by)?;
        if repair.by == by {
            return Err(domain_rule(
                "a repair is answered by the other partner, when they're ready",
            ));
        }
        let note = domain::optional_text("the note", note)?;
        // A later answer stands: never stamped at or before the one it follows, even within
        // the same second (or with a clock set back).
        let after = self
            .repair_responses(repair_id)?
            .iter()
            .map(|a| a.at + chrono::Duration::seconds(1))
            .max();
        let at = after.map_or(domain::instant(now), |a| a.max(domain::instant(now)));
        let answer = RepairResponse {
            id: domain::new_id(),
            repair_id: repair_id.to_string(),
            partner_id: by.to_string(),
            response,
            note,
            at,
            evening,
        };
        self.put_repair_response(&answer)?;
        Ok(answer)
    }

    pub(super) fn put_repair_response(&self, a: &RepairResponse) -> Result<()> {
        self.conn.execute(
            "INSERT OR IGNORE INTO repair_responses (id, repair_id, partner_id, kind, note, at, evening)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                a.id,
                a.repair_id,
                a.partner_id,
                a.response.as_str(),
                a.note,
                ts(&a.at),
                a.evening
            ],
        )?;
        Ok(())
    }

    pub(super) fn repair_response(&self, id: &str) -> Result<Option<RepairResponse>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {RESPONSE_COLS} FROM repair_responses WHERE id = ?1"
            ))?
            .query_row([id], response_row)
            .optional()?)
    }

    pub(super) fn evening_prompt_row(&self, evening: NaiveDate) -> Result<Option<EveningPrompt>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT evening, prompt_id, updated_at FROM evening_prompts WHERE evening = ?1",
            )?
            .query_row([evening], |r| {
                Ok(EveningPrompt {
                    evening: r.get(0)?,
                    prompt_id: r.get(1)?,
                    updated_at: r.get(2)?,
                })
            })
            .optional()?)
    }

    pub(super) fn prompt_star(
        &self,
        partner_id: &str,
        prompt_id: &str,
    ) -> Result<Option<PromptStar>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT partner_id, prompt_id, starred, updated_at FROM prompt_stars
                 WHERE partner_id = ?1 AND prompt_id = ?2",
            )?
            .query_row([partner_id, prompt_id], |r| {
                Ok(PromptStar {
                    partner_id: r.get(0)?,
                    prompt_id: r.get(1)?,
                    starred: r.get(2)?,
                    updated_at: r.get(3)?,
                })
            })
            .optional()?)
    }

    pub(super) fn all_repairs(&self) -> Result<Vec<Repair>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {REPAIR_COLS} FROM repairs ORDER BY created_at, id"
        ))?;
        let rows = st.query_map([], repair_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub(super) fn all_repair_responses(&self) -> Result<Vec<RepairResponse>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {RESPONSE_COLS} FROM repair_responses ORDER BY at, id"
        ))?;
        let rows = st.query_map([], response_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The prompt chosen for this evening with `n`, if one was.
    pub fn evening_prompt(&self, evening: NaiveDate) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT prompt_id FROM evening_prompts WHERE evening = ?1")?
            .query_row([evening], |r| r.get(0))
            .optional()?)
    }

    pub fn choose_evening_prompt(
        &mut self,
        evening: NaiveDate,
        prompt_id: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.put_evening_prompt(&EveningPrompt {
            evening,
            prompt_id: prompt_id.to_string(),
            updated_at: domain::instant(now),
        })
    }

    pub(super) fn put_evening_prompt(&self, p: &EveningPrompt) -> Result<()> {
        self.conn.execute(
            "INSERT INTO evening_prompts (evening, prompt_id, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (evening) DO UPDATE SET prompt_id = ?2, updated_at = ?3",
            params![p.evening, p.prompt_id, ts(&p.updated_at)],
        )?;
        Ok(())
    }

    pub(super) fn all_evening_prompts(&self) -> Result<Vec<EveningPrompt>> {
        let mut st = self.conn.prepare(
            "SELECT evening, prompt_id, updated_at FROM evening_prompts ORDER BY evening",
        )?;
        let rows = st.query_map([], |r| {
            Ok(EveningPrompt {
                evening: r.get(0)?,
                prompt_id: r.get(1)?,
                updated_at: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether the words of repairs go into the Markdown summary: only while both chose so.
    pub fn both_share_repair_words(&self) -> Result<bool> {
        let yes: i64 = self.conn.query_row(
            "SELECT count(*) FROM summary_choices WHERE repair_words = 1",
            [],
            |r| r.get(0),
        )?;
        Ok(yes >= 2)
    }

    /// Whether this partner chose to let the words in.
    pub fn shares_repair_words(&self, partner_id: &str) -> Result<bool> {
        Ok(self
            .summary_choice(partner_id)?
            .is_some_and(|c| c.repair_words))
    }

    /// This partner's own choice.
    pub fn share_repair_words(
        &mut self,
        partner_id: &str,
        yes: bool,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.known_partner(partner_id)?;
        self.put_summary_choice(&SummaryChoice {
            partner_id: partner_id.to_string(),
            repair_words: yes,
            updated_at: domain::instant(now),
        })
    }

    pub(super) fn put_summary_choice(&self, c: &SummaryChoice) -> Result<()> {
        self.conn.execute(
            "INSERT INTO summary_choices (partner_id, repair_words, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (partner_id) DO UPDATE SET repair_words = ?2, updated_at = ?3",
            params![c.partner_id, c.repair_words, ts(&c.updated_at)],
        )?;
        Ok(())
    }

    pub(super) fn summary_choice(&self, partner_id: &str) -> Result<Option<SummaryChoice>> {
        Ok(self
            .all_summary_choices()?
            .into_iter()
            .find(|c| c.partner_id == partner_id))
    }

    pub(super) fn all_summary_choices(&self) -> Result<Vec<SummaryChoice>> {
        let mut st = self.conn.prepare(
            "SELECT partner_id, repair_words, updated_at FROM summary_choices ORDER BY partner_id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(SummaryChoice {
                partner_id: r.get(0)?,
                repair_words: r.get(1)?,
                updated_at: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Prompts either partner has starred, in a stable order.
    pub fn starred_prompts(&self) -> Result<Vec<String>> {
        let mut st = self.conn.prepare_cached(
            "SELECT DISTINCT prompt_id FROM prompt_stars WHERE starred = 1 ORDER BY prompt_id",
        )?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn is_starred(&self, partner_id: &str, prompt_id: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT starred FROM prompt_stars WHERE partner_id = ?1 AND prompt_id = ?2",
            )?
            .query_row([partner_id, prompt_id], |r| r.get::<_, bool>(0))
            .optional()?
            .unwrap_or(false))
    }

    pub fn star_prompt(
        &mut self,
        partner_id: &str,
        prompt_id: &str,
        starred: bool,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.known_partner(partner_id)?;
        self.put_prompt_star(&PromptStar {
            partner_id: partner_id.to_string(),
            prompt_id: prompt_id.to_string(),
            starred,
            updated_at: domain::instant(now),
        })
    }

    pub(super) fn put_prompt_star(&self, s: &PromptStar) -> Result<()> {
        self.conn.execute(
            "INSERT INTO prompt_stars (partner_id, prompt_id, starred, updated_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (partner_id, prompt_id) DO UPDATE SET starred = ?3, updated_at = ?4",
            params![s.partner_id, s.prompt_id, s.starred, ts(&s.updated_at)],
        )?;
        Ok(())
    }

    pub(super) fn all_prompt_stars(&self) -> Result<Vec<PromptStar>> {
        let mut st = self.conn.prepare(
            "SELECT partner_id, prompt_id, starred, updated_at FROM prompt_stars
             ORDER BY partner_id, prompt_id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(PromptStar {
                partner_id: r.get(0)?,
                prompt_id: r.get(1)?,
                starred: r.get(2)?,
                updated_at: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
