//! The Agreements pane: boundaries proposed by one partner that count once the other consents,
//! edited, marked to revisit, retired, and each with its history.

use chrono::TimeZone;

use super::form::{Field, Form};
use super::layers::FormSaved;
use super::{moved, App, Confirm, FormKind, Overlay, Pending, WhoFor};
use crate::action::Action;
use crate::domain::{self, Agreement, AgreementDraft, AgreementStatus, Seat, REVIEW_WEEKS};
use crate::error::AppError;
use crate::store::{AgreementSaved, Store};

#[derive(Debug, Clone)]
pub struct Agreements {
    pub filter: Option<AgreementStatus>,
    pub list: Vec<Agreement>,
    pub selected: usize,
    /// The agreement last marked to revisit, which `u` sets back to agreed.
    pub undo_revisit: Option<String>,
    /// The rows must be read again before the pane is next drawn.
    pub(super) stale: bool,
}

impl Default for Agreements {
    fn default() -> Self {
        Agreements {
            filter: None,
            list: Vec::new(),
            selected: 0,
            undo_revisit: None,
            stale: true,
        }
    }
}

impl Agreements {
    pub fn selected(&self) -> Option<&Agreement> {
        self.list.get(self.selected)
    }

    /// The selection follows its row by id, so rows written meanwhile (by the other partner's
    /// terminal, say) never move it onto a different entry.
    pub(super) fn load(&mut self, store: &Store) -> Result<(), AppError> {
        if !self.stale {
            return Ok(());
        }
        let keep = self.selected().map(|a| a.id.clone());
        self.list = store.agreements(self.filter)?;
        self.selected = keep
            .and_then(|id| self.list.iter().position(|a| a.id == id))
            .unwrap_or(self.selected)
            .min(self.list.len().saturating_sub(1));
        self.stale = false;
        Ok(())
    }
}

impl<Tz: TimeZone> App<Tz>
where
    Tz::Offset: std::fmt::Display,
{
    pub(super) fn agreements_action(&mut self, action: Action) -> Result<(), AppError> {
        match action {
            Action::Propose => self.ask_who(WhoFor::Propose)?,
            Action::EditAgreement if self.agreements.selected().is_some() => {
                self.ask_who(WhoFor::EditAgreement)?
            }
            Action::EditAgreement => self.info("No agreement selected."),
            Action::Consent => self.consent(),
            Action::Revisit => self.revisit(),
            Action::UndoDelete => match self.agreements.undo_revisit.take() {
                Some(id) => self.back_to_agreed(&id)?,
                None => self.info("Nothing to undo."),
            },
            Action::Retire => self.retire(),
            Action::ShowHistory => self.show_history()?,
            Action::ReviewTogether => self.start_review()?,
            Action::CycleStatusFilter => {
                let all = AgreementStatus::ALL;
                self.agreements.filter = match self.agreements.filter {
                    None => Some(all[0]),
                    Some(s) => all
                        .iter()
                        .position(|x| *x == s)
                        .and_then(|i| all.get(i + 1))
                        .copied(),
                };
                self.agreements.selected = 0;
                self.reload()?;
            }
            Action::Up | Action::Down | Action::Top | Action::Bottom => {
                let a = &mut self.agreements;
                a.selected = moved(a.selected, a.list.len(), &action);
            }
            _ => {}
        }
        Ok(())
    }

    pub(super) fn open_proposal(&mut self, seat: Seat) {
        let draft = AgreementDraft {
            review_every_weeks: 4,
            ..Default::default()
        };
        self.open_proposal_with(seat, draft);
    }

    /// The proposal form, started from `draft`.
    pub(super) fn open_proposal_with(&mut self, seat: Seat, draft: AgreementDraft) {
        let form = agreement_form(
            &format!("{} proposes an agreement", self.name(seat)),
            &draft,
        );
        self.overlay = Some(Overlay::Form {
            kind: FormKind::Propose { by: seat },
            form,
        });
    }

    pub(super) fn open_agreement_edit(&mut self, seat: Seat) {
        let Some(a) = self.agreements.selected().cloned() else {
            return;
        };
        if a.status == AgreementStatus::Retired {
            self.info("This agreement is retired. Propose a new one instead.");
            return;
        }
        let draft = AgreementDraft {
            title: a.title.clone(),
            details: a.details.clone(),
            category: a.category.clone(),
            review_every_weeks: a.review_every_weeks,
        };
        let mut form = agreement_form(&format!("{} edits an agreement", self.name(seat)), &draft);
        if a.status == AgreementStatus::Agreed {
            form.intro = vec!["Changing the words asks for both of your consent again.".into()];
        }
        self.overlay = Some(Overlay::Form {
            kind: FormKind::EditAgreement {
                base: Box::new(a),
                by: seat,
            },
            form,
        });
    }

    pub(super) fn save_proposal(&mut self, by: Seat, form: &Form) -> Result<(), AppError> {
        let draft = agreement_draft(form)?;
        let who = self.partner_id(by)?;
        let a = self
            .store
            .propose_agreement(&who, &draft, self.evening(), self.now)?;
        self.agreements.filter = None;
        self.reload()?;
        self.agreements.selected = self
            .agreements
            .list
            .iter()
            .position(|x| x.id == a.id)
            .unwrap_or(0);
        let other = self.name(by.other());
        self.info(format!(
            "Proposed. It becomes agreed when {other} consents (y)."
        ));
        Ok(())
    }

    pub(super) fn save_agreement_edit(
        &mut self,
        base: &Agreement,
        by: Seat,
        form: &Form,
    ) -> Result<FormSaved, AppError> {
        let draft = agreement_draft(form)?;
        let who = self.partner_id(by)?;
        let before = self.store.agreement(&base.id)?;
        let saved = self
            .store
            .edit_agreement_from(base, &who, &draft, self.evening(), self.now)?;
        let a = match saved {
            AgreementSaved::Saved(a) => a,
            AgreementSaved::Conflict { theirs, fields } => {
                return Ok(both_versions(form, &draft, theirs, &fields, by))
            }
        };
        self.reload()?;
        if a.updated_at == before.updated_at {
            self.info("Nothing changed.");
        } else if a.status == AgreementStatus::Proposed
            && before.status != AgreementStatus::Proposed
        {
            let other = self.name(by.other());
            self.info(format!(
                "Saved; the change is in its history. It waits for {other}'s consent again."
            ));
        } else {
            self.info("Saved; the change is in its history.");
        }
        Ok(FormSaved::Closed)
    }

    /// Consent is the other partner's own word: ask them by name first.
    fn consent(&mut self) {
        let Some(a) = self.agreements.selected().cloned() else {
            self.info("No agreement selected.");
            return;
        };
        let Some(couple) = self.couple.clone() else {
            return;
        };
        // On one partner's own device, their own yes is the one asked for first.
        let mine = self
            .me
            .map(|me| &couple[me])
            .filter(|p| !a.has_consented(&p.id));
        let Some(missing) = mine.or_else(|| couple.iter().find(|p| !a.has_consented(&p.id))) else {
            self.info(if a.status == AgreementStatus::Agreed {
                "You both already agreed to this."
            } else {
                "To agree to it again, edit it (e): that asks you both."
            });
            return;
        };
        // On one partner's own device, only they can say yes.
        if self.me.is_some_and(|me| couple[me].id != missing.id) {
            self.info(format!(
                "Waiting for {}: they agree on their own device.",
                missing.name
            ));
            return;
        }
        self.confirm = Some(Confirm {
            question: format!("{}, do you agree to \"{}\"?", missing.name, a.title),
            pending: Pending::Consent {
                id: a.id,
                partner: missing.id.clone(),
            },
        });
    }

    pub(super) fn give_consent(&mut self, id: &str, partner: &str) -> Result<(), AppError> {
        let a = self
            .store
            .consent_agreement(id, partner, self.evening(), self.now)?;
        let name = self.name_of(partner).to_string();
        self.reload()?;
        if a.status == AgreementStatus::Agreed {
            self.celebrate(format!(
                "{} agreed. \"{}\" is now something you both chose.",
                name, a.title
            ));
        } else {
            self.info(format!("{name} consented."));
        }
        Ok(())
    }

    /// `v` asks first: marking to revisit says you want to talk it over again.
    fn revisit(&mut self) {
        let Some(a) = self.agreements.selected().cloned() else {
            return;
        };
        if a.status == AgreementStatus::Revisit {
            self.info("Already marked to revisit.");
            return;
        }
        self.confirm = Some(Confirm {
            question: format!("Mark \"{}\" to revisit together?", a.title),
            pending: Pending::Revisit { id: a.id },
        });
    }

    pub(super) fn revisit_confirmed(&mut self, id: &str) -> Result<(), AppError> {
        let a = self.store.set_agreement_status(
            id,
            &self.partner_id(self.last_actor)?,
            AgreementStatus::Revisit,
            self.evening(),
            self.now,
        )?;
        self.agreements.undo_revisit = Some(a.id.clone());
        self.reload()?;
        self.info(format!(
            "\"{}\" is marked to revisit together. u undoes it.",
            a.title
        ));
        Ok(())
    }

    pub(super) fn back_to_agreed(&mut self, id: &str) -> Result<(), AppError> {
        let a = self.store.back_to_agreed(
            id,
            &self.partner_id(self.last_actor)?,
            self.evening(),
            self.now,
        )?;
        self.reload()?;
        self.info(format!("\"{}\" is agreed again.", a.title));
        Ok(())
    }

    fn retire(&mut self) {
        let Some(a) = self.agreements.selected().cloned() else {
            return;
        };
        if a.status == AgreementStatus::Retired {
            self.info("Already retired.");
            return;
        }
        self.confirm = Some(Confirm {
            question: format!("Retire \"{}\"? Its history is kept.", a.title),
            pending: Pending::Retire {
                id: a.id,
                by: self.last_actor,
            },
        });
    }

    pub(super) fn retire_confirmed(&mut self, id: &str, by: Seat) -> Result<(), AppError> {
        let who = self.partner_id(by)?;
        let a = self.store.set_agreement_status(
            id,
            &who,
            AgreementStatus::Retired,
            self.evening(),
            self.now,
        )?;
        self.reload()?;
        self.info(format!("Retired \"{}\". Its history is kept.", a.title));
        Ok(())
    }

    fn show_history(&mut self) -> Result<(), AppError> {
        let Some(a) = self.agreements.selected().cloned() else {
            return Ok(());
        };
        let events = self.store.agreement_events(&a.id)?;
        let lines = events
            .iter()
            .map(|e| {
                let who = e.partner_id.as_deref().map(|p| self.name_of(p).to_string());
                let when = e.at.with_timezone(&self.tz).format("%a %-d %b %Y %H:%M");
                format!(
                    "{when}  {}",
                    domain::describe_event(e.kind, who.as_deref(), &e.detail)
                )
            })
            .collect();
        self.overlay = Some(Overlay::History {
            title: format!("History · {}", a.title),
            lines,
            scroll: 0,
        });
        Ok(())
    }
}

/// The same words of an agreement were changed in another window meanwhile: the form comes
/// back with both versions, and saving it then writes over what they saw.
fn both_versions(
    form: &Form,
    ours: &AgreementDraft,
    theirs: Agreement,
    fields: &[&str],
    by: Seat,
) -> FormSaved {
    let mut form = form.clone();
    let between = "— saved meanwhile in another window —";
    if fields.contains(&"title") {
        form.set_field_text("title", &format!("{} / {}", ours.title, theirs.title));
    }
    if fields.contains(&"details") {
        let both = format!("{}\n\n{between}\n{}", ours.details, theirs.details);
        form.set_field_text("details", &both);
    }
    if fields.contains(&"category") {
        form.set_field_text(
            "category",
            &format!("{} / {}", ours.category, theirs.category),
        );
    }
    form.error = Some(super::form::BOTH_VERSIONS.into());
    FormSaved::Again(
        FormKind::EditAgreement {
            base: Box::new(theirs),
            by,
        },
        form,
    )
}

fn agreement_form(title: &str, d: &AgreementDraft) -> Form {
    let weeks: Vec<String> = REVIEW_WEEKS.iter().map(|w| w.to_string()).collect();
    let selected = REVIEW_WEEKS
        .iter()
        .position(|w| *w == d.review_every_weeks)
        .unwrap_or(2);
    Form::new(
        title,
        vec![
            Field::line(
                "title",
                "Agreement",
                &d.title,
                "in a line: what we both will do, or not do",
            ),
            Field::block(
                "details",
                "Details",
                &d.details,
                "optional: what it looks like day to day",
            ),
            Field::line(
                "category",
                "Category",
                &d.category,
                "optional: time, money, phones, family…",
            ),
            Field::choice("weeks", "Review it together every … weeks", weeks, selected),
        ],
    )
}

fn agreement_draft(form: &Form) -> Result<AgreementDraft, AppError> {
    let weeks = REVIEW_WEEKS[form.choice("weeks").min(REVIEW_WEEKS.len() - 1)];
    let d = AgreementDraft {
        title: form.text("title"),
        details: form.text("details"),
        category: form.text("category"),
        review_every_weeks: weeks,
    };
    Ok(d.validated()?)
}
