//! The Repairs pane: one partner takes responsibility for something, in their own words; the
//! other answers when ready ("not yet" is an answer too). Nothing counts what is unanswered.

use chrono::TimeZone;

use super::form::{Field, Form};
use super::{moved, App, FormKind, Overlay, WhoFor};
use crate::action::Action;
use crate::domain::{self, AgreementDraft, AgreementStatus, RepairDraft, Response, Seat};
use crate::error::AppError;
use crate::store::{RepairWithAnswers, Store};

#[derive(Debug, Clone, Default)]
pub struct Repairs {
    /// Newest first, each with its answers.
    pub list: Vec<RepairWithAnswers>,
    pub selected: usize,
    /// The titles of the agreements repairs touched, by id.
    pub agreement_titles: std::collections::BTreeMap<String, String>,
}

impl Repairs {
    pub(super) fn load(&mut self, store: &Store) -> Result<(), AppError> {
        self.list = store.repairs()?;
        self.agreement_titles.clear();
        for id in self
            .list
            .iter()
            .filter_map(|r| r.repair.agreement_id.clone())
        {
            if let Ok(a) = store.agreement(&id) {
                self.agreement_titles.insert(id, a.title);
            }
        }
        self.selected = self.selected.min(self.list.len().saturating_sub(1));
        Ok(())
    }

    pub fn selected(&self) -> Option<&RepairWithAnswers> {
        self.list.get(self.selected)
    }
}

/// The answers a partner can give, in the order the choice offers them.
fn answer_words() -> Vec<String> {
    Response::ALL
        .iter()
        .map(|r| r.words().to_string())
        .collect()
}

impl<Tz: TimeZone> App<Tz>
where
    Tz::Offset: std::fmt::Display,
{
    pub(super) fn repairs_action(&mut self, action: Action) -> Result<(), AppError> {
        match action {
            Action::Up | Action::Down | Action::Top | Action::Bottom => {
                let r = &mut self.repairs;
                r.selected = moved(r.selected, r.list.len(), &action);
            }
            Action::TakeResponsibility => self.ask_who(WhoFor::Repair)?,
            Action::Respond => self.open_response(),
            Action::ShowHistory => self.read_repair(),
            Action::ProposeFromRepair => self.propose_from_repair()?,
            Action::ShareRepairWords => self.ask_who(WhoFor::ShareRepairWords)?,
            _ => {}
        }
        Ok(())
    }

    pub(super) fn open_repair_form(&mut self, seat: Seat) -> Result<(), AppError> {
        let other = self.name(seat.other());
        let open: Vec<_> = self
            .store
            .agreements(None)?
            .into_iter()
            .filter(|a| a.status != AgreementStatus::Retired)
            .collect();
        let mut titles = vec!["none".to_string()];
        titles.extend(open.iter().map(|a| crate::text::fit(&a.title, 40)));
        let form = Form::new(
            &format!("{} takes responsibility", self.name(seat)),
            vec![
                Field::block(
                    "what",
                    "What happened",
                    "",
                    "what you did, in your own words",
                ),
                Field::block(
                    "affected",
                    &format!("How it may have affected {other}"),
                    "",
                    "optional",
                ),
                Field::block("differently", "What I'll do differently", "", "optional"),
                Field::choice("agreement", "The agreement it touched", titles, 0),
            ],
        )
        .with_intro(vec![format!(
            "Say what you did and own it, without a “but”. Sorry is a start; what you'll do \
             differently is the rest. {other} answers when ready; nothing nags."
        )]);
        self.overlay = Some(Overlay::Form {
            kind: FormKind::Repair {
                by: seat,
                agreements: open.into_iter().map(|a| a.id).collect(),
            },
            form,
        });
        Ok(())
    }

    pub(super) fn save_repair(
        &mut self,
        seat: Seat,
        agreements: &[String],
        form: &Form,
    ) -> Result<(), AppError> {
        let agreement_id = form
            .choice("agreement")
            .checked_sub(1)
            .and_then(|i| agreements.get(i).cloned());
        let draft = RepairDraft {
            what_happened: form.text("what"),
            how_it_affected: form.text("affected"),
            do_differently: form.text("differently"),
            agreement_id,
        };
        let by = self.partner_id(seat)?;
        let repair = self
            .store
            .add_repair(&by, &draft, self.evening(), self.now)?;
        self.last_actor = seat;
        self.repairs.selected = 0;
        self.journal.stale = true;
        self.reload()?;
        let other = self.name(seat.other());
        let words = format!("{} {}", repair.what_happened, repair.how_it_affected);
        match domain::excuse_note(&words) {
            Some(note) => self.info(format!("Written down. {note}")),
            None => self.info(format!(
                "Written down. {other} can answer when they're ready."
            )),
        }
        Ok(())
    }

    /// One partner's own choice, turned the other way: the summary includes the words of
    /// repairs only while both said yes.
    pub(super) fn toggle_repair_words(&mut self, seat: Seat) -> Result<(), AppError> {
        let who = self.partner_id(seat)?;
        let yes = !self.store.shares_repair_words(&who)?;
        self.store.share_repair_words(&who, yes, self.now)?;
        let name = self.name(seat);
        let both = self.store.both_share_repair_words()?;
        self.info(match (yes, both) {
            (true, true) => {
                format!("{name} said yes too: the summary includes repairs' words now.")
            }
            (true, false) => {
                format!("{name} lets repairs' words into the summary, once you both said yes (i).")
            }
            (false, _) => format!("{name} keeps repairs' words out of the summary."),
        });
        Ok(())
    }

    /// The other partner answers; on a paired device, only on their own.
    fn open_response(&mut self) {
        let Some(r) = self.repairs.selected().cloned() else {
            self.info("No repair selected.");
            return;
        };
        let Some(author) = self.seat_of(&r.repair.by) else {
            return;
        };
        let answerer = author.other();
        if self.me.is_some_and(|me| me != answerer) {
            self.info(format!(
                "{} answers on their own device, when they're ready.",
                self.name(answerer)
            ));
            return;
        }
        let chosen = r
            .current()
            .and_then(|a| Response::ALL.iter().position(|x| *x == a.response))
            .unwrap_or(0);
        let rep = &r.repair;
        let mut intro = vec![format!(
            "{} took responsibility: “{}”",
            self.name(author),
            rep.what_happened
        )];
        if !rep.how_it_affected.is_empty() {
            intro.push(format!(
                "How it may have affected you: {}",
                rep.how_it_affected
            ));
        }
        if !rep.do_differently.is_empty() {
            intro.push(format!(
                "What they'll do differently: {}",
                rep.do_differently
            ));
        }
        intro.push(String::new());
        intro.push(
            "Answer when you're ready. “Not yet” is an answer too; you can come back later.".into(),
        );
        let form = Form::new(
            &format!("{}'s answer", self.name(answerer)),
            vec![
                Field::choice("response", "Your answer", answer_words(), chosen),
                Field::block("note", "A few words with it", "", "optional"),
            ],
        )
        .with_intro(intro);
        self.overlay = Some(Overlay::Form {
            kind: FormKind::Respond {
                repair_id: rep.id.clone(),
                by: answerer,
            },
            form,
        });
    }

    pub(super) fn save_response(
        &mut self,
        repair_id: &str,
        seat: Seat,
        form: &Form,
    ) -> Result<(), AppError> {
        let response = Response::ALL[form.choice("response").min(Response::ALL.len() - 1)];
        let by = self.partner_id(seat)?;
        self.store.respond_to_repair(
            repair_id,
            &by,
            response,
            &form.text("note"),
            self.evening(),
            self.now,
        )?;
        self.journal.stale = true;
        self.reload()?;
        match response {
            Response::NotYet => self.info("Saved: not yet. Come back to it whenever you're ready."),
            Response::Forgive => self.celebrate(format!("Saved: “{}”.", response.words())),
            r => self.info(format!("Saved: “{}”.", r.words())),
        }
        Ok(())
    }

    /// The repair in full, with every answer it has had.
    fn read_repair(&mut self) {
        let Some(r) = self.repairs.selected().cloned() else {
            return;
        };
        let rep = &r.repair;
        let mut lines = vec![
            format!(
                "{}, {}",
                self.name_of(&rep.by),
                rep.evening.format("%A %-d %B %Y")
            ),
            String::new(),
            "What happened".into(),
            format!("  {}", rep.what_happened),
        ];
        let mut section = |title: &str, text: &str| {
            if !text.is_empty() {
                lines.push(String::new());
                lines.push(title.to_string());
                lines.extend(text.lines().map(|l| format!("  {l}")));
            }
        };
        let other = self
            .seat_of(&rep.by)
            .map_or("the other".to_string(), |s| self.name(s.other()));
        section(
            &format!("How it may have affected {other}"),
            &rep.how_it_affected,
        );
        section("What I'll do differently", &rep.do_differently);
        if let Some(a) = rep
            .agreement_id
            .as_deref()
            .and_then(|id| self.store.agreement(id).ok())
        {
            section("The agreement it touched", &a.title);
        }
        lines.push(String::new());
        if r.responses.is_empty() {
            lines.push("Not answered yet. That's all right.".into());
        }
        for a in &r.responses {
            let note = if a.note.is_empty() {
                String::new()
            } else {
                format!(" · {}", a.note)
            };
            lines.push(format!(
                "{}, {}: {}{note}",
                self.name_of(&a.partner_id),
                a.evening.format("%a %-d %b"),
                a.response.words()
            ));
        }
        self.overlay = Some(Overlay::History {
            title: "Repair".into(),
            lines,
            scroll: 0,
        });
    }

    /// "What I'll do differently" as a proposal, in one step, by whoever wrote it.
    fn propose_from_repair(&mut self) -> Result<(), AppError> {
        let Some(r) = self.repairs.selected().cloned() else {
            return Ok(());
        };
        if r.repair.do_differently.is_empty() {
            self.info("This repair doesn't say what will be done differently.");
            return Ok(());
        }
        let Some(by) = self.seat_of(&r.repair.by) else {
            return Ok(());
        };
        if self.me.is_some_and(|me| me != by) {
            self.info(format!(
                "{} can propose it from their own device.",
                self.name(by)
            ));
            return Ok(());
        }
        let proposed = self.store.agreements(None)?.into_iter().find(|a| {
            a.status != AgreementStatus::Retired
                && domain::fold(&a.title) == domain::fold(&r.repair.do_differently)
        });
        if let Some(a) = proposed {
            self.info(format!(
                "There's an agreement for that already: “{}”.",
                a.title
            ));
            return Ok(());
        }
        let title: String = r
            .repair
            .do_differently
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        self.open_proposal_with(
            by,
            AgreementDraft {
                title: crate::text::fit(&title, 80),
                review_every_weeks: 4,
                ..Default::default()
            },
        );
        Ok(())
    }
}
